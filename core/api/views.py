"""Generic views of the API: DRF's, one class per path, with our write path.

A path is served by one class built the way DRF builds its generics, so a
request goes where DRF would send it:

    ListCreateAPIView            GET -> list()            POST -> create()
    RetrieveUpdateAPIView        GET -> retrieve()        PATCH -> partial_update()
    RetrieveUpdateDestroyAPIView ... and DELETE -> destroy()
    ListAPIView, RetrieveAPIView GET only
    ActionAPIView                POST -> post(): one action on one row (.../confirm/)

PUT is not offered (every update is partial), so it answers 405 like any
method a path lacks. `serializer_class` is what reads render and what writes
answer with; `input_serializer_class` is what writes accept (and what
get_serializer_class gives for an unsafe method, so OPTIONS and the schema
describe it). A write's hook receives the validated input as a dict and
returns what the one service it calls wrote; unlike DRF's perform_* hooks,
it never saves a serializer:

    perform_create(data)            -> the created row
    perform_update(row, data)       -> the updated row
    perform_action(row, data)       -> the row after the action
    perform_destroy(row)

Every write runs the same way (WriteMixin.write_row):

    permission and throttle checks (DRF's initial)
    -> Idempotency-Key lookup, transaction.atomic opens, key row claimed
    -> get_object (404 for unknown or invisible), If-Match -> expected revision
    -> input serializer (400 with messages per field)
    -> perform_*: the service (409 forbidden move, 412 stale revision)
    -> output serializer, ETag / Location headers, key row filled in, commit

A view with `revisioned = True` serves rows with a `public_id` and a
`revision` (the record's items): its reads and writes answer the row's ETag,
and its hooks on one row also get `expected_revision` from If-Match.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from rest_framework import generics, mixins, status
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from core.clock import request_now
from core.roles import user_is_editor

from .concurrency import etag_of, expected_revision, explains_conflicts
from .idempotency import run_idempotently
from .permissions import ReadOnlyOrEditor

# Every update is partial: PATCH, never PUT.
NO_PUT = ["get", "post", "patch", "delete", "head", "options"]


class APIViewMixin:
    """What every view of the API shares: the roles, the clock, the context."""

    permission_classes = [ReadOnlyOrEditor]
    input_serializer_class = None
    revisioned = False

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

    def get_serializer_class(self):
        request = getattr(self, "request", None)
        if self.input_serializer_class is not None and request is not None and request.method not in SAFE_METHODS:
            return self.input_serializer_class
        return super().get_serializer_class()


class RetrieveMixin(mixins.RetrieveModelMixin):
    def retrieve(self, request, *args, **kwargs):
        row = self.get_object()
        headers = {"ETag": etag_of(row)} if self.revisioned else None
        return Response(self.get_serializer(row).data, headers=headers)


class WriteMixin(APIViewMixin):
    """A write: validate input, call one service, render the result, in one
    transaction honouring Idempotency-Key."""

    success_status = status.HTTP_200_OK

    def validated_input(self, **kwargs) -> dict[str, Any]:
        serializer = self.get_serializer(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def input_for(self, row) -> dict[str, Any]:
        """The validated input of a write to `row` (the lookup came first)."""
        return self.validated_input()

    def render(self, obj, *, status_code: int | None = None, headers: dict[str, str] | None = None) -> Response:
        data = self.serializer_class(obj, context=self.get_serializer_context()).data
        return Response(data, status=status_code or self.success_status, headers=headers)

    def render_written(self, result) -> Response:
        return self.render(result, headers={"ETag": etag_of(result)} if self.revisioned else None)

    def run(self, work) -> Response:
        return run_idempotently(self.request, work)

    def write_row(self, perform) -> Response:
        """Run `perform(row, data[, expected_revision=...])` on the looked-up row."""
        def work():
            row = self.get_object()
            revision = {"expected_revision": expected_revision(self.request, row)} if self.revisioned else {}
            data = self.input_for(row)
            with explains_conflicts(row) if self.revisioned else nullcontext():
                result = perform(row, data, **revision)
            return self.render_written(result)

        return self.run(work)


class CreateMixin(WriteMixin):
    """POST to a collection: 201 with Location (and the row's ETag)."""

    success_status = status.HTTP_201_CREATED

    def perform_create(self, data: dict[str, Any]):
        raise NotImplementedError

    def location_of(self, obj) -> str | None:
        return None

    def created_headers(self, obj) -> dict[str, str]:
        headers = {}
        location = self.location_of(obj)
        if location:
            headers["Location"] = self.request.build_absolute_uri(location)
        if self.revisioned:
            headers["ETag"] = etag_of(obj)
        return headers

    def create(self, request, *args, **kwargs):
        def work():
            obj = self.perform_create(self.validated_input())
            return self.render(obj, headers=self.created_headers(obj))

        return self.run(work)


class UpdateMixin(WriteMixin):
    """PATCH of one row: only the fields given change."""

    def input_for(self, row) -> dict[str, Any]:
        return self.validated_input(partial=True)

    def perform_update(self, row, data: dict[str, Any], **revision):
        raise NotImplementedError

    def partial_update(self, request, *args, **kwargs):
        return self.write_row(self.perform_update)


class DestroyMixin(WriteMixin):
    """DELETE of one row: 204."""

    def perform_destroy(self, row) -> None:
        raise NotImplementedError

    def destroy(self, request, *args, **kwargs):
        def work():
            self.perform_destroy(self.get_object())
            return Response(status=status.HTTP_204_NO_CONTENT)

        return self.run(work)


class ActionMixin(WriteMixin):
    """POST .../<action>/: one state change of one row."""

    def perform_action(self, row, data: dict[str, Any], **revision):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        return self.write_row(self.perform_action)


# -- The classes views subclass: DRF's generics with the mixins above ----------------

class ListAPIView(APIViewMixin, generics.ListAPIView):
    pass


class RetrieveAPIView(RetrieveMixin, APIViewMixin, generics.RetrieveAPIView):
    pass


class ListCreateAPIView(CreateMixin, generics.ListCreateAPIView):
    pass


class RetrieveUpdateAPIView(RetrieveMixin, UpdateMixin, generics.RetrieveUpdateAPIView):
    http_method_names = NO_PUT


class RetrieveUpdateDestroyAPIView(RetrieveMixin, UpdateMixin, DestroyMixin, generics.RetrieveUpdateDestroyAPIView):
    http_method_names = NO_PUT


class ActionAPIView(ActionMixin, generics.GenericAPIView):
    pass
