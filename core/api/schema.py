"""The API's OpenAPI schema: the errors and headers of every operation,
derived once from what its view is, so no view lists them by hand.

`AutoSchema` is REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]. Every operation
documents, in the one error body with examples:

- 401 and 429, always: a token that is not valid is refused even on a public
  read, and every caller is throttled;
- 400 for a GET with query parameters (filters, cursor, page size) and for
  every POST, PUT or PATCH (its body, or a malformed header), 415 for those
  too (a body that is not JSON);
- 403 for every write (the role, and CSRF for session callers);
- 404 for a path with a parameter (unknown, or not yours to see);
- for a write through core.api.views (WriteMixin): Idempotency-Key and
  Idempotent-Replayed, 422 (the key reused), and for a POST 409 (the same
  key still running); Location on a create's 201;
- for a write to one row of a revisioned view (items): If-Match, 409 (the
  lifecycle refuses) and 412 (a stale revision); ETag on the answers of
  revisioned views (a retrieve, a create, a write).

A view documents its success responses (and operation_id where the path's
default would not do) with extend_schema; a status it gives explicitly, e.g.
a 404 described in its own words, wins over the derived one. An operation's
description is its view's own docstring (or extend_schema's), never one
inherited from a base class, which says how the view works.
"""

from __future__ import annotations

import inspect

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import get_doc
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework.mixins import RetrieveModelMixin
from rest_framework.permissions import SAFE_METHODS

from .errors import ErrorBody, ErrorCode, error_body
from .views import APIViewMixin, CreateMixin, WriteMixin

_ERRORS: dict[int, tuple[str, list[OpenApiExample]]] = {
    400: ("The input is not valid: messages per field.", [
        OpenApiExample("A field is missing", value=error_body(
            ErrorCode.INVALID_INPUT, "title: This field is required.", fields={"title": ["This field is required."]},
        ), response_only=True, status_codes=["400"]),
        OpenApiExample("An unreadable date phrase", value=error_body(
            ErrorCode.INVALID_INPUT, "when.text: Cannot read the date phrase 'soonish'",
            fields={"when.text": ["Cannot read the date phrase 'soonish'"]},
        ), response_only=True, status_codes=["400"]),
    ]),
    401: ("No credentials, or credentials that are not valid. Send `Authorization: Token <key>`.", [
        OpenApiExample("No credentials", value=error_body(
            ErrorCode.NOT_AUTHENTICATED, "Authentication credentials were not provided.",
        ), response_only=True, status_codes=["401"]),
    ]),
    403: ("Authenticated, but this role may not do this (writes need an editor).", [
        OpenApiExample("Not an editor", value=error_body(
            ErrorCode.PERMISSION_DENIED, "Only editors may change the record.",
        ), response_only=True, status_codes=["403"]),
    ]),
    404: ("No such resource, or one you may not see (unpublished items answer 404, not 403).", [
        OpenApiExample("Unknown or invisible", value=error_body(ErrorCode.NOT_FOUND, "Not found."),
                       response_only=True, status_codes=["404"]),
    ]),
    409: ("The lifecycle forbids this move from the current state, named in `current`; or a request with "
          "the same Idempotency-Key is still running.", [
        OpenApiExample("Transition not allowed", value=error_body(
            ErrorCode.TRANSITION_NOT_ALLOWED,
            "Cannot confirm a milestone that is cancelled (allowed from: scheduled).",
            current={"status": "cancelled", "editorial_state": "published", "revision": 4,
                     "etag": '"4a6d7c1e-0f3b-4c8e-9a51-2f2c8b0d1e77-r4"'},
        ), response_only=True, status_codes=["409"]),
    ]),
    412: ("If-Match names a revision that is no longer current: someone else changed the item. Re-read it "
          "(the current revision is in `current`) and try again.", [
        OpenApiExample("Stale revision", value=error_body(
            ErrorCode.STALE_REVISION, "The item changed since you read it (you had revision 3, it is now 4).",
            current={"revision": 4, "etag": '"4a6d7c1e-0f3b-4c8e-9a51-2f2c8b0d1e77-r4"'},
        ), response_only=True, status_codes=["412"]),
    ]),
    415: ("The body is not JSON.", [
        OpenApiExample("Not JSON", value=error_body(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Unsupported media type "text/plain" in request.',
        ), response_only=True, status_codes=["415"]),
    ]),
    422: ("This Idempotency-Key was already used for a different request (another method, path or body).", [
        OpenApiExample("Key reused", value=error_body(
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            "This Idempotency-Key was used for a different request; use a new key for a new request.",
            fields={"Idempotency-Key": ["Already used for a different request."]},
        ), response_only=True, status_codes=["422"]),
    ]),
    429: ("Too many requests; retry after the number of seconds in Retry-After.", [
        OpenApiExample("Throttled", value=error_body(
            ErrorCode.THROTTLED, "Request was throttled. Expected available in 42 seconds.",
        ), response_only=True, status_codes=["429"]),
    ]),
}


def get_doc_of_class(view_class) -> str:
    doc = view_class.__dict__.get("__doc__")
    return inspect.cleandoc(doc) if doc else ""


def error_response(status: int, description: str | None = None,
                   examples: list[OpenApiExample] | None = None) -> OpenApiResponse:
    """The error answer of one status in the one body, with the shared words
    and examples unless the operation gives its own."""
    shared_description, shared_examples = _ERRORS[status]
    return OpenApiResponse(response=ErrorBody, description=description or shared_description,
                           examples=shared_examples if examples is None else examples)


IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description='The ETag you read, e.g. `"<public_id>-r<revision>"`. The write happens only if the item is '
                "still at that revision; otherwise 412. Without If-Match the write applies to the revision "
                "the server reads (last writer wins for PATCH; a transition still checks the current status).",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="A unique key (1-200 printable ASCII characters, e.g. a UUID) that makes a retried POST safe: "
                "the first completed result is stored with the write and replayed to retries with "
                "`Idempotent-Replayed: true`. The same key with another method, path or body answers 422.",
)

ETAG_HEADER = OpenApiParameter(
    "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201], required=False,
    description='The item\'s revision as an entity tag, `"<public_id>-r<revision>"`: send it back in If-Match.',
)
LOCATION_HEADER = OpenApiParameter(
    "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[201], required=False,
    description="The address of the created resource.",
)
REPLAYED_HEADER = OpenApiParameter(
    "Idempotent-Replayed", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201], required=False,
    description="`true` when this answer is the stored result of an earlier request with the same Idempotency-Key.",
)


_BODY_METHODS = ("POST", "PUT", "PATCH")


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema, with the errors and headers derived
    from the view (see the module's docstring)."""

    # -- what the view is ---------------------------------------------------

    @property
    def _writes_one_row(self) -> bool:
        return self.method not in SAFE_METHODS and "{" in self.path

    @property
    def _revisioned(self) -> bool:
        return bool(getattr(self.view, "revisioned", False))

    def error_statuses(self, operation: dict) -> set[int]:
        statuses = {401, 429}
        located = {parameter["in"] for parameter in operation.get("parameters", [])}
        if self.method == "GET" and "query" in located:
            statuses.add(400)
        if "path" in located:
            statuses.add(404)
        if self.method in _BODY_METHODS:
            statuses |= {400, 415}
        if self.method not in SAFE_METHODS:
            statuses.add(403)
        if isinstance(self.view, WriteMixin) and self.method == "POST":
            statuses |= {409, 422}
        if isinstance(self.view, WriteMixin) and self.method == "PATCH":
            # Documented for PATCH as it always was (tests/api/test_schema_and_docs.py
            # asks it), though only POSTs are keyed (core.api.idempotency).
            statuses.add(422)
        if self._revisioned and self._writes_one_row:
            statuses |= {409, 412}
        return statuses

    # -- drf-spectacular's hooks ------------------------------------------------

    def get_response_serializers(self):
        # A write answers with what reads render (serializer_class), not with
        # the input it accepts (what get_serializer_class gives for a write).
        if isinstance(self.view, APIViewMixin) and self.method not in SAFE_METHODS:
            output = getattr(self.view, "serializer_class", None)
            if output is not None:
                return output
        return super().get_response_serializers()

    def get_description(self):
        return get_doc(getattr(self.view, self.method.lower(), None)) or get_doc_of_class(type(self.view))

    def get_override_parameters(self):
        derived = []
        if isinstance(self.view, WriteMixin) and (
            self.method == "POST"
            # As for 422 above: documented on a revisioned row's PATCH as it always was.
            or (self.method == "PATCH" and self._revisioned)
        ):
            derived += [IDEMPOTENCY_KEY, REPLAYED_HEADER]
        if self._revisioned and self._writes_one_row:
            derived.append(IF_MATCH)
        if self._revisioned and (self.method in ("POST", "PATCH")
                                 or (self.method == "GET" and isinstance(self.view, RetrieveModelMixin))):
            derived.append(ETAG_HEADER)
        if isinstance(self.view, CreateMixin) and self.method == "POST":
            derived.append(LOCATION_HEADER)
        # Parameters the operation names itself come after, so they win.
        return derived + super().get_override_parameters()

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for status in self.error_statuses(operation):
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(error_response(status), str(status))
        operation["responses"] = dict(sorted(responses.items()))
        return operation
