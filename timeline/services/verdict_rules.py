"""What a milestone's outcome says of the expectations about it.

Windows are half-open. A milestone that happened settles an expectation about
it as met when the actual window lies inside the target (for `by`, only its
end matters), met late when it starts at or after the target's end, and
otherwise (a fuzzy actual date straddling the deadline, or an `on` that came
early) lists it for an editor. A cancelled milestone makes them missed.

A verdict the system gave is provisional: when a milestone is marked happened
after the grace rule called its expectation missed, or when a correction
moves the actual date, the rules run again and the system's verdict follows
the facts (a `settled` change by the system, which subscribers hear of). A
verdict an editor gave is never changed here: where the facts now disagree
with it, it is listed for that editor (`undecided_reason`) to review or
overturn.

Notes are written for the permanent record: dates as the reader sees them
("15 Jan 2026", "January 2026"), never "today" or a relative word.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..lifecycle import VERDICTS
from ..models import SYSTEM, Event, Expectation, Item, Milestone
from ..when import DAY, RANGE, TIME, WEEK, When
from ._core import apply_change
from .verdicts import expectation_settle, verdict_fields

Status = Item.Status
TargetKind = Expectation.TargetKind
LABELS = {"met": "met", "met_late": "met late", "missed": "missed", "partly_met": "partly met", "void": "void",
          "open": "open"}


@dataclass(frozen=True)
class Outcome:
    """What the rules did to one expectation, for the editor who marked the
    milestone (and for the happened change row)."""

    expectation: Expectation
    status_before: str
    status_after: str
    settled: bool  # the rules gave (or changed) a verdict; False: left for an editor
    reason: str

    def as_dict(self) -> dict:
        return {"public_id": str(self.expectation.public_id), "title": self.expectation.title,
                "status_before": self.status_before, "status_after": self.status_after,
                "settled": self.settled, "reason": self.reason}


def _dated(when: When) -> str:
    """'on 15 Jan 2026', 'during 28 Jan - 3 Feb 2026', 'in January 2026': how a note names a window."""
    preposition = "on" if when.precision in (TIME, DAY) else "during" if when.precision in (WEEK, RANGE) else "in"
    return f"{preposition} {when.display()}"


def verdict_for_actual(expectation: Expectation, actual: When) -> tuple[str | None, str]:
    """(status or None, explanation) for an expectation whose milestone
    happened at `actual`."""
    if not expectation.when.is_dated:
        return None, "The expectation has no target date to compare with."
    target = expectation.when
    a_start, a_end = actual.start, actual.end
    inside_end = a_end <= target.end
    inside_start = expectation.target_kind == TargetKind.BY or a_start >= target.start
    happened = f"It happened {_dated(actual)}"
    if inside_end and inside_start:
        return Status.MET, f"{happened}, within the target window ({target.display()})."
    if a_start >= target.end:
        return Status.MET_LATE, f"{happened}, after the target window ({target.display()}) ended."
    if a_end <= target.start:
        return None, f"{happened}, before the target window ({target.display()}) opened; an editor decides whether that counts."
    return None, f"{happened}, a date that straddles an edge of the target window ({target.display()}); an editor decides."


def _rule_for(milestone: Milestone, expectation: Expectation) -> tuple[str | None, str, Event | None]:
    if milestone.status == Status.CANCELLED:
        return Status.MISSED, f"The milestone was cancelled: {milestone.cancel_reason}", None
    event = milestone.happened_event
    status, why = verdict_for_actual(expectation, event.when)
    return status, why, event


def settle_expectations_of_milestone(*, milestone: Milestone, now: datetime) -> list[Outcome]:
    """Apply the rules to the expectations about a milestone that happened or
    was cancelled. Open ones are settled or listed for an editor; system
    verdicts follow the facts; editors' verdicts are listed where the facts
    disagree. Returns what was done to each expectation touched."""
    if milestone.status not in (Status.HAPPENED, Status.CANCELLED):
        return []
    outcomes = []
    for expectation in Expectation.objects.filter(about_milestone=milestone).order_by("sort_key", "pk"):
        status, why, evidence = _rule_for(milestone, expectation)
        outcome = _apply(expectation, status, why, evidence, now=now)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


def _apply(expectation: Expectation, status, why: str, evidence, *, now: datetime) -> Outcome | None:
    before = expectation.status
    if before == Status.OPEN:
        if status is None:
            _leave_for_editor(expectation, why, now=now)
            return Outcome(expectation, before, before, False, why)
        expectation_settle(expectation=expectation, by=SYSTEM, now=now, status=status, note=why, evidence_event=evidence)
        return Outcome(expectation, before, status, True, why)
    if before not in VERDICTS:
        return None  # a dormant conditional: its condition has not come about
    if expectation.decided_by == Expectation.DecidedBy.SYSTEM:
        if status is None:
            reason = f"{why} The system's verdict ({LABELS[before]}) was provisional."
            _leave_for_editor(expectation, reason, now=now)
            return Outcome(expectation, before, before, False, reason)
        if status == before and expectation.evidence_event_id == getattr(evidence, "pk", None):
            return None
        _resettle(expectation, status, why, evidence, now=now)
        return Outcome(expectation, before, status, True, why)
    # An editor's verdict stands; a disagreement is theirs to look at.
    if status == before:
        return None
    rules_say = LABELS[status] if status else "no verdict"
    reason = (f"{why} The verdict rules say {rules_say}; the editor's verdict ({LABELS[before]}) stands "
              "until an editor reviews or overturns it.")
    _leave_for_editor(expectation, reason, now=now)
    return Outcome(expectation, before, before, False, reason)


def _resettle(expectation: Expectation, status: str, why: str, evidence, *, now: datetime) -> None:
    """The system's provisional verdict follows the facts: a `settled` change
    by the system, public like any verdict."""
    apply_change(
        expectation, kind="settled", by=SYSTEM, now=now, public_note=why,
        item_fields={"status": status, "overdue_noticed_at": None},
        child_fields=verdict_fields(by=SYSTEM, now=now, evidence_event=evidence, evidence_citation=None, note=why),
        schedule_change=True, logged=["decided_by"],
    )


def _leave_for_editor(expectation: Expectation, reason: str, *, now: datetime) -> None:
    if expectation.undecided_reason == reason:
        return  # already listed for this very reason: nothing changes
    apply_change(
        expectation, kind="edited", by=SYSTEM, now=now, reason=reason,
        child_fields={"undecided_reason": reason}, public=False,
    )


def resettle_after_correction(item: Item, *, now: datetime) -> list[Outcome]:
    """A correction of an event's When moves the actual date of the
    milestones it shows; a correction of a milestone's status to happened or
    cancelled is an outcome too. Either way the rules run again."""
    if item.kind == Item.Kind.EVENT:
        milestones = Milestone.objects.filter(happened_event_id=item.pk, status=Status.HAPPENED)
    elif item.kind == Item.Kind.MILESTONE:
        milestones = Milestone.objects.filter(pk=item.pk)
    else:
        return []
    outcomes = []
    for milestone in milestones.select_related("happened_event"):
        outcomes += settle_expectations_of_milestone(milestone=milestone, now=now)
    return outcomes
