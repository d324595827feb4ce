"""Two guards every request passes, whatever view answers it: input that no
field should ever hold is refused before any view reads it, and a database
that refuses writes (read-only, full, gone) answers a clear 503 instead of a 500.

Why here, once, and not per field or per view:

- **NUL bytes.** PostgreSQL text cannot hold U+0000: a NUL that reaches a query
  (a search box, a feed token in the path) is a DataError, so a 500, and a NUL
  that reaches a form field is refused there anyway (Django's and DRF's
  CharField). So a NUL anywhere in the path, the query string or a form or
  JSON body is a 400 before the view runs. The files of an upload are left
  to their forms, which read and refuse their content themselves.
- **Oversized bodies.** Django refuses form bodies over DATA_UPLOAD_MAX_MEMORY_SIZE
  (RequestDataTooBig, a 400), but DRF's JSON parser reads the stream without
  that check, so a 1 MB "summary" would be stored and then rendered into every
  page, feed and email. The same limit (settings.FW_MAX_REQUEST_BODY_BYTES, which
  base.py also gives DATA_UPLOAD_MAX_MEMORY_SIZE) holds for every body here.
- **A database that refuses writes.** `default_transaction_read_only`, a full
  disk or a dropped connection make the write raise; the transaction rolls
  back (nothing half-written), and the caller is told to come back (503 with
  Retry-After) rather than that we have a bug (500). Reads keep working on a
  read-only database.

The API paths (/api/) answer in the API's error body (core.api.errors); the
others with the site's 400 and 503 pages.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

log = logging.getLogger(__name__)

# SQLSTATEs meaning "the database will not take this write now", not "the
# write is wrong": read-only transaction, disk full, out of memory, too many
# connections, the backend shut down by an administrator or a crash.
_UNAVAILABLE_SQLSTATES = {"25006", "53100", "53200", "53300", "57P01", "57P02", "57P03"}
RETRY_AFTER_SECONDS = 30

_FORM_TYPES = ("application/x-www-form-urlencoded",)
_JSON_NUL = (b"\\u0000",)


def _has_nul(raw: bytes, *, encoded: bool) -> bool:
    if b"\x00" in raw:
        return True
    if encoded:
        return b"\x00" in unquote_to_bytes(raw.replace(b"+", b" "))
    return any(marker in raw.lower() for marker in _JSON_NUL)


def refuse_input(request, message: str, *, field: str) -> HttpResponse:
    """A 400 saying what was refused, in the API's body or the site's page."""
    log.warning("Refused %s %s: %s", request.method, request.path[:200], message)
    if request.path.startswith("/api/"):
        from core.api.errors import ErrorCode, error_body

        return JsonResponse(error_body(ErrorCode.INVALID_INPUT, message, fields={field: [message]}), status=400)
    body = loader.render_to_string("400.html", {"message": message}, request)
    return HttpResponse(body, status=400)


def unavailable(request, exc: BaseException) -> HttpResponse:
    """A 503 with Retry-After: the database did not take the request now."""
    message = "The service cannot save changes right now; nothing was changed. Try again in a moment."
    if request.path.startswith("/api/"):
        from core.api.errors import ErrorCode, error_body

        response = JsonResponse(error_body(ErrorCode.SERVICE_UNAVAILABLE, message), status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html", {"message": message}, request), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database will not take the request now (rather than that it is wrong)."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) in _UNAVAILABLE_SQLSTATES


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    def _refusal(self, request):
        if "\x00" in request.path:
            return refuse_input(request, "The address contains a NUL character.", field="path")
        query = request.META.get("QUERY_STRING", "")
        if query and _has_nul(query.encode("latin-1", "replace"), encoded=True):
            return refuse_input(request, "The query string contains a NUL character.", field="query")
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        content_type = (request.content_type or "").lower()
        if content_type.startswith("multipart/"):
            # Django applies DATA_UPLOAD_MAX_MEMORY_SIZE to the fields (files
            # aside, which their forms read); the fields are checked for NUL here.
            if any("\x00" in value for values in request.POST.lists() for value in values[1]):
                return refuse_input(request, "The input contains a NUL character, which no field may hold.",
                                    field="body")
            return None
        limit = settings.FW_MAX_REQUEST_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refuse_input(request, "The Content-Length header is not a number.", field="Content-Length")
        if length > limit:
            return refuse_input(
                request, f"The request body is larger than {limit:,} bytes; nothing was saved.", field="body"
            )
        if not length:
            return None
        raw = request.body  # read once and kept: the view parses the same bytes
        if _has_nul(raw, encoded=content_type.startswith(_FORM_TYPES)):
            return refuse_input(request, "The input contains a NUL character, which no field may hold.",
                                field="body")
        return None

    def process_exception(self, request, exc):
        if database_unavailable(exc):
            log.error("The database refused %s %s: %s", request.method, request.path[:200], exc)
            return unavailable(request, exc)
        return None


class PageThrottleMiddleware:
    """Throttling for the site outside the API (which has DRF's): the pages,
    feeds and forms (subscribe, confirm, unsubscribe, manage). Counted per
    client address in the default cache (Redis in production, shared by
    every web process), with DRF's counter (SimpleRateThrottle), so the rates
    read like the API's ("300/minute") and the answer is the same: 429 with
    Retry-After. Reads (GET, HEAD) count against FW_PAGE_THROTTLE, form posts
    against the tighter FW_FORM_THROTTLE. The admin is left to its login.
    """

    EXEMPT = ("/api/", "/static/", "/admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.EXEMPT):
            scope = "pages" if request.method in ("GET", "HEAD", "OPTIONS") else "forms"
            throttle = _site_throttle(scope)
            if not throttle.allow_request(request, None):
                return throttled(request, throttle.wait())
        return self.get_response(request)


def throttled(request, wait: float | None) -> HttpResponse:
    seconds = max(1, int(round(wait or 1)))
    message = f"Too many requests from your address; try again in {seconds} seconds."
    log.warning("Throttled %s %s", request.method, request.path[:200])
    body = loader.render_to_string("429.html", {"message": message}, request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(seconds)
    return response


_THROTTLE_CLASS = None


def _site_throttle(scope: str):
    """DRF's fixed-window counter, with the site's rates and cache keys (made
    on first use: rest_framework reads its settings when it loads)."""
    global _THROTTLE_CLASS
    if _THROTTLE_CLASS is None:
        from rest_framework.throttling import SimpleRateThrottle

        class SiteThrottle(SimpleRateThrottle):
            def __init__(self, scope: str):
                self.scope = scope
                super().__init__()

            def get_rate(self):
                return settings.FW_PAGE_THROTTLE if self.scope == "pages" else settings.FW_FORM_THROTTLE

            def get_cache_key(self, request, view):
                return self.cache_format % {"scope": f"site-{self.scope}", "ident": self.get_ident(request)}

        _THROTTLE_CLASS = SiteThrottle
    return _THROTTLE_CLASS(scope)
