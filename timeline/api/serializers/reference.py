"""Storylines, actors, outlets, sources and citations: input and output."""

from __future__ import annotations

from datetime import timezone

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from timeline.models import Actor, Citation, Outlet, Source, Storyline

DURATION = {"format": "iso-8601"}
# Instants the API renders, always in UTC ("Z"), as it documents. Named, the
# zone spares DRF a look-up of the active time zone for every value, which
# cost more than formatting it in a list of items.
INSTANT = {"default_timezone": timezone.utc}


def instant(value):
    """What a DateTimeField(**INSTANT) renders of an aware datetime (UTC, ISO
    8601, "Z" for the offset), without the field's settings lookups: the
    written-out serializers call it four times an item. A naive datetime (not
    one the database gives with USE_TZ) is refused rather than guessed at."""
    if value.tzinfo is not timezone.utc:  # as the database gives them: nothing to convert
        if value.utcoffset() is None:
            raise ValueError(f"{value!r} has no time zone")
        value = value.astimezone(timezone.utc)
    return value.isoformat()[:-6] + "Z"  # "+00:00", always, in UTC


# -- Storylines -----------------------------------------------------------------

class StorylineOut(serializers.ModelSerializer):
    grace_period = serializers.DurationField(allow_null=True, **DURATION)

    class Meta:
        model = Storyline
        fields = ["slug", "name", "description", "grace_period", "created_at"]


@extend_schema_serializer(examples=[
    OpenApiExample("A storyline", value={"name": "Gaza ceasefire", "slug": "gaza-ceasefire",
                                         "description": "The ceasefire and its phases."}, request_only=True),
])
class StorylineIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=100, required=False, help_text="Made from the name when left out.")
    description = serializers.CharField(required=False, allow_blank=True)
    grace_period = serializers.DurationField(
        required=False, allow_null=True, **DURATION,
        help_text='How long an open expectation may stay overdue before the system calls it missed, e.g. "P14D".',
    )


class StorylinePatchIn(StorylineIn):
    name = serializers.CharField(max_length=200, required=False)


# -- Actors -----------------------------------------------------------------------

class ActorOut(serializers.ModelSerializer):
    aliases = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Actor
        fields = ["slug", "name", "kind", "aliases", "description"]


@extend_schema_serializer(examples=[
    OpenApiExample("A person", value={"name": "Donald Trump", "slug": "trump", "kind": "person",
                                      "aliases": ["Trump", "the U.S. president"]}, request_only=True),
])
class ActorIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=100, required=False, help_text="Made from the name when left out.")
    kind = serializers.ChoiceField(choices=Actor.Kind.choices, required=False)
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=50)
    description = serializers.CharField(required=False, allow_blank=True)


class ActorPatchIn(ActorIn):
    name = serializers.CharField(max_length=200, required=False)


# -- Outlets and sources -----------------------------------------------------------

class OutletOut(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["slug", "name", "url"]


@extend_schema_serializer(examples=[
    OpenApiExample("An outlet", value={"name": "Axios", "slug": "axios", "url": "https://www.axios.com/"},
                   request_only=True),
])
class OutletIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=100, required=False)
    url = serializers.URLField(required=False, allow_blank=True)


class SourceOut(serializers.ModelSerializer):
    outlet = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Source
        fields = ["id", "outlet", "title", "url", "published_at"]


@extend_schema_serializer(examples=[
    OpenApiExample("An article", value={
        "outlet": "axios", "title": "Scoop: Netanyahu agrees to move to phase two of Gaza deal",
        "url": "https://www.axios.com/2025/12/30/netanyahu-trump-meeting-gaza-iran",
        "published_at": "2025-12-30T06:00:00Z",
    }, request_only=True),
])
class SourceIn(serializers.Serializer):
    outlet = serializers.SlugRelatedField(slug_field="slug", queryset=Outlet.objects.all())
    title = serializers.CharField(max_length=300)
    url = serializers.URLField(max_length=500)
    published_at = serializers.DateTimeField(help_text="With a zone offset or Z; naive times are read as UTC.")


# -- Citations -----------------------------------------------------------------------

class CitationOut(serializers.ModelSerializer):
    source = SourceOut()

    class Meta:
        model = Citation
        fields = ["id", "source", "role", "attribution", "quote"]


@extend_schema_serializer(examples=[
    OpenApiExample("Reports the claim", value={
        "source": 1, "role": "reports_claim", "attribution": "two senior U.S. officials",
        "quote": "Trump is expected to announce the transition to phase two in January.",
    }, request_only=True),
])
class CitationIn(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.select_related("outlet"))
    role = serializers.ChoiceField(choices=Citation.Role.choices, required=False)
    attribution = serializers.CharField(
        max_length=300, required=False, allow_blank=True,
        help_text='As reported ("a U.S. official"); empty for the outlet\'s own reporting.',
    )
    quote = serializers.CharField(required=False, allow_blank=True)
