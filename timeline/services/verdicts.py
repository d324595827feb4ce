"""Verdicts an editor gives: settle, overturn, review, and the trigger that
opens a dormant conditional. Which moves are allowed from where is the
lifecycle table's (timeline/lifecycle.py); the verdict rules a milestone's
outcome applies are in verdict_rules.py, the system's sweep in overdue.py."""

from __future__ import annotations

from datetime import datetime

from core.durations import describe

from .. import lifecycle
from ..exceptions import InvalidInput
from ..lifecycle import VERDICTS
from ..models import SYSTEM, Citation, Event, Expectation, Item
from ..when import When
from ._core import By, apply_change, require_aware, when_columns

Status = Item.Status
TargetKind = Expectation.TargetKind


def verdict_fields(*, by: By, now: datetime, evidence_event, evidence_citation, note: str) -> dict:
    """The Expectation columns of a verdict just given."""
    return {
        "decided_by": Expectation.DecidedBy.SYSTEM if by == SYSTEM else Expectation.DecidedBy.EDITOR,
        "decided_by_user": None if by == SYSTEM else by,
        "decided_at": now,
        "evidence_event": evidence_event,
        "evidence_citation": evidence_citation,
        "verdict_note": note,
        "verdict_reviewed_at": None,
        "undecided_reason": "",
    }


def _check_evidence(expectation: Expectation, evidence_event, evidence_citation, note: str, status: str) -> None:
    errors = {}
    if evidence_event is not None and not isinstance(evidence_event, Event):
        errors["evidence_event"] = ["Must be an event."]
    if evidence_citation is not None and not isinstance(evidence_citation, Citation):
        errors["evidence_citation"] = ["Must be a citation."]
    elif evidence_citation is not None and evidence_citation.item_id != expectation.pk:
        # Evidence is cited on the expectation itself, so its history shows the source.
        errors["evidence_citation"] = ["Must be a citation of this expectation."]
    if not (note or "").strip():
        errors["note"] = ["Say how the verdict was reached."]
    if status in (Status.MET, Status.MET_LATE, Status.PARTLY_MET) and evidence_event is None and evidence_citation is None:
        errors["evidence"] = ["A met verdict needs evidence: an event or a citation."]
    if errors:
        raise InvalidInput("The verdict is incomplete.", fields=errors)


def expectation_settle(
    *,
    expectation: Expectation,
    by: By,
    now: datetime,
    status: str,
    note: str,
    evidence_event: Event | None = None,
    evidence_citation: Citation | None = None,
    expected_revision: int | None = None,
    internal_note: str = "",
) -> Expectation:
    """Give a verdict. The note is public: it explains the verdict to
    subscribers and on the item's page."""
    if status not in VERDICTS:
        raise InvalidInput("Unknown verdict.", fields={"status": [f"One of: {', '.join(VERDICTS)}."]})
    lifecycle.require(expectation, "settle", to=status)
    _check_evidence(expectation, evidence_event, evidence_citation, note, status)
    apply_change(
        expectation, kind="settled", by=by, now=now, expected_revision=expected_revision,
        reason=internal_note or note, public_note=note,
        item_fields={"status": status},
        child_fields=verdict_fields(by=by, now=now, evidence_event=evidence_event,
                                    evidence_citation=evidence_citation, note=note),
        schedule_change=True,
        logged=["decided_by"],
    )
    return expectation


def expectation_overturn(
    *,
    expectation: Expectation,
    by: By,
    now: datetime,
    status: str,
    note: str,
    evidence_event: Event | None = None,
    evidence_citation: Citation | None = None,
    expected_revision: int | None = None,
    internal_note: str = "",
) -> Expectation:
    """Replace a verdict with another (or reopen it): a new verdict of kind
    `overturned` in the log, never an edit of the old one."""
    from .overdue import grace_period_of

    lifecycle.require(expectation, "overturn")
    lifecycle.require_target(
        expectation, "overturn", status, message="An overturn names a different verdict, or open to reopen."
    )
    if status == Status.OPEN:
        if not (note or "").strip():
            raise InvalidInput("The verdict is incomplete.", fields={"note": ["Say why the verdict is withdrawn."]})
        if expectation.when_end is not None and expectation.when_end + grace_period_of(expectation) <= now:
            # Reopened as it stands, the next sweep would call it missed again.
            raise InvalidInput(
                "This expectation is past its deadline and grace period: reopened, the system would call it "
                "missed again at its next sweep. Give another verdict, or correct its When to reopen it.",
                fields={"status": ["Past the deadline and grace period: correct the When to reopen."]},
            )
        child = {"decided_by": "", "decided_by_user": None, "decided_at": None, "evidence_event": None,
                 "evidence_citation": None, "verdict_note": note, "verdict_reviewed_at": None,
                 "undecided_reason": ""}
    else:
        _check_evidence(expectation, evidence_event, evidence_citation, note, status)
        child = verdict_fields(by=by, now=now, evidence_event=evidence_event,
                               evidence_citation=evidence_citation, note=note)
    apply_change(
        expectation, kind="overturned", by=by, now=now, expected_revision=expected_revision,
        reason=internal_note or note, public_note=note,
        item_fields={"status": status, "overdue_noticed_at": None}, child_fields=child, schedule_change=True,
        logged=["decided_by"],
    )
    return expectation


def expectation_review(
    *, expectation: Expectation, by: By, now: datetime, note: str = "", expected_revision: int | None = None
) -> Expectation:
    """An editor lets the verdict stand: the system's, or their own that a
    later fact seemed to contradict (then listed with `undecided_reason`).
    The note stays in the change log."""
    lifecycle.require(expectation, "review")
    apply_change(
        expectation, kind="reviewed", by=by, now=now, expected_revision=expected_revision, reason=note,
        child_fields={"verdict_reviewed_at": now, "undecided_reason": ""},
    )
    return expectation


def expectation_trigger(
    *,
    expectation: Expectation,
    by: By,
    now: datetime,
    triggered_at: datetime | None = None,
    trigger_event: Event | None = None,
    reason: str = "",
    public_note: str = "",
    expected_revision: int | None = None,
) -> Expectation:
    """The condition of a dormant conditional came about: it is now open, and
    its deadline, if it has one, counts from the trigger."""
    lifecycle.require(expectation, "trigger")
    if trigger_event is not None and not isinstance(trigger_event, Event):
        raise InvalidInput("The trigger must be an event.", fields={"trigger_event": ["Must be an event."]})
    if triggered_at is None:
        triggered_at = trigger_event.when_start if trigger_event is not None and trigger_event.when_start else now
    require_aware(triggered_at)
    item_fields = {"status": Status.OPEN, "overdue_noticed_at": None}
    child = {"triggered_at": triggered_at, "trigger_event": trigger_event}
    if expectation.trigger_deadline:
        window = When(
            text=f"within {describe(expectation.trigger_deadline)} of the trigger",
            start=triggered_at, end=triggered_at + expectation.trigger_deadline,
            precision="range", tz=expectation.when_tz,
        )
        item_fields.update(when_columns(window, as_of=triggered_at.date()))
        child["target_kind"] = TargetKind.BY
    apply_change(
        expectation, kind="triggered", by=by, now=now, expected_revision=expected_revision, reason=reason,
        public_note=public_note, item_fields=item_fields, child_fields=child, schedule_change=True,
    )
    return expectation
