"""Processing the change log: timeline's hand-off to watch.

Every unprocessed Change row (processed_at null, read through its partial
index) is handled once, in one transaction of its own: the row is claimed
(SKIP LOCKED on PostgreSQL, then an UPDATE conditioned on processed_at still
being null, which is also the claim on SQLite), the notifications it causes
are written, the item's reminder rows are rewritten, and the row is marked
processed, all or nothing. A crash anywhere leaves the row unprocessed for the
next sweep; a second sweep running at the same time skips it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction

from core.clock import require_aware
from timeline.models import Change, Item

from .fanout import FanOut, notify
from .news import news_of_change
from .reminders import reminders_rewrite

log = logging.getLogger(__name__)


def process_changes(*, now: datetime, limit: int = 500) -> tuple[int, FanOut]:
    """Process up to `limit` unprocessed change rows, oldest first. Returns
    how many were processed and what they wrote."""
    require_aware(now)
    processed = 0
    total = FanOut()
    pending = list(
        Change.objects.filter(processed_at__isnull=True).order_by("id").values_list("pk", flat=True)[:limit]
    )
    for change_id in pending:
        try:
            with transaction.atomic():
                written = process_change(change_id, now=now)
        except Exception:
            # One row we cannot process must not hold up the rest; it stays
            # unprocessed, so the next sweep tries it again and logs it again.
            log.exception("Change %s could not be processed", change_id)
            continue
        if written is not None:
            processed += 1
            total += written
    return processed, total


def process_change(change_id: int, *, now: datetime) -> FanOut | None:
    """Process one change row inside the caller's transaction. Returns what it
    wrote, or None when the row was already processed or is being processed
    by someone else."""
    change = Change.objects.select_for_update(skip_locked=True).filter(pk=change_id, processed_at__isnull=True).first()
    if change is None:
        return None
    if Change.objects.filter(pk=change.pk, processed_at__isnull=True).update(processed_at=now) != 1:
        return None
    item = Item.objects.select_related("expectation").get(pk=change.item_id)
    written = FanOut()
    news = news_of_change(change, item)
    if news is not None:
        written = notify(
            item=item,
            cause=f"change:{change.pk}",
            kind=news.kind,
            news=news.news,
            schedule_version=change.schedule_version,
            headline=news.headline,
            detail=news.detail,
            verdict=news.verdict,
            now=now,
            change=change,
        )
    # Any change may move or end the item's reminders, or add storylines and
    # actors whose followers want some: the rewrite is idempotent and reads
    # the item as it is now, so an old row processed late does no harm.
    reminders_rewrite(item=item, now=now)
    return written
