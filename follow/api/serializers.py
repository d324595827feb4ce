"""What the followed-feeds API reads and writes."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.durations import format_compact
from core.errors import InvalidInput
from timeline.lifecycle import Kind
from timeline.models import Actor, Outlet, Storyline

from ..models import POLL_INTERVAL, Article, FollowedFeed


@extend_schema_field(OpenApiTypes.STR)
class IntervalField(serializers.Field):
    """"15m", "1h", "1d" (core.durations), 1 minute to 7 days."""

    def to_representation(self, value):
        return format_compact(value)

    def to_internal_value(self, data):
        try:
            return POLL_INTERVAL.parse(data, field="interval")
        except InvalidInput as exc:
            raise serializers.ValidationError(exc.fields.get("interval", [exc.message])) from None


class FeedOut(serializers.ModelSerializer):
    outlet = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    storylines = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    actors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    interval = IntervalField(read_only=True)

    class Meta:
        model = FollowedFeed
        fields = ["id", "url", "outlet", "storylines", "keywords", "actors", "interval", "muted", "muted_kinds",
                  "next_poll_at", "last_polled_at", "last_outcome", "error_count", "last_error", "last_error_at",
                  "created_at"]


class FeedIn(serializers.Serializer):
    url = serializers.CharField(max_length=2048)
    outlet = serializers.SlugRelatedField(slug_field="slug", queryset=Outlet.objects.all())
    storylines = serializers.SlugRelatedField(slug_field="slug", many=True, queryset=Storyline.objects.all(),
                                              required=False)
    keywords = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=50)
    actors = serializers.SlugRelatedField(slug_field="slug", many=True, queryset=Actor.objects.all(), required=False)
    interval = IntervalField(required=False)


class FeedPatchIn(FeedIn):
    url = serializers.CharField(max_length=2048, required=False)
    outlet = serializers.SlugRelatedField(slug_field="slug", queryset=Outlet.objects.all(), required=False)
    muted = serializers.BooleanField(required=False)
    muted_kinds = serializers.ListField(child=serializers.ChoiceField(choices=Kind.choices), required=False)


class KindIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices, help_text="The kind of proposal: event, milestone, expectation.")


class NothingIn(serializers.Serializer):
    pass


class ArticleOut(serializers.ModelSerializer):
    outlet = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    source = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Article
        fields = ["id", "url", "title", "outlet", "feed", "state", "published_at", "published_from", "words",
                  "proposals", "source", "note", "seen_at", "read_at"]
