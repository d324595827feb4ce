"""Writes (and the one read) of IdempotencyKey: claim, store, find, prune.

The API's idempotency module (core.api.idempotency) is the only caller of
claim and store, inside the transaction of the write a key guards; the daily
task (core.tasks) prunes. Nothing else saves these rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction

from .clock import require_aware
from .models import IdempotencyKey

_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout expired


class KeyTaken(Exception):
    """Another request with this key committed while this one waited for it."""


class KeyBusy(Exception):
    """Another request with this key is still running after the wait."""


def _set_lock_timeout(value: str | None) -> str | None:
    """Set lock_timeout for the rest of the transaction; return the old value.
    A no-op off PostgreSQL (SQLite serialises writers at BEGIN instead)."""
    if connection.vendor != "postgresql" or value is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)", [value])
        return cursor.fetchone()[0]


def idempotency_key_find(*, user, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(user=user, key=key).first()


def idempotency_key_claim(*, user, key: str, method: str, path: str, request_hash: str, now: datetime,
                          wait_seconds: int) -> IdempotencyKey:
    """Insert the key's row, empty (response_status 0), in a savepoint of the
    caller's transaction, so it commits or rolls back with the write it guards.

    A concurrent holder of the same key makes the INSERT wait on the unique
    index; at most `wait_seconds`, then KeyBusy. If the holder commits
    meanwhile the INSERT fails: KeyTaken, and the caller replays its row.
    """
    require_aware(now)
    try:
        with transaction.atomic():
            previous = _set_lock_timeout(f"{wait_seconds}s")
            row = IdempotencyKey.objects.create(
                user=user, key=key, method=method, path=path[:500], request_hash=request_hash,
                response_status=0, created_at=now,
            )
            # Back to what it was, so the write's own statements wait as usual.
            _set_lock_timeout(previous)
            return row
    except IntegrityError:
        raise KeyTaken from None
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
            raise KeyBusy from None
        raise


def idempotency_key_store(*, claimed: IdempotencyKey, status: int, body: Any, headers: dict[str, str]) -> None:
    """Fill the claimed row with the response, in the same transaction."""
    updated = IdempotencyKey.objects.filter(pk=claimed.pk, response_status=0).update(
        response_status=status, response_body=body, response_headers=headers,
    )
    if updated != 1:
        # Only the claimer sees its uncommitted row: anything else is a bug.
        raise RuntimeError(f"Idempotency-Key row {claimed.pk} was not the empty claim it should be.")


def idempotency_keys_prune(*, now: datetime, older_than: timedelta, limit: int = 5000) -> int:
    """Forget Idempotency-Keys older than `older_than`: a client retries
    within minutes, and the table would otherwise grow with every POST."""
    require_aware(now)
    ids = list(
        IdempotencyKey.objects.filter(created_at__lt=now - older_than).order_by("created_at")
        .values_list("id", flat=True)[:limit]
    )
    return IdempotencyKey.objects.filter(id__in=ids).delete()[0]
