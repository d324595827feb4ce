"""Storylines, actors, outlets and sources: public reads, editor writes.

Reference data has no revision (it is not an item), so no ETag; slugs and
URLs are unique and a duplicate is a 400 naming the field.
"""

from __future__ import annotations

from django.urls import reverse

from core.api.pagination import KeysetPagination
from core.api.views import ListCreateAPIView, RetrieveAPIView, RetrieveUpdateAPIView
from timeline import selectors, services


from ..serializers.reference import (
    ActorIn, ActorOut, ActorPatchIn, OutletIn, OutletOut, SourceIn, SourceOut, StorylineIn, StorylineOut,
    StorylinePatchIn,
)

BY_NAME = {"name": ("name", "slug"), "slug": ("slug",)}


# -- Storylines ------------------------------------------------------------------

class StorylineListCreate(ListCreateAPIView):
    serializer_class = StorylineOut
    input_serializer_class = StorylineIn
    pagination_class = KeysetPagination
    keyset_orderings = BY_NAME

    def get_queryset(self):
        return selectors.storylines()

    def perform_create(self, data):
        return services.storyline_create(by=self.request.user, now=self.now, **data)

    def location_of(self, storyline):
        return reverse("api-v1:storyline-detail", kwargs={"slug": storyline.slug})


class StorylineDetail(RetrieveUpdateAPIView):
    serializer_class = StorylineOut
    input_serializer_class = StorylinePatchIn
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.storylines()

    def perform_update(self, storyline, data):
        return services.storyline_update(storyline=storyline, by=self.request.user, now=self.now, **data)


# -- Actors ------------------------------------------------------------------------

class ActorListCreate(ListCreateAPIView):
    serializer_class = ActorOut
    input_serializer_class = ActorIn
    pagination_class = KeysetPagination
    keyset_orderings = BY_NAME

    def get_queryset(self):
        return selectors.actors()

    def perform_create(self, data):
        return services.actor_create(by=self.request.user, now=self.now, **data)

    def location_of(self, actor):
        return reverse("api-v1:actor-detail", kwargs={"slug": actor.slug})


class ActorDetail(RetrieveUpdateAPIView):
    serializer_class = ActorOut
    input_serializer_class = ActorPatchIn
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.actors()

    def perform_update(self, actor, data):
        return services.actor_update(actor=actor, by=self.request.user, now=self.now, **data)


# -- Outlets and sources --------------------------------------------------------------

class OutletListCreate(ListCreateAPIView):
    serializer_class = OutletOut
    input_serializer_class = OutletIn
    pagination_class = KeysetPagination
    keyset_orderings = BY_NAME

    def get_queryset(self):
        return selectors.outlets()

    def perform_create(self, data):
        return services.outlet_create(**data)

    def location_of(self, outlet):
        return reverse("api-v1:outlet-detail", kwargs={"slug": outlet.slug})


class OutletDetail(RetrieveAPIView):
    serializer_class = OutletOut
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.outlets()


class SourceListCreate(ListCreateAPIView):
    serializer_class = SourceOut
    input_serializer_class = SourceIn
    pagination_class = KeysetPagination
    keyset_orderings = {"-published_at": ("-published_at", "-id"), "published_at": ("published_at", "id")}

    def get_queryset(self):
        return selectors.sources()

    def perform_create(self, data):
        return services.source_create(**data)

    def location_of(self, source):
        return reverse("api-v1:source-detail", kwargs={"pk": source.pk})


class SourceDetail(RetrieveAPIView):
    serializer_class = SourceOut

    def get_queryset(self):
        return selectors.sources()
