"""Base classes for API views: one class per operation, built on GenericAPIView.

A read view is a DRF ListAPIView / RetrieveAPIView with `BaseAPIMixin` first
(public reads, the request's `now` in the serializer context). A write view
is a `WriteAPIView` subclass that names its input and output serializers and
implements `perform(...)`, which calls one service and returns what it wrote;
the base class does the rest in the same order everywhere:

    permission and throttle checks (DRF's initial)
    -> Idempotency-Key lookup, transaction.atomic opens, key row claimed
    -> get_object (404 for unknown or invisible), If-Match -> expected revision
    -> input serializer (400 with messages per field)
    -> perform: the service (409 forbidden move, 412 stale revision)
    -> output serializer, ETag / Location headers, key row filled in, commit

For example:

    class MilestoneConfirm(ItemActionView):
        model = Milestone
        input_serializer_class = ReasonIn
        output_serializer_class = MilestoneOut

        def perform(self, milestone, data, *, expected_revision):
            return services.milestone_confirm(milestone=milestone, by=self.request.user, now=self.now,
                                              expected_revision=expected_revision, **data)
"""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from timeline.selectors import user_is_editor

from .clock import request_now
from .concurrency import expected_revision, explains_conflicts, item_etag
from .idempotency import run_idempotently
from .permissions import ReadOnlyOrEditor


class BaseAPIMixin:
    """What every view of the API shares: the roles, the clock, the context."""

    permission_classes = [ReadOnlyOrEditor]

    @property
    def now(self):
        return request_now(self.request)

    @property
    def is_editor(self) -> bool:
        return user_is_editor(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context.update(now=self.now, is_editor=self.is_editor)
        return context


class WriteAPIView(BaseAPIMixin, GenericAPIView):
    """A write: validate input, call one service, render the result.

    Subclasses set `input_serializer_class`, `output_serializer_class` and
    implement `perform`. The schema names both with extend_schema(request=...,
    responses=...).
    """

    input_serializer_class = None
    output_serializer_class = None
    success_status = status.HTTP_200_OK

    def get_serializer_class(self):
        # What DRF's OPTIONS metadata and the browsable API's form describe:
        # the input this write accepts. Answers are rendered by render().
        return self.input_serializer_class

    def validated_input(self, **kwargs) -> dict[str, Any]:
        serializer = self.input_serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def render(self, obj, *, status_code: int | None = None, headers: dict[str, str] | None = None) -> Response:
        data = self.output_serializer_class(obj, context=self.get_serializer_context()).data
        return Response(data, status=status_code or self.success_status, headers=headers)

    def run(self, work) -> Response:
        """Run the write in one transaction, honouring Idempotency-Key."""
        return run_idempotently(self.request, work)


class CreateAPIView(WriteAPIView):
    """POST to a collection: 201 with Location (and the item's ETag)."""

    success_status = status.HTTP_201_CREATED

    def perform(self, data: dict[str, Any]):
        raise NotImplementedError

    def location_of(self, obj) -> str | None:
        return None

    def headers_of(self, obj) -> dict[str, str]:
        headers = {}
        location = self.location_of(obj)
        if location:
            headers["Location"] = self.request.build_absolute_uri(location)
        if hasattr(obj, "revision") and hasattr(obj, "public_id"):
            headers["ETag"] = item_etag(obj)
        return headers

    def post(self, request, *args, **kwargs):
        def work():
            obj = self.perform(self.validated_input())
            return self.render(obj, headers=self.headers_of(obj))

        return self.run(work)


class UpdateAPIView(WriteAPIView):
    """PATCH of a resource without revisions (storylines, actors)."""

    def perform(self, obj, data: dict[str, Any]):
        raise NotImplementedError

    def patch(self, request, *args, **kwargs):
        def work():
            obj = self.get_object()
            return self.render(self.perform(obj, self.validated_input()))

        return self.run(work)


class ItemWriteMixin:
    """Writes to one item: If-Match becomes the service's expected revision,
    conflicts name the current revision, answers carry the new ETag."""

    def item_input(self, item) -> dict[str, Any]:
        return self.validated_input()

    def write_item(self, perform) -> Response:
        def work():
            item = self.get_object()
            expected = expected_revision(self.request, item)
            data = self.item_input(item)
            with explains_conflicts(item):
                result = perform(item, data, expected_revision=expected)
            return self.render_item(result)

        return self.run(work)

    def render_item(self, result) -> Response:
        return self.render(result, headers={"ETag": item_etag(result)})


class ItemUpdateAPIView(ItemWriteMixin, WriteAPIView):
    """PATCH of an item, guarded by If-Match."""

    def perform(self, item, data: dict[str, Any], *, expected_revision: int | None):
        raise NotImplementedError

    def patch(self, request, *args, **kwargs):
        return self.write_item(self.perform)


class ItemActionView(ItemWriteMixin, WriteAPIView):
    """POST .../{public_id}/<action>/: one lifecycle transition, guarded by If-Match."""

    def perform(self, item, data: dict[str, Any], *, expected_revision: int | None):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        return self.write_item(self.perform)


class ItemRetrieveMixin:
    """GET of one item with its ETag."""

    def retrieve(self, request, *args, **kwargs):
        item = self.get_object()
        return Response(self.get_serializer(item).data, headers={"ETag": item_etag(item)})
