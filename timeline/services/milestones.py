"""A milestone's lifecycle: scheduled -> confirmed; postponed; happened or cancelled."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from .. import lifecycle
from ..exceptions import InvalidInput
from ..models import Event, Item, Milestone
from ..when import When
from ._core import By, apply_change, when_columns
from .items import item_create
from .verdict_rules import settle_expectations_of_milestone

Status = Item.Status


def milestone_confirm(
    *, milestone: Milestone, by: By, now: datetime, expected_revision: int | None = None, reason: str = "",
    public_note: str = "",
) -> Milestone:
    lifecycle.require(milestone, "confirm")
    apply_change(
        milestone, kind="confirmed", by=by, now=now, expected_revision=expected_revision, reason=reason,
        public_note=public_note,
        item_fields={"status": Status.CONFIRMED}, schedule_change=True,
    )
    return milestone


def milestone_postpone(
    *,
    milestone: Milestone,
    by: By,
    now: datetime,
    when: When,
    as_of=None,
    expected_revision: int | None = None,
    reason: str = "",
    public_note: str = "",
) -> Milestone:
    """Move a milestone to a new When (possibly undated). The old When stays
    in the change row's `before`."""
    lifecycle.require(milestone, "postpone")
    apply_change(
        milestone, kind="postponed", by=by, now=now, expected_revision=expected_revision, reason=reason,
        public_note=public_note,
        item_fields={
            "status": Status.SCHEDULED,
            "overdue_noticed_at": None,
            **when_columns(when, as_of=as_of if as_of is not None else milestone.when_as_of),
        },
        child_fields={"postponed_count": milestone.postponed_count + 1},
        schedule_change=True,
    )
    return milestone


def milestone_mark_happened(
    *,
    milestone: Milestone,
    by: By,
    now: datetime,
    event: Event | None = None,
    actual: When | None = None,
    as_of=None,
    expected_revision: int | None = None,
    reason: str = "",
    public_note: str = "",
) -> Milestone:
    """The milestone happened: `event` shows it, or one is recorded from the
    actual When. The expectations about it are settled by the verdict rules
    (verdict_rules.py); what was done to each is on `milestone.outcomes` and
    in the change row, so the editor can be told."""
    lifecycle.require(milestone, "happened")
    if (event is None) == (actual is None):
        raise InvalidInput(
            "Give the event that shows it happened, or the actual When (not both).",
            fields={"event": ["Give an event or an actual When."]},
        )
    if actual is not None and not actual.is_dated:
        raise InvalidInput("The actual When must be dated.", fields={"actual": ["An undated actual When settles nothing."]})
    if event is not None:
        # The verdict rules compare the event's window with the targets: it
        # must be an event, and dated (an undated one settles nothing).
        if not isinstance(event, Event):
            raise InvalidInput("The evidence must be an event.", fields={"event": ["Must be an event."]})
        if not event.when.is_dated:
            raise InvalidInput("The event must be dated.", fields={"event": ["An undated event settles nothing."]})
    with transaction.atomic():
        if event is None:
            event = item_create(
                kind=Item.Kind.EVENT, by=by, now=now, title=milestone.title, when=actual, as_of=as_of,
                summary=f"Shows that the milestone “{milestone.title}” happened.",
                storylines=milestone.storylines.all(), actors=milestone.actors.all(), place=milestone.place,
                editorial_state=milestone.editorial_state if milestone.is_published else Item.EditorialState.DRAFT,
            )
        change = apply_change(
            milestone, kind="happened", by=by, now=now, expected_revision=expected_revision, reason=reason,
            public_note=public_note,
            item_fields={"status": Status.HAPPENED},
            child_fields={"happened_event": event},
            schedule_change=True,
            after_extra={"actual_when": event.when},
        )
        milestone.outcomes = settle_expectations_of_milestone(milestone=milestone, now=now)
        if milestone.outcomes:
            change.after["expectations"] = [outcome.as_dict() for outcome in milestone.outcomes]
            change.save(update_fields=["after"])
    return milestone


def milestone_cancel(
    *, milestone: Milestone, by: By, now: datetime, reason: str, expected_revision: int | None = None,
    internal_note: str = "",
) -> Milestone:
    """It will not happen. The reason is public (the item shows why it was
    cancelled); `internal_note` stays in the change log."""
    lifecycle.require(milestone, "cancel")
    if not (reason or "").strip():
        raise InvalidInput("Cancelling needs a reason.", fields={"reason": ["Say why it was cancelled."]})
    with transaction.atomic():
        apply_change(
            milestone, kind="cancelled", by=by, now=now, expected_revision=expected_revision,
            reason=internal_note or reason, public_note=reason,
            item_fields={"status": Status.CANCELLED}, child_fields={"cancel_reason": reason}, schedule_change=True,
        )
        milestone.outcomes = settle_expectations_of_milestone(milestone=milestone, now=now)
    return milestone
