"""Incoming events into milestones, through the services only.

For each event, in its own transaction (a failure leaves nothing of it
behind, and the others still go in):

- a UID never seen in this storyline: a new milestone (proposed, or
  published with `publish`), cancelled at once if the calendar says so;
- seen, with the same content and no newer SEQUENCE: nothing;
- seen, with a newer SEQUENCE or changed content, and the milestone as the
  last import left it: the change goes through the services
  (milestone_postpone for new times, so reminders follow; milestone_confirm,
  milestone_cancel, item_edit for a title or description; item_correct to
  bring back a cancelled one);
- seen, changed, but an editor changed the milestone here since the last
  import: a conflict. The incoming version waits on the link until an editor
  keeps ours or takes theirs (`conflict_keep_ours`, `conflict_take_theirs`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from ... import services
from ...models import CalendarLink, Item, Milestone, Storyline
from ...services._core import By
from ...when import When
from .read import Incoming, fingerprint

Status = Item.Status
CREATED, UPDATED, UNCHANGED, CONFLICT = "created", "updated", "unchanged", "conflict"


def milestone_fingerprint(milestone: Milestone) -> str:
    # A retracted milestone is an editor's decision the calendar knows nothing of.
    status = "retracted" if milestone.editorial_state == Item.EditorialState.RETRACTED else milestone.status
    return fingerprint(title=milestone.title, summary=milestone.summary, when=milestone.when, status=status)


def _note(incoming: Incoming, source: str) -> str:
    where = f"{source}, line {incoming.line}" if incoming.line else source
    return f"Calendar import from {where} (UID {incoming.uid}, SEQUENCE {incoming.sequence})."


def apply_incoming(
    incoming: Incoming, *, storyline: Storyline, by: By, now: datetime, source: str, publish: bool = False,
) -> str:
    """Bring one event in; returns created, updated, unchanged or conflict.
    Raises the services' errors (InvalidInput, TransitionNotAllowed), with
    nothing written."""
    with transaction.atomic():
        link = (CalendarLink.objects.select_for_update()
                .filter(storyline=storyline, uid=incoming.uid, recurrence=incoming.recurrence).first())
        if link is None:
            milestone = _create(incoming, storyline=storyline, by=by, now=now, source=source, publish=publish)
            CalendarLink.objects.create(
                storyline=storyline, uid=incoming.uid, recurrence=incoming.recurrence, milestone=milestone,
                sequence=incoming.sequence, fingerprint=incoming.fingerprint,
                milestone_fingerprint=milestone_fingerprint(milestone), source=source, imported_at=now,
            )
            return CREATED
        milestone = Milestone.objects.get(pk=link.milestone_id)
        if incoming.fingerprint == link.fingerprint or incoming.sequence < link.sequence:
            # The same event again, or an older copy of it: nothing to do,
            # beyond remembering a SEQUENCE that grew with nothing we read.
            if incoming.sequence > link.sequence:
                CalendarLink.objects.filter(pk=link.pk).update(sequence=incoming.sequence)
            return CONFLICT if link.pending and link.pending.get("fingerprint") == incoming.fingerprint else UNCHANGED
        if milestone_fingerprint(milestone) != link.milestone_fingerprint:
            CalendarLink.objects.filter(pk=link.pk).update(
                pending={**incoming.as_dict(), "fingerprint": incoming.fingerprint, "source": source},
                pending_since=link.pending_since or now,
            )
            return CONFLICT
        _update(milestone, incoming, by=by, now=now, source=source)
        _synced(link, milestone, incoming, source=source, now=now)
        return UPDATED


def _synced(link: CalendarLink, milestone: Milestone, incoming: Incoming, *, source: str, now: datetime) -> None:
    milestone.refresh_from_db()
    CalendarLink.objects.filter(pk=link.pk).update(
        sequence=max(incoming.sequence, link.sequence), fingerprint=incoming.fingerprint,
        milestone_fingerprint=milestone_fingerprint(milestone), source=source, imported_at=now,
        pending=None, pending_since=None,
    )


def _create(incoming: Incoming, *, storyline, by, now, source, publish) -> Milestone:
    state = Item.EditorialState.PUBLISHED if publish else Item.EditorialState.PROPOSED
    status = Status.CONFIRMED if incoming.status == Status.CONFIRMED else Status.SCHEDULED
    milestone = services.item_create(
        kind=Item.Kind.MILESTONE, by=by, now=now, title=incoming.title, summary=incoming.summary,
        when=incoming.when, storylines=[storyline], editorial_state=state, status=status,
        reason=_note(incoming, source),
    )
    if incoming.status == Status.CANCELLED:
        services.milestone_cancel(milestone=milestone, by=by, now=now, reason="Cancelled in the source calendar.",
                                  internal_note=_note(incoming, source))
    return milestone


def _same_window(a: When, b: When) -> bool:
    return (a.start, a.end, a.precision, a.tz) == (b.start, b.end, b.precision, b.tz)


def _update(milestone: Milestone, incoming: Incoming, *, by, now, source) -> None:
    """Make the milestone say what the event says, one service per kind of change."""
    note = _note(incoming, source)
    if milestone.status in (Status.CANCELLED, Status.HAPPENED) and incoming.status != Status.CANCELLED:
        # The calendar brought it back: only a correction leaves a final state.
        services.item_correct(item=milestone, by=by, now=now, reason=note, when=incoming.when,
                              status=Status.CONFIRMED if incoming.status == Status.CONFIRMED else Status.SCHEDULED,
                              public_note="Back on the calendar.")
    elif not _same_window(milestone.when, incoming.when) and milestone.status in Item.OPEN_STATUSES:
        services.milestone_postpone(milestone=milestone, by=by, now=now, when=incoming.when, reason=note)
    if (incoming.title, incoming.summary) != (milestone.title, milestone.summary):
        services.item_edit(item=milestone, by=by, now=now, reason=note, title=incoming.title,
                           summary=incoming.summary)
    if incoming.status == Status.CANCELLED and milestone.status in Item.OPEN_STATUSES:
        services.milestone_cancel(milestone=milestone, by=by, now=now, reason="Cancelled in the source calendar.",
                                  internal_note=note)
    elif incoming.status == Status.CONFIRMED and milestone.status == Status.SCHEDULED:
        services.milestone_confirm(milestone=milestone, by=by, now=now, reason=note)
    elif incoming.status == Status.SCHEDULED and milestone.status == Status.CONFIRMED:
        services.item_correct(item=milestone, by=by, now=now, reason=note, status=Status.SCHEDULED,
                              public_note="No longer confirmed in the source calendar.")


def conflict_keep_ours(*, link: CalendarLink, by: By, now: datetime) -> None:
    """The editor's version stands: the incoming one is recorded as seen, so
    the next import of the same file changes nothing."""
    with transaction.atomic():
        link = CalendarLink.objects.select_for_update().get(pk=link.pk)
        if link.pending is None:
            return
        milestone = Milestone.objects.get(pk=link.milestone_id)
        CalendarLink.objects.filter(pk=link.pk).update(
            sequence=max(link.pending["sequence"], link.sequence), fingerprint=link.pending["fingerprint"],
            milestone_fingerprint=milestone_fingerprint(milestone), imported_at=now, pending=None,
            pending_since=None,
        )


def conflict_take_theirs(*, link: CalendarLink, by: By, now: datetime) -> None:
    """The calendar's version replaces the editor's, through the services."""
    with transaction.atomic():
        link = CalendarLink.objects.select_for_update().get(pk=link.pk)
        if link.pending is None:
            return
        incoming = Incoming.from_dict({k: v for k, v in link.pending.items() if k not in ("fingerprint", "source")})
        milestone = Milestone.objects.get(pk=link.milestone_id)
        _update(milestone, incoming, by=by, now=now, source=link.pending.get("source", link.source))
        _synced(link, milestone, incoming, source=link.pending.get("source", link.source), now=now)
