"""Processing the change log (watch.services.process_changes: the minute
sweep, and the task sent on commit) among Change tables of ~10k and ~200k
rows, nearly all of them processed long ago.

The due rows are 1,000 unprocessed `confirmed` changes of 1,000 published
milestones: each one is news to an "everything" subscription (a notification
and a delivery) and rewrites the item's reminder rows. The polling query reads
`change_unprocessed`, which holds only the unprocessed rows.
"""

from datetime import timedelta

from timeline.models import Change, Item
from watch.models import Delivery, ReminderDue
from watch.services import process_changes, subscription_create

from . import rows
from .support import (
    DUE, LARGE, NOW, SMALL, WARMUP, bulk, capture_polling_sql, check, drain, measure, query_ms, report,
    vacuum_analyze,
)

INDEX = "change_unprocessed"
KINDS = [Change.Kind.CREATED, Change.Kind.EDITED, Change.Kind.PUBLISHED, Change.Kind.POSTPONED,
         Change.Kind.CONFIRMED, Change.Kind.HAPPENED, Change.Kind.SETTLED, Change.Kind.OVERDUE_NOTICED]


def filler_changes(count: int, pool: list[int]) -> None:
    """Changes processed long ago, spread over a pool of items."""
    def generate():
        for k in range(count):
            at = NOW - timedelta(days=400) + timedelta(minutes=k)
            yield Change(
                item_id=pool[k % len(pool)], kind=KINDS[k % len(KINDS)], by_label="system", at=at,
                before={"status": "scheduled"}, after={"status": "confirmed"}, reason="",
                revision=2 + k // len(pool), schedule_version=2 + k // len(pool), public=True,
                processed_at=at + timedelta(seconds=5),
            )

    bulk(Change, generate())


def make_due(count: int, *, batch: int) -> None:
    """`count` published milestones a month ahead, each with its
    `confirmed` change not yet processed (the state after a crash between
    commit and the task, or a burst of edits)."""
    ids = rows.items(count, kind=Item.Kind.MILESTONE, status=Item.Status.CONFIRMED,
                     first_start=NOW + timedelta(days=30), step=timedelta(minutes=1),
                     created_at=NOW - timedelta(days=30), title=f"Confirmed {batch}")
    bulk(Change, (
        Change(item_id=pk, kind=Change.Kind.CONFIRMED, by_label="editor", at=NOW - timedelta(seconds=30),
               before={"status": "scheduled"}, after={"status": "confirmed"}, reason="",
               revision=1, schedule_version=1, public=True)
        for pk in ids
    ))


def process_once() -> int:
    processed, _ = process_changes(now=NOW)
    return processed


def is_polling_query(sql: str) -> bool:
    # The batch's claim: the due rows themselves, locked (SKIP LOCKED), 500 at most.
    return sql.startswith('SELECT "timeline_change"."id", ') and 'FROM "timeline_change"' in sql and "LIMIT 500" in sql


def test_change_processing_cost_follows_the_work_due(machine):
    subscription_create(now=NOW - timedelta(days=400), email="reader@example.org", everything=True,
                        lead_times=["7d", "1d"], confirmed=True)
    # Setup: direct writes (bulk_create; see rows.py).
    pool = rows.items(200, kind=Item.Kind.EVENT, status=Item.Status.RECORDED,
                      first_start=NOW - timedelta(days=400), step=timedelta(days=1),
                      created_at=NOW - timedelta(days=400), title="Pool")
    filler_changes(SMALL - DUE - WARMUP, pool)
    make_due(WARMUP, batch=0)
    vacuum_analyze(Change, Item)
    sql, _ = capture_polling_sql(lambda: drain(process_once), is_polling_query)

    make_due(DUE, batch=1)
    vacuum_analyze(Change, Item)
    small = measure(sql=sql, sweep=lambda: drain(process_once), rows=Change.objects.count())

    filler_changes(LARGE - SMALL, pool)
    make_due(DUE, batch=2)
    vacuum_analyze(Change, Item)
    large = measure(sql=sql, sweep=lambda: drain(process_once), rows=Change.objects.count())
    seq_ms = query_ms(sql, repeats=5, index_scans=False)

    report("change-log processing", INDEX, small, large, seq_ms=seq_ms)
    check("change-log processing", INDEX, small, large)
    # Each change was news once (one delivery) and wrote the 7-day and 1-day reminders.
    assert Delivery.objects.count() == WARMUP + 2 * DUE
    assert ReminderDue.objects.count() == 2 * (WARMUP + 2 * DUE)
