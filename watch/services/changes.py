"""Processing the change log: timeline's hand-off to watch.

Unprocessed Change rows (processed_at null, read through their partial index)
are taken in batches, oldest first, each batch one transaction with a
constant number of queries: the rows are claimed (FOR UPDATE SKIP LOCKED on
PostgreSQL, then an UPDATE conditioned on processed_at still being null, which
is also the claim on SQLite), their items read at once, the news they are
written as Fanout rows with the first batch of their audiences
(watch.services.fanout; larger audiences go on in the fan-out sweep), the
items' reminder rows rewritten together, and the rows marked processed, all
or nothing. A crash anywhere leaves the batch unprocessed for the next sweep;
a second sweep running at the same time skips the locked rows.

Should a batch fail (one row we cannot read, say), its rows are processed one
by one, each in its own transaction, so one bad row does not hold up the rest.
"""

from __future__ import annotations

import logging
from datetime import datetime

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction

from core.clock import require_aware
from timeline.models import Change, Item

from .fanout import Announcement, FanOut, fanout_run, fanouts_open
from .news import news_of_change
from .reminders import reminders_rewrite_many

log = logging.getLogger(__name__)


def process_changes(*, now: datetime, limit: int = 500) -> tuple[int, FanOut]:
    """Process up to `limit` unprocessed change rows, oldest first. Returns
    how many were processed and what they wrote."""
    require_aware(now)
    try:
        with transaction.atomic():
            return _process({}, limit=limit, now=now)
    except SoftTimeLimitExceeded:
        raise  # the task's time is up: the batch rolled back and the next run takes it
    except Exception:
        log.exception("A batch of change rows could not be processed; processing them one by one")
    processed, total = 0, FanOut()
    pending = list(
        Change.objects.filter(processed_at__isnull=True).order_by("id").values_list("pk", flat=True)[:limit]
    )
    for change_id in pending:
        try:
            with transaction.atomic():
                written = process_change(change_id, now=now)
        except SoftTimeLimitExceeded:
            raise
        except Exception:
            # It stays unprocessed, so the next sweep tries it again and logs it again.
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
    processed, written = _process({"pk": change_id}, limit=1, now=now)
    return written if processed else None


def _process(filters: dict, *, limit: int, now: datetime) -> tuple[int, FanOut]:
    """Claim up to `limit` unprocessed change rows matching `filters` and
    process them together, inside the caller's transaction."""
    changes = list(
        Change.objects.select_for_update(skip_locked=True)
        .filter(processed_at__isnull=True, **filters).order_by("id")[:limit]
    )
    if not changes:
        return 0, FanOut()
    claimed = Change.objects.filter(pk__in=[c.pk for c in changes], processed_at__isnull=True).update(processed_at=now)
    if claimed != len(changes):
        # Someone processed some of them between our read and our write (SQLite
        # has no row locks): leave the whole batch to whoever did.
        transaction.set_rollback(True)
        return 0, FanOut()
    items = Item.objects.select_related("expectation").in_bulk({c.item_id for c in changes})
    announcements = []
    for change in changes:
        news = news_of_change(change, items[change.item_id])
        if news is not None:
            announcements.append(Announcement(
                item_id=change.item_id, cause=f"change:{change.pk}", kind=news.kind, news=news.news,
                schedule_version=change.schedule_version, headline=news.headline, detail=news.detail,
                verdict=news.verdict, change_id=change.pk,
            ))
    written = fanout_run(fanouts_open(announcements, now=now), now=now,
                         batches=settings.WATCH_FANOUT_INLINE_BATCHES)
    # Any change may move or end the item's reminders, or add storylines and
    # actors whose followers want some: the rewrite is idempotent and reads
    # the items as they are now, so an old row processed late does no harm.
    reminders_rewrite_many(items=list(items.values()), now=now)
    return len(changes), written
