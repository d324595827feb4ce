"""Idempotency-Key: a retried POST returns the first result instead of writing twice.

How it holds together:

- The key row (timeline.models.IdempotencyKey, unique per account and key) is
  inserted at the START of the transaction that runs the view, and filled in
  with the response before that transaction commits. The write and the stored
  response therefore commit together or not at all: a crash in between leaves
  neither, and the retry simply runs again.
- A retry finds the committed row and gets its status, body and headers
  (ETag, Location) back, with `Idempotent-Replayed: true`.
- The same key with a different request (method, path or body; the body
  compared as canonical JSON) answers 422: a key names one request.
- Two requests with the same key at the same moment: the second one's INSERT
  waits on the first one's uncommitted row (PostgreSQL's unique index; on
  SQLite the IMMEDIATE transaction waits at BEGIN). When the first commits,
  the insert fails and the second replays the first's result. If the first
  is still running after FW_API_IDEMPOTENCY_WAIT seconds, the second answers
  409 `request_in_progress` rather than hold a connection indefinitely.
- A request that fails (any error answer) rolls back with its key, so the
  client may retry it with the same key.

Only signed-in callers' POSTs are keyed (the key is per account; anonymous
callers cannot write).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from core.models import IdempotencyKey

from .clock import request_now
from .errors import APIError, IdempotencyKeyReused, RequestInProgress

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# Headers of the first answer that a replay must repeat.
STORED_HEADERS = ("ETag", "Location")
_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")  # printable ASCII, no spaces; fits the column
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout expired


def request_fingerprint(request) -> str:
    """SHA-256 of the method, the path with its query and the body as canonical JSON."""
    body = json.dumps(request.data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"))
    text = f"{request.method} {request.get_full_path()}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def _jsonable(data):
    # What the client would have received, as plain JSON types for the JSONField.
    return json.loads(json.dumps(data, cls=JSONEncoder))


def _replay(stored: IdempotencyKey, fingerprint: str) -> Response:
    if stored.request_hash != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different request; use a new key for a new request.",
            fields={HEADER: ["Already used for a different request."]},
        )
    headers = {**stored.response_headers, REPLAYED_HEADER: "true"}
    return Response(stored.response_body, status=stored.response_status, headers=headers)


class _KeyTaken(Exception):
    """Another request with this key committed while we waited for it."""


def _set_lock_timeout(value: str | None) -> str | None:
    """Set lock_timeout for the rest of the transaction; return the old value.
    A no-op off PostgreSQL (SQLite serialises writers at BEGIN instead)."""
    if connection.vendor != "postgresql" or value is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)", [value])
        return cursor.fetchone()[0]


def _claim(*, user, key: str, request, fingerprint: str) -> IdempotencyKey:
    """Insert the key row in a savepoint, waiting a bounded time for a
    concurrent holder of the same key."""
    wait = int(getattr(settings, "FW_API_IDEMPOTENCY_WAIT", 10))
    try:
        with transaction.atomic():
            previous = _set_lock_timeout(f"{wait}s")
            row = IdempotencyKey.objects.create(
                user=user, key=key, method=request.method, path=request.get_full_path()[:500],
                request_hash=fingerprint, response_status=0, created_at=request_now(request),
            )
            # Back to what it was, so the view's own writes wait as usual.
            _set_lock_timeout(previous)
            return row
    except IntegrityError:
        raise _KeyTaken from None
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
            raise RequestInProgress(
                "A request with this Idempotency-Key is still running; retry in a moment to get its result.",
                fields={HEADER: ["In use by a request that has not finished."]},
            ) from None
        raise


def run_idempotently(request, perform: Callable[[], Response]) -> Response:
    """Run `perform` (the view's work, returning its Response) in one
    transaction, keyed by the request's Idempotency-Key if it has one."""
    key = request.headers.get(HEADER)
    user = request.user if request.user and request.user.is_authenticated else None
    if key is None or user is None or request.method != "POST":
        with transaction.atomic():
            return perform()
    if not _KEY.match(key):
        raise APIError(
            "Idempotency-Key must be 1 to 200 printable ASCII characters without spaces (a UUID is a good key).",
            fields={HEADER: ["1 to 200 printable ASCII characters without spaces."]},
        )

    fingerprint = request_fingerprint(request)
    stored = IdempotencyKey.objects.filter(user=user, key=key).first()
    if stored is not None:
        return _replay(stored, fingerprint)

    try:
        with transaction.atomic():
            row = _claim(user=user, key=key, request=request, fingerprint=fingerprint)
            response = perform()
            IdempotencyKey.objects.filter(pk=row.pk).update(
                response_status=response.status_code,
                response_body=_jsonable(response.data),
                response_headers={name: response[name] for name in STORED_HEADERS if response.has_header(name)},
            )
            return response
    except _KeyTaken:
        stored = IdempotencyKey.objects.filter(user=user, key=key).first()
        if stored is None or stored.response_status == 0:
            # Committed and already pruned, or (impossible under READ
            # COMMITTED) seen half-written: either way, ask for a retry.
            raise RequestInProgress(
                "A request with this Idempotency-Key is still running; retry in a moment to get its result.",
                fields={HEADER: ["In use by a request that has not finished."]},
            ) from None
        return _replay(stored, fingerprint)
