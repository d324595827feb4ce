"""OpenAPI pieces every view shares: the error responses with examples, the
request headers (If-Match, Idempotency-Key) and the response headers (ETag,
Location, Idempotent-Replayed).

Views declare what they answer with `error_responses(...)`:

    @extend_schema(responses={200: MilestoneOut, **error_responses(400, 401, 403, 404, 409, 412, 422, 429)},
                   parameters=[IF_MATCH, IDEMPOTENCY_KEY])
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from .errors import ErrorBody, ErrorCode, error_body

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

# Every endpoint may answer these: bad credentials are refused even on public
# reads, a request body that is not JSON is refused everywhere, and every
# caller is throttled.
COMMON_ERRORS = (401, 429)


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The error responses of an operation, each with the one body and examples."""
    wanted = sorted(set(codes) | set(COMMON_ERRORS))
    return {
        code: OpenApiResponse(response=ErrorBody, description=_ERRORS[code][0], examples=_ERRORS[code][1])
        for code in wanted
    }


READ_ERRORS = (400,)          # bad query parameters (filters, cursor)
DETAIL_READ_ERRORS = (404,)
WRITE_ERRORS = (400, 403, 415, 422)
ITEM_WRITE_ERRORS = (*WRITE_ERRORS, 404, 409, 412)


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

ITEM_WRITE_PARAMETERS = [IF_MATCH, IDEMPOTENCY_KEY, ETAG_HEADER, REPLAYED_HEADER]
CREATE_PARAMETERS = [IDEMPOTENCY_KEY, LOCATION_HEADER, REPLAYED_HEADER]


def operation(**kwargs):
    """extend_schema for a view class that serves one operation.

    drf-spectacular refuses operation_id on a class decorator (it would apply
    to every method), so this documents the one handler the class has.
    """
    from drf_spectacular.utils import extend_schema, extend_schema_view

    def decorate(view_class):
        methods = [m for m in ("get", "post", "patch", "put", "delete") if hasattr(view_class, m)]
        if len(methods) != 1:
            raise TypeError(f"{view_class.__name__} serves {methods}; document one operation per class.")
        return extend_schema_view(**{methods[0]: extend_schema(**kwargs)})(view_class)

    return decorate
