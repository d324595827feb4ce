"""What the system does about what no one settled: notice what became
overdue, once, and call an open expectation missed once its grace period
has passed. Both run from the sweep every minute (timeline/tasks.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from core.durations import describe

from ..exceptions import StaleRevision, TransitionNotAllowed
from ..models import SYSTEM, Expectation, Item
from ._core import apply_change, require_aware
from .verdicts import expectation_settle

Status = Item.Status
# Rows one sweep call handles at most; the task drains batch after batch.
SWEEP_BATCH = 500


def grace_period_of(expectation: Expectation) -> timedelta:
    """The expectation's own, else the longest of its storylines', else the setting."""
    if expectation.grace_period:
        return expectation.grace_period
    longest = expectation.storylines.aggregate(longest=Max("grace_period"))["longest"]
    return longest or settings.FW_DEFAULT_GRACE_PERIOD


def items_notice_overdue(*, now: datetime, limit: int = SWEEP_BATCH) -> int:
    """Record `overdue_noticed` once for each item that became overdue.

    Reads through the partial index of open, unnoticed items, so the cost
    follows the work due. Safe to run twice at once: the conditional UPDATE
    lets one sweep win each row.
    """
    require_aware(now)
    noticed = 0
    due = Item.objects.overdue(now).filter(overdue_noticed_at__isnull=True).order_by("when_end")[:limit]
    for item in due:
        try:
            # item.specific() loads the child row afresh: guard on the revision
            # read with the list, or a sweep that lost the race to another one
            # would find that one's revision, pass the guard, and notice twice.
            apply_change(
                item.specific(), kind="overdue_noticed", by=SYSTEM, now=now, expected_revision=item.revision,
                reason=f"The window ended on {item.when_end:%Y-%m-%d %H:%M} UTC with no outcome recorded: due now, needs a verdict.",
                item_fields={"overdue_noticed_at": now}, public=False,
            )
            noticed += 1
        except StaleRevision:
            continue  # changed under us (another sweep, or an editor): the next sweep sees it fresh
    return noticed


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
    overdue = (
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
