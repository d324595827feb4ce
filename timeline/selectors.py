"""Reads of the record: what is coming, what is overdue, what needs a verdict.

The derived states themselves are defined once in timeline/derived.py (as
`Item.objects.overdue(now)` and friends); these selectors scope and order
them for the lists that show them, through Item's partial indexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from core.durations import describe_about
from core.roles import user_is_editor  # the role check lives in core; callers keep this name

from . import derived
from .models import Actor, Expectation, Item, Outlet, Source, Storyline

Status = Item.Status


def items_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Anonymous callers and subscribers see published items only; editors see
    drafts, proposals and retractions too."""
    qs = queryset if queryset is not None else Item.objects.all()
    if user_is_editor(user):
        return qs
    return qs.filter(derived.PUBLIC)


# -- Reference data and items, as the API and the pages list them ------------------

def storylines() -> QuerySet:
    return Storyline.objects.all()


def actors() -> QuerySet:
    return Actor.objects.all()


def outlets() -> QuerySet:
    return Outlet.objects.all()


def sources() -> QuerySet:
    return Source.objects.select_related("outlet")


def items_of(kind: str | None = None) -> QuerySet:
    return Item.objects.all() if kind is None else Item.objects.filter(kind=kind)


def items_in_storyline(storyline: Storyline) -> QuerySet:
    """An EXISTS, not a join: an item is listed once and keyset order stays exact."""
    return Item.objects.filter(Exists(Item.storylines.through.objects.filter(item_id=OuterRef("pk"), storyline=storyline)))


def _scope(qs: QuerySet, storyline: Storyline | str | None) -> QuerySet:
    if storyline is None:
        return qs
    if isinstance(storyline, Storyline):
        return qs.filter(storylines=storyline)
    return qs.filter(storylines__slug=storyline)


def items_upcoming(*, now: datetime, within: timedelta, storyline=None, queryset: QuerySet | None = None) -> QuerySet:
    """Open milestones and expectations whose window opens, or whose deadline
    falls, between now and now + within."""
    qs = queryset if queryset is not None else Item.objects.all()
    return _scope(qs.filter(derived.upcoming(now, within)), storyline).distinct().order_by("sort_key", "public_id")


def items_overdue(*, now: datetime, storyline=None, queryset: QuerySet | None = None) -> QuerySet:
    """Open items whose window has ended: neither happened, cancelled nor settled."""
    qs = queryset if queryset is not None else Item.objects.all()
    return _scope(qs.filter(derived.overdue(now)), storyline).distinct().order_by("when_end", "public_id")


def expectations_system_unreviewed(*, storyline=None, queryset: QuerySet | None = None) -> QuerySet:
    """Verdicts the system gave that no editor has reviewed or overturned."""
    qs = queryset if queryset is not None else Item.objects.all()
    qs = qs.filter(derived.IN_RECORD & derived.SYSTEM_MISS_UNREVIEWED)
    return _scope(qs, storyline).distinct().order_by("when_end", "public_id")


def expectations_undecided(*, storyline=None, queryset: QuerySet | None = None) -> QuerySet:
    """Expectations the verdict rules left for an editor: a straddling date,
    or an editor's verdict that a later fact contradicts."""
    qs = queryset if queryset is not None else Item.objects.all()
    qs = qs.filter(derived.IN_RECORD & derived.LEFT_FOR_EDITOR)
    return _scope(qs, storyline).distinct().order_by("sort_key", "public_id")


def items_needing_verdict(*, now: datetime, storyline=None, queryset: QuerySet | None = None) -> QuerySet:
    """Everything "needs a verdict" covers, oldest deadline first."""
    qs = queryset if queryset is not None else Item.objects.all()
    return _scope(qs.filter(derived.needs_verdict(now)), storyline).distinct().order_by("when_end", "public_id")


@dataclass(frozen=True)
class DueEntry:
    item: Item
    section: str  # upcoming | overdue | needs_verdict
    reason: str


def due_report(*, now: datetime, within: timedelta, storyline=None, queryset: QuerySet | None = None) -> list[DueEntry]:
    """Everything the `due` command and the API's /due/ show, each with why.

    "Needs a verdict" is the brief's: overdue, or missed by the system and not
    yet reviewed or overturned (plus what the rules could not decide).
    """
    related = ("expectation",)
    entries: list[DueEntry] = []
    for item in items_upcoming(now=now, within=within, storyline=storyline, queryset=queryset).select_related(*related):
        entries.append(DueEntry(item, "upcoming", _upcoming_reason(item, now)))
    for item in items_overdue(now=now, storyline=storyline, queryset=queryset).select_related(*related):
        reason = _overdue_reason(item, now)
        entries.append(DueEntry(item, "overdue", reason))
        entries.append(DueEntry(item, "needs_verdict", reason))
    for item in expectations_system_unreviewed(storyline=storyline, queryset=queryset).select_related(*related):
        exp = item.expectation
        entries.append(DueEntry(
            item, "needs_verdict",
            # A later fact that contradicts the verdict says more than the old note.
            f"Missed, decided by the system on {exp.decided_at:%Y-%m-%d}: "
            f"{exp.undecided_reason or exp.verdict_note} Not yet reviewed or overturned.",
        ))
    for item in expectations_undecided(storyline=storyline, queryset=queryset).select_related(*related):
        if not item.is_overdue(now) and not derived.is_system_miss_unreviewed(item):
            entries.append(DueEntry(item, "needs_verdict", item.expectation.undecided_reason))
    return entries


def _upcoming_reason(item: Item, now: datetime) -> str:
    if item.kind == Item.Kind.EXPECTATION and item.expectation.target_kind == Expectation.TargetKind.BY:
        return f"Deadline in {describe_about(item.when_end - now)}."
    if item.when_start >= now:
        return f"{'Milestone' if item.kind == Item.Kind.MILESTONE else 'Target window'} opens in {describe_about(item.when_start - now)}."
    return f"Window closes in {describe_about(item.when_end - now)}."


def _overdue_reason(item: Item, now: datetime) -> str:
    what = "happened or was cancelled" if item.kind == Item.Kind.MILESTONE else "met or missed"
    return (
        f"Overdue: the window ended {item.when_end:%Y-%m-%d} ({describe_about(now - item.when_end)} ago) "
        f"and nobody recorded that it {what}."
    )


def change_history(item: Item) -> QuerySet:
    return item.changes.select_related("by_user").order_by("at", "id")
