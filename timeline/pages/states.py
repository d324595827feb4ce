"""What a reader is told an item's state is, and how to filter by it.

Overdue is not a status (timeline/derived.py), but readers need it beside
the statuses: an open expectation past its deadline is not simply "open".
So the pages speak of a *state*: "overdue" when the item is overdue now,
else its status. An open item that is overdue counts as overdue only, so
that the totals of a scoreboard add up to the number of expectations.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from .. import derived
from ..lifecycle import OPEN_STATUSES, Status

OVERDUE = "overdue"

LABELS = {
    Status.RECORDED: "Recorded",
    Status.SCHEDULED: "Scheduled",
    Status.CONFIRMED: "Confirmed",
    Status.HAPPENED: "Happened",
    Status.CANCELLED: "Cancelled",
    Status.DORMANT: "Dormant",
    Status.OPEN: "Open",
    OVERDUE: "Overdue",
    Status.MET: "Met",
    Status.MET_LATE: "Met late",
    Status.MISSED: "Missed",
    Status.PARTLY_MET: "Partly met",
    Status.VOID: "Void",
}

# The scoreboard's order: the brief's list, still-awaited first.
EXPECTATION_STATES = (
    Status.OPEN, OVERDUE, Status.MET, Status.MET_LATE, Status.MISSED, Status.PARTLY_MET, Status.VOID,
    Status.DORMANT,
)
# What a state means to a reader who has not read the brief.
HINTS = {
    Status.OPEN: "awaited, deadline not passed",
    OVERDUE: "deadline passed, no outcome recorded yet",
    Status.MET: "came true in time",
    Status.MET_LATE: "came true after the deadline",
    Status.MISSED: "did not come true",
    Status.PARTLY_MET: "came partly true",
    Status.VOID: "no longer applies",
    Status.DORMANT: "a conditional whose condition has not come about",
}


def state_of(item, now: datetime) -> str:
    return OVERDUE if item.is_overdue(now) else item.status


def state_from_flag(status: str, overdue: bool) -> str:
    """The same, from a row annotated with derived.overdue_flag(now)."""
    return OVERDUE if overdue else status


def is_state(value: str) -> bool:
    return value in LABELS


def state_filter(state: str, now: datetime) -> Q:
    """The rows in `state` now; agrees with state_of."""
    if state == OVERDUE:
        return derived.overdue(now)
    if state in OPEN_STATUSES:
        return Q(status=state) & ~derived.overdue(now)
    return Q(status=state)


def label(state: str) -> str:
    return LABELS.get(state, state.replace("_", " ").capitalize())
