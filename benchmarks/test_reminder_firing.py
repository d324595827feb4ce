"""Firing reminders (watch.services.fire_due_reminders, every minute) among
ReminderDue tables of ~10k and ~200k rows.

The due rows are 1,000 pending reminders of 1,000 published milestones, each
fanning out to one "everything" subscription (a notification and a delivery
each). The rest of the table is what months of running leave behind: fired,
skipped and withdrawn rows, and pending rows due later. The polling query
reads `reminder_due_pending`; none of the rest may cost anything.
"""

import itertools
from datetime import timedelta

from timeline.models import Item
from watch.models import Delivery, Notification, ReminderDue
from watch.services import fire_due_reminders, subscription_create

from . import rows
from .support import (
    DUE, LARGE, NOW, SMALL, WARMUP, bulk, capture_polling_sql, check, drain, measure, query_ms, report,
    vacuum_analyze,
)

INDEX = "reminder_due_pending"
LEAD = timedelta(days=1)
_version = itertools.count(1)


def filler_reminders(count: int, pool: list[int]) -> None:
    """Settled rows of the past, and pending rows due in the coming months,
    spread over a pool of items (each row its own schedule version, as the
    unique key wants)."""
    states = [
        (0.55, ReminderDue.State.FIRED), (0.15, ReminderDue.State.SKIPPED), (0.15, ReminderDue.State.WITHDRAWN),
        (0.15, ReminderDue.State.PENDING),
    ]

    def generate():
        written = 0
        for i, (share, state) in enumerate(states):
            n = count - written if i == len(states) - 1 else int(count * share)
            for k in range(n):
                pending = state == ReminderDue.State.PENDING
                due_at = NOW + timedelta(minutes=1 + k) if pending else NOW - timedelta(days=400) + timedelta(minutes=k)
                yield ReminderDue(
                    item_id=pool[k % len(pool)], lead=LEAD if k % 2 else timedelta(days=7),
                    schedule_version=next(_version), due_at=due_at, state=state,
                    settled_at=None if pending else due_at, created_at=due_at - timedelta(days=30),
                )
            written += n

    bulk(ReminderDue, generate())


def make_due(count: int, *, batch: int) -> None:
    """`count` published milestones a day and more ahead, each with its
    1-day reminder pending and due a few minutes ago."""
    ids = rows.items(count, kind=Item.Kind.MILESTONE, status=Item.Status.SCHEDULED,
                     first_start=NOW + timedelta(days=2), step=timedelta(minutes=1),
                     created_at=NOW - timedelta(days=30), title=f"Reminded {batch}")
    bulk(ReminderDue, (
        ReminderDue(item_id=pk, lead=LEAD, schedule_version=1, due_at=NOW - timedelta(minutes=5 + n % 50),
                    created_at=NOW - timedelta(days=30))
        for n, pk in enumerate(ids)
    ))


def fire_once() -> int:
    result = fire_due_reminders(now=NOW)
    return result.fired + result.skipped + result.withdrawn


def is_polling_query(sql: str) -> bool:
    # The batch's claim: the due rows themselves, locked (SKIP LOCKED), 500 at most.
    return sql.startswith('SELECT "watch_reminderdue"."id", ') and 'FROM "watch_reminderdue"' in sql and "LIMIT 500" in sql


def test_reminder_firing_cost_follows_the_work_due(machine):
    # The subscriber comes first, so subscribing writes no due rows of its own.
    subscription_create(now=NOW - timedelta(days=60), email="reader@example.org", everything=True,
                        lead_times=["7d", "1d"], confirmed=True)
    # Setup: direct writes (bulk_create; see rows.py).
    pool = rows.items(200, kind=Item.Kind.MILESTONE, status=Item.Status.SCHEDULED,
                      first_start=NOW + timedelta(days=30), step=timedelta(hours=1),
                      created_at=NOW - timedelta(days=400), title="Pool")
    filler_reminders(SMALL - DUE - WARMUP, pool)
    make_due(WARMUP, batch=0)
    vacuum_analyze(ReminderDue, Item)
    sql, _ = capture_polling_sql(lambda: drain(fire_once), is_polling_query)

    make_due(DUE, batch=1)
    vacuum_analyze(ReminderDue, Item)
    small = measure(sql=sql, sweep=lambda: drain(fire_once), rows=ReminderDue.objects.count())

    filler_reminders(LARGE - SMALL, pool)
    make_due(DUE, batch=2)
    vacuum_analyze(ReminderDue, Item)
    large = measure(sql=sql, sweep=lambda: drain(fire_once), rows=ReminderDue.objects.count())
    seq_ms = query_ms(sql, repeats=5, index_scans=False)

    report("reminder firing", INDEX, small, large, seq_ms=seq_ms)
    check("reminder firing", INDEX, small, large)
    # Each fired row reached the subscriber once: a notification and a delivery.
    fired = ReminderDue.objects.filter(state=ReminderDue.State.FIRED, item__title__startswith="Reminded").count()
    assert fired == WARMUP + 2 * DUE
    assert Notification.objects.count() == Delivery.objects.count() == WARMUP + 2 * DUE
