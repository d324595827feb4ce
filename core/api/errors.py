"""One error body for every failure of the API, and the handler that makes it.

Every error answers

    {"error": {"code": "...", "message": "...", "fields": {...}, "current": {...} | null}}

`code` is a stable machine-readable word (the enum ErrorCode), `message` a
sentence for people, `fields` the messages per input field (dotted paths for
nested input: "when.text"; request headers by their name: "If-Match"), and
`current` the state of the resource when that matters to the caller (a 409
names the status that forbids the move, a 412 the revision to re-read).

The handler is set as REST_FRAMEWORK["EXCEPTION_HANDLER"]. It lets DRF decide
the status and the headers (WWW-Authenticate on 401, Retry-After on 429) and
only rewrites the body, so the rules stay DRF's and the shape stays ours.
It may import rest_framework.views: DRF reads that setting at the first
request, long after its own modules loaded (unlike the throttle classes,
which rest_framework.views reads while it loads; those are DRF's own).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, JsonResponse
from django.utils.encoding import force_str
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.errors import ServiceError, StaleRevision, TransitionNotAllowed


class ErrorCode:
    INVALID_INPUT = "invalid_input"
    MALFORMED_REQUEST = "malformed_request"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    REQUEST_IN_PROGRESS = "request_in_progress"
    STALE_REVISION = "stale_revision"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    THROTTLED = "throttled"
    SERVER_ERROR = "server_error"
    SERVICE_UNAVAILABLE = "service_unavailable"  # the database refused the write for now: retry (Retry-After)

    ALL = (
        INVALID_INPUT, MALFORMED_REQUEST, NOT_AUTHENTICATED, PERMISSION_DENIED, NOT_FOUND, METHOD_NOT_ALLOWED,
        NOT_ACCEPTABLE, UNSUPPORTED_MEDIA_TYPE, TRANSITION_NOT_ALLOWED, REQUEST_IN_PROGRESS, STALE_REVISION,
        IDEMPOTENCY_KEY_REUSED, THROTTLED, SERVER_ERROR, SERVICE_UNAVAILABLE,
    )


# DRF's exception classes, by the code our body gives them. Checked in order,
# so subclasses come before their bases.
_DRF_CODES: tuple[tuple[type[exceptions.APIException], str], ...] = (
    (exceptions.ValidationError, ErrorCode.INVALID_INPUT),
    (exceptions.ParseError, ErrorCode.MALFORMED_REQUEST),
    (exceptions.NotAuthenticated, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.AuthenticationFailed, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.PermissionDenied, ErrorCode.PERMISSION_DENIED),
    (exceptions.NotFound, ErrorCode.NOT_FOUND),
    (exceptions.MethodNotAllowed, ErrorCode.METHOD_NOT_ALLOWED),
    (exceptions.NotAcceptable, ErrorCode.NOT_ACCEPTABLE),
    (exceptions.UnsupportedMediaType, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
    (exceptions.Throttled, ErrorCode.THROTTLED),
)


class APIError(exceptions.APIException):
    """An error of our own with a code, optional field messages and current state.

    Raise it (or a subclass) from views and framework code; the handler turns
    it into the error body with its status.
    """

    status_code = status.HTTP_400_BAD_REQUEST
    code = ErrorCode.INVALID_INPUT

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None,
                 current: dict[str, Any] | None = None, status_code: int | None = None, code: str | None = None):
        super().__init__(detail=message)
        self.message = message
        self.fields = fields or {}
        self.current = current
        if status_code is not None:
            self.status_code = status_code
        if code is not None:
            self.code = code


class PreconditionFailed(APIError):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    code = ErrorCode.STALE_REVISION


class IdempotencyKeyReused(APIError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    code = ErrorCode.IDEMPOTENCY_KEY_REUSED


class RequestInProgress(APIError):
    status_code = status.HTTP_409_CONFLICT
    code = ErrorCode.REQUEST_IN_PROGRESS


def error_body(code: str, message: str, *, fields: dict | None = None, current: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}, "current": current}}


def flatten_field_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"dotted.path": ["message", ...]}.

    Nested serializers give dicts, list fields give dicts keyed by index or
    lists of dicts; clients get one flat map whatever the nesting.
    """
    out: dict[str, list[str]] = {}

    def add(path: str, message: Any) -> None:
        out.setdefault(path or "non_field_errors", []).append(force_str(message))

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                key = "non_field_errors" if key in ("non_field_errors", "__all__") and not path else str(key)
                walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, (list, tuple)):
            if all(not isinstance(v, (dict, list, tuple)) for v in node):
                for message in node:
                    add(path, message)
            else:
                for index, value in enumerate(node):
                    if value:  # DRF puts {} for list entries without errors
                        walk(value, f"{path}.{index}" if path else str(index))
        else:
            add(path, node)

    walk(detail, prefix)
    return out


def _first_message(fields: dict[str, list[str]], fallback: str) -> str:
    for path, messages in fields.items():
        if messages:
            return messages[0] if path == "non_field_errors" else f"{path}: {messages[0]}"
    return fallback


def _body_for_service_error(exc: ServiceError) -> tuple[int, dict]:
    if isinstance(exc, TransitionNotAllowed):
        current = {"status": exc.current_status, "editorial_state": exc.editorial_state or None}
        current.update(getattr(exc, "api_current", {}) or {})
        return exc.http_status, error_body(ErrorCode.TRANSITION_NOT_ALLOWED, exc.message, current=current)
    if isinstance(exc, StaleRevision):
        current = {"revision": exc.current}
        current.update(getattr(exc, "api_current", {}) or {})
        return exc.http_status, error_body(ErrorCode.STALE_REVISION, exc.message, current=current)
    fields = {name: [force_str(m) for m in (messages if isinstance(messages, (list, tuple)) else [messages])]
              for name, messages in (exc.fields or {}).items()}
    return exc.http_status, error_body(ErrorCode.INVALID_INPUT, exc.message, fields=fields)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every known failure in the one body.

    Anything else is a bug and propagates, so it is logged with its
    traceback and answered by api_server_error (still the one body).
    """
    if isinstance(exc, ServiceError):
        set_rollback()
        status_code, body = _body_for_service_error(exc)
        return Response(body, status=status_code)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, APIError):
        response.data = error_body(exc.code, exc.message, fields=exc.fields, current=exc.current)
        return response

    code = next((c for cls, c in _DRF_CODES if isinstance(exc, cls)), None)
    if code is None:
        code = ErrorCode.INVALID_INPUT if response.status_code < 500 else ErrorCode.SERVER_ERROR
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_field_errors(exc.detail)
        message = _first_message(fields, "The input is not valid.")
        response.data = error_body(code, message, fields=fields)
    else:
        detail = getattr(exc, "detail", "")
        message = force_str(detail) if not isinstance(detail, (dict, list)) else "The request failed."
        if isinstance(exc, exceptions.NotFound):
            # One message for every unknown or invisible resource, so that
            # existence does not leak through the wording either.
            message = "Not found."
        response.data = error_body(code, message)
    return response


# -- Django-level handlers for /api/ paths ---------------------------------------
# Paths that match no route never reach DRF. config/urls.py installs these so
# that /api/... still answers in the one body; elsewhere Django's pages stay.

def api_not_found(request, exception=None):
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse(error_body(ErrorCode.NOT_FOUND, "Not found."), status=404)
    return page_not_found(request, exception)


def api_server_error(request):
    from django.views.defaults import server_error

    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body(ErrorCode.SERVER_ERROR, "Something went wrong on our side; it has been logged."), status=500
        )
    return server_error(request)


# -- Schema ------------------------------------------------------------------------

class ErrorDetail(serializers.Serializer):
    code = serializers.ChoiceField(choices=ErrorCode.ALL, help_text="A stable word for programs to branch on.")
    message = serializers.CharField(help_text="What went wrong, for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Messages per input field: dotted paths for nested input ("when.text"), header names '
                  'for headers ("If-Match"), "non_field_errors" for the input as a whole.',
    )
    current = serializers.DictField(
        allow_null=True,
        help_text="The resource's current state where it explains the error: status and editorial_state "
                  "for 409, revision and etag for 412; null otherwise.",
    )


class ErrorBody(serializers.Serializer):
    """The body of every error answer."""

    error = ErrorDetail()
