"""Idempotency-Key: a retried POST returns the first result instead of writing twice.

How it holds together:

- The key row (core.models.IdempotencyKey, unique per account and key) is
  claimed at the START of the transaction that runs the view, and filled in
  with the response before that transaction commits (core.idempotency). The
  write and the stored response therefore commit together or not at all: a
  crash in between leaves neither, and the retry simply runs again.
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
from django.db import transaction
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from core.clock import request_now
from core.idempotency import (
    KeyBusy, KeyTaken, idempotency_key_claim, idempotency_key_find, idempotency_key_store,
)
from core.models import IdempotencyKey

from .errors import APIError, IdempotencyKeyReused, RequestInProgress

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# Headers of the first answer that a replay must repeat.
STORED_HEADERS = ("ETag", "Location")
_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")  # printable ASCII, no spaces; fits the column


def request_fingerprint(request) -> str:
    """SHA-256 of the method, the path with its query and the body as canonical JSON."""
    body = json.dumps(request.data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"))
    text = f"{request.method} {request.get_full_path()}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def _jsonable(data):
    # What the client would have received, as plain JSON types for the JSONField.
    return json.loads(json.dumps(data, cls=JSONEncoder))


def _in_progress() -> RequestInProgress:
    return RequestInProgress(
        "A request with this Idempotency-Key is still running; retry in a moment to get its result.",
        fields={HEADER: ["In use by a request that has not finished."]},
    )


def _replay(stored: IdempotencyKey, fingerprint: str) -> Response:
    if stored.request_hash != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different request; use a new key for a new request.",
            fields={HEADER: ["Already used for a different request."]},
        )
    headers = {**stored.response_headers, REPLAYED_HEADER: "true"}
    return Response(stored.response_body, status=stored.response_status, headers=headers)


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
    stored = idempotency_key_find(user=user, key=key)
    if stored is not None:
        return _replay(stored, fingerprint)

    try:
        with transaction.atomic():
            claimed = idempotency_key_claim(
                user=user, key=key, method=request.method, path=request.get_full_path(), request_hash=fingerprint,
                now=request_now(request), wait_seconds=int(getattr(settings, "FW_API_IDEMPOTENCY_WAIT", 10)),
            )
            response = perform()
            idempotency_key_store(
                claimed=claimed, status=response.status_code, body=_jsonable(response.data),
                headers={name: response[name] for name in STORED_HEADERS if response.has_header(name)},
            )
            return response
    except KeyBusy:
        raise _in_progress() from None
    except KeyTaken:
        stored = idempotency_key_find(user=user, key=key)
        if stored is None or stored.response_status == 0:
            # Committed and already pruned, or (impossible under READ
            # COMMITTED) seen half-written: either way, ask for a retry.
            raise _in_progress() from None
        return _replay(stored, fingerprint)
