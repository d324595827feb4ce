"""Reads of the record: what is coming, what is overdue, what needs a verdict.

Derived states are computed here from stored facts and `now`; each query
goes through one of the partial indexes on Item (see models.Item.Meta).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from .models import Expectation, Item, Storyline

Status = Item.Status


def user_is_editor(user) -> bool:
    """Editors are staff with the permission to change items; admins are superusers."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff
                and (user.is_superuser or user.has_perm("timeline.change_item")))


def items_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Anonymous callers and subscribers see published items only; editors see
    drafts, proposals and retractions too."""
    qs = queryset if queryset is not None else Item.objects.all()
    if user_is_editor(user):
        return qs
    return qs.filter(editorial_state=Item.EditorialState.PUBLISHED)


def _scope(qs: QuerySet, storyline: Storyline | str | None) -> QuerySet:
    # A retracted item is out of the record's view: nothing about it is due,
    # and the sweeps leave it alone too (services.verdicts).
    qs = qs.exclude(editorial_state=Item.EditorialState.RETRACTED)
    if storyline is None:
        return qs
    if isinstance(storyline, Storyline):
        return qs.filter(storylines=storyline)
    return qs.filter(storylines__slug=storyline)


def items_upcoming(*, now: datetime, within: timedelta, storyline=None, queryset: QuerySet | None = None) -> QuerySet:
    """Open milestones and expectations whose window opens, or whose deadline
    falls, between now and now + within."""
    qs = queryset if queryset is not None else Item.objects.all()
    horizon = now + within
    qs = qs.filter(status__in=Item.OPEN_STATUSES).filter(
        Q(when_start__gte=now, when_start__lt=horizon) | Q(when_end__gt=now, when_end__lte=horizon)
    )
    return _scope(qs, storyline).distinct().order_by("sort_key", "public_id")


def items_overdue(*, now: datetime, storyline=None, queryset: QuerySet | None = None) -> QuerySet:
    """Open items whose window has ended: neither happened, cancelled nor settled."""
    qs = queryset if queryset is not None else Item.objects.all()
    qs = qs.filter(status__in=Item.OPEN_STATUSES, when_end__lte=now)
    return _scope(qs, storyline).distinct().order_by("when_end", "public_id")


def expectations_system_unreviewed(*, storyline=None, queryset: QuerySet | None = None) -> QuerySet:
    """Verdicts the system gave that no editor has reviewed or overturned."""
    qs = queryset if queryset is not None else Item.objects.all()
    qs = qs.filter(
        kind=Item.Kind.EXPECTATION,
        expectation__decided_by=Expectation.DecidedBy.SYSTEM,
        expectation__verdict_reviewed_at__isnull=True,
        status=Status.MISSED,
    )
    return _scope(qs, storyline).distinct().order_by("when_end", "public_id")


def expectations_undecided(*, storyline=None, queryset: QuerySet | None = None) -> QuerySet:
    """Open expectations the verdict rules could not decide (a straddling date)."""
    qs = queryset if queryset is not None else Item.objects.all()
    qs = qs.filter(kind=Item.Kind.EXPECTATION, status=Status.OPEN).exclude(expectation__undecided_reason="")
    return _scope(qs, storyline).distinct().order_by("sort_key", "public_id")


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
            f"Missed, decided by the system on {exp.decided_at:%Y-%m-%d}: {exp.verdict_note} Not yet reviewed or overturned.",
        ))
    for item in expectations_undecided(storyline=storyline, queryset=queryset).select_related(*related):
        if not item.is_overdue(now):
            entries.append(DueEntry(item, "needs_verdict", item.expectation.undecided_reason))
    return entries


def _upcoming_reason(item: Item, now: datetime) -> str:
    if item.kind == Item.Kind.EXPECTATION and item.expectation.target_kind == Expectation.TargetKind.BY:
        return f"Deadline in {_span(item.when_end - now)}."
    if item.when_start >= now:
        return f"{'Milestone' if item.kind == Item.Kind.MILESTONE else 'Target window'} opens in {_span(item.when_start - now)}."
    return f"Window closes in {_span(item.when_end - now)}."


def _overdue_reason(item: Item, now: datetime) -> str:
    what = "happened or was cancelled" if item.kind == Item.Kind.MILESTONE else "met or missed"
    return (
        f"Overdue: the window ended {item.when_end:%Y-%m-%d} ({_span(now - item.when_end)} ago) "
        f"and nobody recorded that it {what}."
    )


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds >= 2 * 86400:
        return f"{seconds // 86400} days"
    if seconds >= 7200:
        return f"{seconds // 3600} hours"
    return f"{max(seconds // 60, 0)} minutes"


def change_history(item: Item) -> QuerySet:
    return item.changes.select_related("by_user").order_by("at", "id")
