"""Derived states, each defined once: a queryset condition and a method of
`now` that agree.

Overdue, needs a verdict, upcoming and public are computed from stored facts
and the moment asked about; none is ever stored as a status. Every list,
filter, page, feed, sweep and report takes them from here, through
`Item.objects.<state>(...)` or `item.<state>(now)`, and
tests/timeline/test_derived_states.py builds every combination of kind,
status, editorial state and window position to check that the two agree.

The conditions read only Item columns where they can, so the sweeps keep
using Item's partial indexes (their condition is `status IN OPEN_STATUSES`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import BooleanField, Case, Q, Value, When

from .lifecycle import OPEN_STATUSES, EditorialState, Kind, Status

SYSTEM_DECIDED = "system"


# -- Public: what anyone may see ------------------------------------------------

PUBLIC = Q(editorial_state=EditorialState.PUBLISHED)
# Retracted items are out of the record's view: nothing about them is due or
# owed a verdict, even to an editor.
IN_RECORD = ~Q(editorial_state=EditorialState.RETRACTED)


def is_public(item) -> bool:
    return item.editorial_state == EditorialState.PUBLISHED


def is_in_record(item) -> bool:
    return item.editorial_state != EditorialState.RETRACTED


# -- Overdue: still awaited, and its window has ended ---------------------------------

def overdue(now: datetime) -> Q:
    return Q(status__in=OPEN_STATUSES, when_end__lte=now) & IN_RECORD


def overdue_flag(now: datetime) -> Case:
    """The same condition as a column, for lists that show and sort by it."""
    return Case(When(overdue(now), then=Value(True)), default=Value(False), output_field=BooleanField())


def is_overdue(item, now: datetime) -> bool:
    return (
        item.status in OPEN_STATUSES
        and is_in_record(item)
        and item.when_end is not None
        and item.when_end <= now
    )


# -- Upcoming: its window opens, or its deadline falls, within a horizon -------------

def upcoming(now: datetime, within: timedelta) -> Q:
    horizon = now + within
    return (
        Q(status__in=OPEN_STATUSES)
        & IN_RECORD
        & (Q(when_start__gte=now, when_start__lt=horizon) | Q(when_end__gt=now, when_end__lte=horizon))
    )


def is_upcoming(item, now: datetime, within: timedelta) -> bool:
    if item.status not in OPEN_STATUSES or not is_in_record(item):
        return False
    horizon = now + within
    opens = item.when_start is not None and now <= item.when_start < horizon
    closes = item.when_end is not None and now < item.when_end <= horizon
    return opens or closes


# -- Needs a verdict --------------------------------------------------------------
# The brief's: overdue, or missed by the system and not yet reviewed or
# overturned. Also what the verdict rules left for an editor: a fuzzy actual
# date straddling the deadline, or an editor's verdict that a later fact
# contradicts (services.verdicts sets undecided_reason for both).

def _verdict_facts(prefix: str) -> tuple[Q, Q]:
    """The two expectation-only conditions, with the path to the
    Expectation columns: "expectation__" from Item, "" from Expectation."""
    system_miss_unreviewed = Q(
        kind=Kind.EXPECTATION, status=Status.MISSED,
        **{f"{prefix}decided_by": SYSTEM_DECIDED, f"{prefix}verdict_reviewed_at__isnull": True},
    )
    left_for_editor = Q(kind=Kind.EXPECTATION) & ~Q(**{f"{prefix}undecided_reason": ""})
    return system_miss_unreviewed, left_for_editor


SYSTEM_MISS_UNREVIEWED, LEFT_FOR_EDITOR = _verdict_facts("expectation__")


def needs_verdict(now: datetime, *, expectation_path: str | None = "expectation__") -> Q:
    """`expectation_path` reaches the Expectation columns from the queryset's
    model; None for Event and Milestone querysets, where only overdue applies."""
    if expectation_path is None:
        return overdue(now)
    system_miss_unreviewed, left_for_editor = _verdict_facts(expectation_path)
    return IN_RECORD & (overdue(now) | system_miss_unreviewed | left_for_editor)


def is_system_miss_unreviewed(item) -> bool:
    expectation = _expectation(item)
    return bool(
        expectation is not None and item.status == Status.MISSED
        and expectation.decided_by == SYSTEM_DECIDED and expectation.verdict_reviewed_at is None
    )


def is_left_for_editor(item) -> bool:
    expectation = _expectation(item)
    return bool(expectation is not None and expectation.undecided_reason)


def is_needing_verdict(item, now: datetime) -> bool:
    return is_in_record(item) and (
        is_overdue(item, now) or is_system_miss_unreviewed(item) or is_left_for_editor(item)
    )


def _expectation(item):
    if item.kind != Kind.EXPECTATION:
        return None
    # An Expectation row is its own; a plain Item reaches it through the
    # one-to-one link (select_related("expectation") keeps that free).
    return item if hasattr(item, "undecided_reason") else item.expectation
