"""What the system does about what no one settled: notice what became
overdue, once, and call an open expectation missed once its grace period
has passed. Both run from the sweep every minute (timeline/tasks.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.db.models import Max

from core.durations import describe

from ..exceptions import StaleRevision, TransitionNotAllowed
from ..models import SYSTEM, Change, Expectation, Item
from ._core import by_fields, require_aware
from .verdicts import expectation_settle

Status = Item.Status
# Rows one sweep call handles at most; the task drains batch after batch.
SWEEP_BATCH = 500


def grace_period_of(expectation: Expectation) -> timedelta:
    """The expectation's own, else the longest of its storylines', else the setting."""
    if expectation.grace_period:
        return expectation.grace_period
    # The grace sweep reads it for a whole batch with the expectations
    # (with_storyline_grace); anyone else asks the storylines.
    if hasattr(expectation, "longest_storyline_grace"):
        longest = expectation.longest_storyline_grace
    else:
        longest = expectation.storylines.aggregate(longest=Max("grace_period"))["longest"]
    return longest or settings.FW_DEFAULT_GRACE_PERIOD


def with_storyline_grace(expectations):
    """The expectations with the longest grace period of their storylines
    read alongside (one query for the batch, not one per expectation)."""
    return expectations.annotate(longest_storyline_grace=Max("storylines__grace_period"))


def items_notice_overdue(*, now: datetime, limit: int = SWEEP_BATCH) -> int:
    """Record `overdue_noticed` once for each item that became overdue.

    Reads through the partial index of open, unnoticed items, so the cost
    follows the work due, and notices a batch of up to `limit` at once: one
    transaction, three queries whatever the batch's size. Safe to run twice
    at once: the UPDATE is conditioned on the items not being noticed yet and
    returns the rows it won, so a second sweep waits for the first's row locks,
    then matches nothing and writes nothing.

    The notice is the transition apply_change would write (revision + 1, a
    change row for editors only, before/after empty since overdue_noticed_at
    is not logged), written in bulk; the change row has record_change's fields.
    """
    require_aware(now)
    due = list(
        Item.objects.overdue(now).filter(overdue_noticed_at__isnull=True).order_by("when_end", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not due:
        return 0
    table = connection.ops.quote_name(Item._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET overdue_noticed_at = %s, revision = revision + 1, updated_at = %s "
            f"WHERE id IN ({', '.join(['%s'] * len(due))}) AND overdue_noticed_at IS NULL "
            f"RETURNING id, revision, schedule_version, when_end",
            [now, now, *due],
        )
        won = cursor.fetchall()
        when_end = Item._meta.get_field("when_end")
        changes = Change.objects.bulk_create([
            Change(
                item_id=pk, kind="overdue_noticed", at=now, before={}, after={}, public=False, public_note="",
                reason=(
                    f"The window ended on {_utc(when_end, ended):%Y-%m-%d %H:%M} UTC with no outcome recorded: "
                    "due now, needs a verdict."
                ),
                revision=revision, schedule_version=schedule_version, **by_fields(SYSTEM),
            )
            for pk, revision, schedule_version, ended in won
        ])
        # bulk_create sends no post_save; whoever listens for new change rows
        # (watch queues their processing on commit) hears of these as of any.
        for change in changes:
            post_save.send(sender=Change, instance=change, created=True, raw=False, using=connection.alias,
                           update_fields=None)
    return len(won)


def _utc(field, value) -> datetime:
    # A raw cursor hands back what the driver reads: an aware datetime on
    # PostgreSQL, a string on SQLite; the field's converters make both one.
    for converter in connection.ops.get_db_converters(field.get_col(field.model._meta.db_table)):
        value = converter(value, field, connection)
    return value.astimezone(timezone.utc)


def expectations_apply_grace(*, now: datetime, limit: int = SWEEP_BATCH) -> int:
    """An open expectation overdue for longer than its grace period is missed,
    decided by the system; subscribers are told through the change log. The
    verdict is provisional: a milestone marked happened later settles it
    again (verdict_rules)."""
    require_aware(now)
    missed = 0
    # The ids come from the Item table alone, through its partial index of
    # open items by window end. Filtering through Expectation instead made the
    # planner join a full scan of timeline_expectation, so the sweep's cost
    # grew with every expectation ever recorded (benchmarks/test_overdue_sweep.py).
    overdue_ids = list(
        Item.objects.overdue(now).filter(kind=Item.Kind.EXPECTATION)
        .order_by("when_end", "pk").values_list("pk", flat=True)
    )
    overdue = with_storyline_grace(
        Expectation.objects.filter(pk__in=overdue_ids)
        # What the verdict rules left to an editor (its milestone happened on
        # a date straddling the deadline) is not "missed": it stays listed.
        .filter(undecided_reason="")
        .order_by("when_end", "pk")
    )
    # Not sliced: grace periods differ, so the oldest overdue expectations may
    # still be inside a long grace while newer ones are past a short one. The
    # open overdue ones are few (past their grace they stop being open); the
    # limit caps the writes of one sweep.
    for expectation in overdue:
        if missed >= limit:
            break
        grace = grace_period_of(expectation)
        if expectation.when_end + grace > now:
            continue
        note = (
            f"No outcome was recorded by {expectation.when_end:%Y-%m-%d} and the grace period of "
            f"{describe(grace)} has passed: missed, decided by the system. An editor may overturn or review it."
        )
        try:
            with transaction.atomic():
                expectation_settle(expectation=expectation, by=SYSTEM, now=now, status=Status.MISSED, note=note)
            missed += 1
        except (StaleRevision, TransitionNotAllowed):
            continue
    return missed


def sweep_overdue(*, now: datetime, limit: int = SWEEP_BATCH) -> dict[str, int]:
    """The periodic sweep: notice what became overdue, then apply the grace rule."""
    return {
        "noticed": items_notice_overdue(now=now, limit=limit),
        "missed": expectations_apply_grace(now=now, limit=limit),
    }
