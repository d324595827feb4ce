"""How verdicts come about: by an editor, by a milestone's outcome, or by the
system once an expectation has stayed overdue past its grace period."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from ..exceptions import InvalidInput, StaleRevision, TransitionNotAllowed
from ..models import SYSTEM, Citation, Event, Expectation, Item, Milestone
from ..when import When
from ._core import By, apply_change, require_aware, require_status, when_columns

Status = Item.Status
TargetKind = Expectation.TargetKind
# Rows one sweep call handles at most; the task drains batch after batch.
SWEEP_BATCH = 500
VERDICTS = (Status.MET, Status.MET_LATE, Status.MISSED, Status.PARTLY_MET, Status.VOID)


def _verdict_fields(*, status: str, by: By, now: datetime, evidence_event, evidence_citation, note: str) -> dict:
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
) -> Expectation:
    if status not in VERDICTS:
        raise InvalidInput("Unknown verdict.", fields={"status": [f"One of: {', '.join(VERDICTS)}."]})
    # A dormant conditional whose condition never came can only be void.
    allowed = (Status.OPEN, Status.DORMANT) if status == Status.VOID else (Status.OPEN,)
    require_status(expectation, allowed, f"settle as {status}")
    _check_evidence(expectation, evidence_event, evidence_citation, note, status)
    apply_change(
        expectation, kind="settled", by=by, now=now, expected_revision=expected_revision, reason=note,
        item_fields={"status": status},
        child_fields=_verdict_fields(status=status, by=by, now=now, evidence_event=evidence_event,
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
) -> Expectation:
    """Replace a verdict with another (or reopen it): a new verdict of kind
    `overturned` in the log, never an edit of the old one."""
    require_status(expectation, VERDICTS, "overturn the verdict of")
    if status not in (*VERDICTS, Status.OPEN) or status == expectation.status:
        raise InvalidInput(
            "An overturn names a different verdict, or open to reopen.",
            fields={"status": [f"One of: {', '.join(s for s in (*VERDICTS, Status.OPEN) if s != expectation.status)}."]},
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
                 "evidence_citation": None, "verdict_note": note, "verdict_reviewed_at": None}
    else:
        _check_evidence(expectation, evidence_event, evidence_citation, note, status)
        child = _verdict_fields(status=status, by=by, now=now, evidence_event=evidence_event,
                                evidence_citation=evidence_citation, note=note)
    apply_change(
        expectation, kind="overturned", by=by, now=now, expected_revision=expected_revision, reason=note,
        item_fields={"status": status, "overdue_noticed_at": None}, child_fields=child, schedule_change=True,
        logged=["decided_by"],
    )
    return expectation


def expectation_review(
    *, expectation: Expectation, by: By, now: datetime, note: str = "", expected_revision: int | None = None
) -> Expectation:
    """An editor lets the system's verdict stand."""
    if expectation.decided_by != Expectation.DecidedBy.SYSTEM or expectation.status not in VERDICTS:
        raise TransitionNotAllowed(
            "Only a verdict the system gave can be reviewed.",
            current_status=expectation.status, editorial_state=expectation.editorial_state,
        )
    if expectation.verdict_reviewed_at is not None:
        raise TransitionNotAllowed(
            "This verdict was already reviewed.",
            current_status=expectation.status, editorial_state=expectation.editorial_state,
        )
    apply_change(
        expectation, kind="reviewed", by=by, now=now, expected_revision=expected_revision, reason=note,
        child_fields={"verdict_reviewed_at": now},
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
    expected_revision: int | None = None,
) -> Expectation:
    """The condition of a dormant conditional came about: it is now open, and
    its deadline, if it has one, counts from the trigger."""
    require_status(expectation, (Status.DORMANT,), "trigger")
    if trigger_event is not None and not isinstance(trigger_event, Event):
        raise InvalidInput("The trigger must be an event.", fields={"trigger_event": ["Must be an event."]})
    if triggered_at is None:
        triggered_at = trigger_event.when_start if trigger_event is not None and trigger_event.when_start else now
    require_aware(triggered_at)
    item_fields = {"status": Status.OPEN, "overdue_noticed_at": None}
    child = {"triggered_at": triggered_at, "trigger_event": trigger_event}
    if expectation.trigger_deadline:
        window = When(
            text=f"within {_duration(expectation.trigger_deadline)} of the trigger",
            start=triggered_at, end=triggered_at + expectation.trigger_deadline,
            precision="range", tz=expectation.when_tz,
        )
        item_fields.update(when_columns(window, as_of=triggered_at.date()))
        child["target_kind"] = TargetKind.BY
    apply_change(
        expectation, kind="triggered", by=by, now=now, expected_revision=expected_revision, reason=reason,
        item_fields=item_fields, child_fields=child, schedule_change=True,
    )
    return expectation


def _duration(delta: timedelta) -> str:
    """'90 days', '12 hours', '30 minutes': the largest whole unit, so that a
    grace period shorter than a day does not read as '0 days'."""
    seconds = int(delta.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


# -- Verdict rules ------------------------------------------------------------

def verdict_for_actual(expectation: Expectation, actual: When) -> tuple[str | None, str]:
    """What a milestone's actual When says of an expectation about it.

    Windows are half-open. Met when the actual window lies inside the target
    (for `by`, only its end matters); met late when it starts at or after the
    target's end; otherwise (a fuzzy actual date straddling the deadline, or
    an `on` that happened early) no verdict: an editor decides. Returns
    (status or None, explanation).
    """
    if not expectation.when.is_dated:
        return None, "The expectation has no target date to compare with."
    t_start, t_end = expectation.when_start, expectation.when_end
    a_start, a_end = actual.start, actual.end
    inside_end = a_end <= t_end
    inside_start = expectation.target_kind == TargetKind.BY or a_start >= t_start
    if inside_end and inside_start:
        return Status.MET, f"It happened {actual.text or 'in time'}, within the target window."
    if a_start >= t_end:
        return Status.MET_LATE, f"It happened {actual.text or 'after the deadline'}, after the target window ended."
    if a_end <= t_start:
        return None, "It happened before the target window opened; an editor decides whether that counts."
    return None, "The actual date straddles the target window's edge; an editor decides."


def settle_expectations_of_milestone(*, milestone: Milestone, now: datetime) -> int:
    """Apply the verdict rules to the open expectations about a milestone that
    has just happened or been cancelled. Returns how many were settled."""
    settled = 0
    for expectation in Expectation.objects.filter(about_milestone=milestone, status=Status.OPEN):
        if milestone.status == Status.CANCELLED:
            status, why = Status.MISSED, f"The milestone was cancelled: {milestone.cancel_reason}"
            evidence = None
        else:
            event = milestone.happened_event
            status, why = verdict_for_actual(expectation, event.when)
            evidence = event
        if status is None:
            apply_change(
                expectation, kind="edited", by=SYSTEM, now=now, reason=why,
                child_fields={"undecided_reason": why}, public=False,
            )
            continue
        expectation_settle(
            expectation=expectation, by=SYSTEM, now=now, status=status, note=why,
            evidence_event=evidence,
        )
        settled += 1
    return settled


def grace_period_of(expectation: Expectation) -> timedelta:
    """The expectation's own, else the longest of its storylines', else the setting."""
    if expectation.grace_period:
        return expectation.grace_period
    longest = expectation.storylines.aggregate(longest=Max("grace_period"))["longest"]
    return longest or settings.FW_DEFAULT_GRACE_PERIOD


def items_notice_overdue(*, now: datetime, limit: int = SWEEP_BATCH) -> int:
    """Record `overdue_noticed` once for each open item whose window has ended.

    Reads through the partial index of open, unnoticed items, so the cost
    follows the work due. Safe to run twice at once: the conditional UPDATE
    lets one sweep win each row.
    """
    require_aware(now)
    noticed = 0
    due = (
        Item.objects.filter(status__in=Item.OPEN_STATUSES, overdue_noticed_at__isnull=True, when_end__lte=now)
        # A retracted item is out of the record's public view: nobody owes it a verdict.
        .exclude(editorial_state=Item.EditorialState.RETRACTED)
        .order_by("when_end")[:limit]
    )
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
    decided by the system; subscribers are told through the change log."""
    require_aware(now)
    missed = 0
    # The ids come from the Item table alone, through its partial index of
    # open items by window end. Filtering through Expectation instead made the
    # planner join a full scan of timeline_expectation, so the sweep's cost
    # grew with every expectation ever recorded (benchmarks/test_overdue_sweep.py).
    overdue_ids = list(
        Item.objects.filter(kind=Item.Kind.EXPECTATION, status=Status.OPEN, when_end__lte=now)
        .exclude(editorial_state=Item.EditorialState.RETRACTED)
        .order_by("when_end", "pk")
        .values_list("pk", flat=True)
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
            f"{_duration(grace)} has passed: missed, decided by the system. An editor may overturn or review it."
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
