"""What a reader is shown of an item, put together once for every page.

Templates print these fields and decide nothing: the state comes from
states.state_of (so from the derived overdue), dates from When.display, the
postponements from the change log's postponed rows, the verdict's who and
how from the Expectation's stored facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from django.urls import reverse

from core.durations import describe, describe_about

from ..models import SYSTEM, Change, Citation, Expectation, Item
from ..when import TIME, When, local_days
from . import states

Kind = Item.Kind
TargetKind = Expectation.TargetKind
COUNT_WORDS = {1: "once", 2: "twice"}


def item_url(item: Item) -> str:
    return reverse("pages:item", kwargs={"public_id": item.public_id})


def when_of(when: When) -> str:
    return when.display()


def day(moment: datetime) -> str:
    """An instant of the record's own (a verdict, a change) as its UTC date."""
    moment = moment.astimezone(timezone.utc)
    return f"{moment.day} {moment:%b %Y}"


@dataclass
class Entry:
    item: Item
    url: str
    kind: str
    state: str
    state_label: str
    when: str  # where the item sits: a happened milestone's actual date
    as_reported: str
    planned: str = ""  # a happened milestone's planned When
    moved: str = ""  # "Moved twice; first planned for January 2026"
    due: str = ""  # "in 5 days", "deadline passed 3 days ago"
    shown_by: Item | None = None  # the event that shows a milestone happened


def entry(item: Item, now: datetime, *, due: bool = False) -> Entry:
    state = states.state_of(item, now)
    shown = Entry(
        item=item, url=item_url(item), kind=item.kind, state=state, state_label=states.label(state),
        when=when_of(item.when), as_reported=item.when_text,
    )
    if item.kind == Kind.MILESTONE:
        milestone = item if hasattr(item, "postponed_count") else item.milestone
        actual = milestone.actual_when
        if actual is not None:
            shown.when, shown.planned = when_of(actual), when_of(item.when)
            event = milestone.happened_event
            shown.shown_by = event if event.is_published else None
        shown.moved = moved_text(milestone.postponed_count, getattr(item, "postponements", None))
    if due:
        shown.due = due_text(item, now)
    return shown


def moved_text(count: int, postponements: list[Change] | None) -> str:
    """From the stored count and the change log's postponed rows, the
    earliest of which holds the When first planned."""
    if not count:
        return ""
    text = f"Moved {COUNT_WORDS.get(count, f'{count} times')}"
    first = next((c for c in postponements or () if isinstance(c.before.get("when"), dict)), None)
    if first is not None:
        text += f"; first planned for {when_of(When.from_dict(first.before['when']))}"
    return text


def due_text(item: Item, now: datetime) -> str:
    """How long until (or since) the date that matters for this item."""
    deadline_only = item.kind == Kind.EXPECTATION and item.expectation.target_kind == TargetKind.BY
    if item.is_overdue(now):
        what = "deadline passed" if item.kind == Kind.EXPECTATION else "window ended"
        return f"{what} {describe_about(now - item.when_end)} ago"
    if not item.is_open or item.when_end is None or item.when_end <= now:
        return ""  # settled, happened, or undated: no clock runs for it
    if deadline_only:
        return f"deadline in {describe_about(item.when_end - now)}"
    if item.when_start >= now:
        return f"in {describe_about(item.when_start - now)}"
    return f"under way, ends in {describe_about(item.when_end - now)}"


# -- Expectations: the scoreboard's lines ---------------------------------------------

@dataclass
class ExpectationEntry:
    entry: Entry
    expectation: Expectation
    type_label: str
    holder: str
    holder_actor: object | None
    source: Citation | None
    deadline: str
    condition: str
    decided: str  # who decided and when, or why there is no verdict yet
    reviewed: str
    evidence_event: Item | None
    evidence_citation: Citation | None
    note: str
    probability: str
    about: Item | None
    citations: list[Citation] = field(default_factory=list)


def expectation_entry(exp: Expectation, now: datetime) -> ExpectationEntry:
    about = exp.about_milestone if exp.about_milestone_id and exp.about_milestone.is_published else None
    evidence_event = exp.evidence_event if exp.evidence_event_id and exp.evidence_event.is_published else None
    claims = getattr(exp, "claim_citations", None)
    return ExpectationEntry(
        entry=entry(exp, now),
        expectation=exp,
        type_label=exp.get_expectation_type_display().capitalize(),
        holder=exp.holder_display,
        holder_actor=exp.holder if exp.holder_id else None,
        source=_source_of(exp, claims),
        deadline=deadline_text(exp),
        condition=exp.condition,
        decided=decided_text(exp),
        reviewed=reviewed_text(exp),
        evidence_event=evidence_event,
        evidence_citation=exp.evidence_citation if exp.evidence_citation_id else None,
        note=exp.verdict_note,
        probability=f"{exp.probability * 100:.0f}%" if exp.probability is not None else "",
        about=about,
        citations=list(claims or ()),
    )


def _source_of(exp: Expectation, claims: list[Citation] | None) -> Citation | None:
    """The citation that reported the claim: the holder's own, else the first."""
    if claims is None:
        return None
    return next((c for c in claims if c.pk == exp.holder_citation_id), claims[0] if claims else None)


def deadline_text(exp: Expectation) -> str:
    when = exp.when
    if not when.is_dated:
        if exp.trigger_deadline and not exp.triggered_at:
            return f"within {describe(exp.trigger_deadline)} of the condition coming about"
        return "no deadline"
    if exp.target_kind == TargetKind.BY:
        return f"by {_last_day(when)}"
    if exp.target_kind == TargetKind.ON:
        return f"on {when_of(when)}"
    return f"during {when_of(when)}"


def _last_day(when: When) -> str:
    """A deadline's last day ("by 31 Dec 2026"), or its time for an exact one."""
    if when.precision == TIME:
        return when_of(when)
    local = local_days(when)
    if local is None:
        return when_of(when)
    return f"{'~' if when.approximate else ''}{local.last.day} {local.last:%b %Y}"


def decided_text(exp: Expectation) -> str:
    if exp.undecided_reason:
        return "The verdict rules could not decide this one; it waits for an editor."
    if not exp.decided_by:
        if exp.status == Item.Status.DORMANT:
            return "No verdict: the condition has not come about."
        return "No verdict yet."
    who = "the system" if exp.decided_by == Expectation.DecidedBy.SYSTEM else "an editor"
    return f"Decided by {who} on {day(exp.decided_at)}."


def reviewed_text(exp: Expectation) -> str:
    if exp.decided_by != Expectation.DecidedBy.SYSTEM:
        return ""
    if exp.verdict_reviewed_at:
        return f"Reviewed by an editor on {day(exp.verdict_reviewed_at)}: the verdict stands."
    return "Not yet reviewed by an editor."


# -- The item's public history ------------------------------------------------------

HISTORY_LABELS = {
    Change.Kind.CREATED: "Recorded",
    Change.Kind.EDITED: "Edited",
    Change.Kind.PUBLISHED: "Published",
    Change.Kind.RETRACTED: "Retracted",
    Change.Kind.CONFIRMED: "Confirmed",
    Change.Kind.POSTPONED: "Moved",
    Change.Kind.HAPPENED: "Happened",
    Change.Kind.CANCELLED: "Cancelled",
    Change.Kind.SETTLED: "Verdict",
    Change.Kind.OVERTURNED: "Verdict overturned",
    Change.Kind.REVIEWED: "Verdict reviewed",
    Change.Kind.TRIGGERED: "Condition came about",
    Change.Kind.CORRECTION: "Corrected",
    Change.Kind.OVERDUE_NOTICED: "Overdue",
}


@dataclass
class HistoryLine:
    at: datetime
    label: str
    detail: str
    by: str
    note: str  # the public note, never the internal reason


def history_line(change: Change) -> HistoryLine:
    return HistoryLine(
        at=change.at, label=HISTORY_LABELS.get(change.kind, change.kind.capitalize()),
        detail=_history_detail(change), by="the system" if change.by_label == SYSTEM else "an editor",
        note=change.public_note,
    )


def _history_detail(change: Change) -> str:
    before, after = change.before or {}, change.after or {}
    if change.kind == Change.Kind.POSTPONED and isinstance(before.get("when"), dict) \
            and isinstance(after.get("when"), dict):
        return f"from {when_of(When.from_dict(before['when']))} to {when_of(When.from_dict(after['when']))}"
    if change.kind == Change.Kind.EDITED:
        if "citation_added" in after:
            return "a source cited"
        if "citation_removed" in after:
            return "a citation removed"
        changed = [name.replace("_", " ") for name in after if name in before and before[name] != after[name]]
        return ", ".join(changed)
    if change.kind == Change.Kind.HAPPENED and isinstance(after.get("actual_when"), dict):
        return f"on {when_of(When.from_dict(after['actual_when']))}"
    if change.kind in (Change.Kind.SETTLED, Change.Kind.OVERTURNED, Change.Kind.CORRECTION) \
            and isinstance(after.get("status"), str) and after.get("status") != before.get("status"):
        return states.label(after["status"])
    return ""
