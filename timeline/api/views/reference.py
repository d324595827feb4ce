"""Storylines, actors, outlets and sources: public reads, editor writes.

Reference data has no revision (it is not an item), so no ETag; slugs and
URLs are unique and a duplicate is a 400 naming the field.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework.generics import ListAPIView, RetrieveAPIView

from timeline import services
from timeline.models import Actor, Outlet, Source, Storyline

from ..framework import (
    CREATE_PARAMETERS, BaseAPIMixin, CreateAPIView, KeysetPagination,
    UpdateAPIView, error_responses, operation,
)
from ..framework.schema import DETAIL_READ_ERRORS, READ_ERRORS, WRITE_ERRORS
from ..serializers.reference import (
    ActorIn, ActorOut, ActorPatchIn, OutletIn, OutletOut, SourceIn, SourceOut, StorylineIn, StorylineOut,
    StorylinePatchIn,
)

BY_NAME = {"name": ("name", "slug"), "slug": ("slug",)}


# -- Storylines ------------------------------------------------------------------

@operation(operation_id="storylines_list", responses={200: StorylineOut(many=True), **error_responses(*READ_ERRORS)})
class StorylineList(BaseAPIMixin, ListAPIView):
    serializer_class = StorylineOut
    pagination_class = KeysetPagination
    keyset_orderings = BY_NAME

    def get_queryset(self):
        return Storyline.objects.all()


@operation(operation_id="storylines_create", request=StorylineIn, parameters=CREATE_PARAMETERS,
               responses={201: StorylineOut, **error_responses(*WRITE_ERRORS)})
class StorylineCreate(CreateAPIView):
    input_serializer_class = StorylineIn
    output_serializer_class = StorylineOut

    def perform(self, data):
        return services.storyline_create(by=self.request.user, now=self.now, **data)

    def location_of(self, storyline):
        return reverse("api-v1:storyline-detail", kwargs={"slug": storyline.slug})


@operation(operation_id="storylines_retrieve", responses={200: StorylineOut, **error_responses(*DETAIL_READ_ERRORS)})
class StorylineDetail(BaseAPIMixin, RetrieveAPIView):
    serializer_class = StorylineOut
    lookup_field = "slug"

    def get_queryset(self):
        return Storyline.objects.all()


@operation(operation_id="storylines_partial_update", request=StorylinePatchIn,
               responses={200: StorylineOut, **error_responses(*WRITE_ERRORS, 404)})
class StorylinePatch(UpdateAPIView):
    input_serializer_class = StorylinePatchIn
    output_serializer_class = StorylineOut
    lookup_field = "slug"

    def get_queryset(self):
        return Storyline.objects.all()

    def validated_input(self, **kwargs):
        return super().validated_input(partial=True)

    def perform(self, storyline, data):
        return services.storyline_update(storyline=storyline, by=self.request.user, now=self.now, **data)


# -- Actors ------------------------------------------------------------------------

@operation(operation_id="actors_list", responses={200: ActorOut(many=True), **error_responses(*READ_ERRORS)})
class ActorList(BaseAPIMixin, ListAPIView):
    serializer_class = ActorOut
    pagination_class = KeysetPagination
    keyset_orderings = BY_NAME

    def get_queryset(self):
        return Actor.objects.all()


@operation(operation_id="actors_create", request=ActorIn, parameters=CREATE_PARAMETERS,
               responses={201: ActorOut, **error_responses(*WRITE_ERRORS)})
class ActorCreate(CreateAPIView):
    input_serializer_class = ActorIn
    output_serializer_class = ActorOut

    def perform(self, data):
        return services.actor_create(by=self.request.user, now=self.now, **data)

    def location_of(self, actor):
        return reverse("api-v1:actor-detail", kwargs={"slug": actor.slug})


@operation(operation_id="actors_retrieve", responses={200: ActorOut, **error_responses(*DETAIL_READ_ERRORS)})
class ActorDetail(BaseAPIMixin, RetrieveAPIView):
    serializer_class = ActorOut
    lookup_field = "slug"

    def get_queryset(self):
        return Actor.objects.all()


@operation(operation_id="actors_partial_update", request=ActorPatchIn,
               responses={200: ActorOut, **error_responses(*WRITE_ERRORS, 404)})
class ActorPatch(UpdateAPIView):
    input_serializer_class = ActorPatchIn
    output_serializer_class = ActorOut
    lookup_field = "slug"

    def get_queryset(self):
        return Actor.objects.all()

    def validated_input(self, **kwargs):
        return super().validated_input(partial=True)

    def perform(self, actor, data):
        return services.actor_update(actor=actor, by=self.request.user, now=self.now, **data)


# -- Outlets and sources --------------------------------------------------------------

@operation(operation_id="outlets_list", responses={200: OutletOut(many=True), **error_responses(*READ_ERRORS)})
class OutletList(BaseAPIMixin, ListAPIView):
    serializer_class = OutletOut
    pagination_class = KeysetPagination
    keyset_orderings = BY_NAME

    def get_queryset(self):
        return Outlet.objects.all()


@operation(operation_id="outlets_create", request=OutletIn, parameters=CREATE_PARAMETERS,
               responses={201: OutletOut, **error_responses(*WRITE_ERRORS)})
class OutletCreate(CreateAPIView):
    input_serializer_class = OutletIn
    output_serializer_class = OutletOut

    def perform(self, data):
        return services.outlet_create(**data)

    def location_of(self, outlet):
        return reverse("api-v1:outlet-detail", kwargs={"slug": outlet.slug})


@operation(operation_id="outlets_retrieve", responses={200: OutletOut, **error_responses(*DETAIL_READ_ERRORS)})
class OutletDetail(BaseAPIMixin, RetrieveAPIView):
    serializer_class = OutletOut
    lookup_field = "slug"

    def get_queryset(self):
        return Outlet.objects.all()


@operation(operation_id="sources_list", responses={200: SourceOut(many=True), **error_responses(*READ_ERRORS)})
class SourceList(BaseAPIMixin, ListAPIView):
    serializer_class = SourceOut
    pagination_class = KeysetPagination
    keyset_orderings = {"-published_at": ("-published_at", "-id"), "published_at": ("published_at", "id")}

    def get_queryset(self):
        return Source.objects.select_related("outlet")


@operation(operation_id="sources_create", request=SourceIn, parameters=CREATE_PARAMETERS,
               responses={201: SourceOut, **error_responses(*WRITE_ERRORS)})
class SourceCreate(CreateAPIView):
    input_serializer_class = SourceIn
    output_serializer_class = SourceOut

    def perform(self, data):
        return services.source_create(**data)

    def location_of(self, source):
        return reverse("api-v1:source-detail", kwargs={"pk": source.pk})


@operation(operation_id="sources_retrieve", responses={200: SourceOut, **error_responses(*DETAIL_READ_ERRORS)})
class SourceDetail(BaseAPIMixin, RetrieveAPIView):
    serializer_class = SourceOut

    def get_queryset(self):
        return Source.objects.select_related("outlet")
