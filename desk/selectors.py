"""What the desk reads. Every derived state comes from timeline.derived
(through Item.objects), every row's relations in a fixed number of queries
whatever the size of the record."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from timeline.models import SYSTEM, Change, Citation, Item

Kind = Item.Kind
AGENDA_KINDS = (Kind.MILESTONE, Kind.EXPECTATION)
RECENT_DAYS = 7
# A list longer than this is cut, with a note: the desk is a worklist, not an archive.
LIMIT = 200
RECENT_KINDS = (Change.Kind.POSTPONED, Change.Kind.CANCELLED, Change.Kind.SETTLED, Change.Kind.OVERTURNED)


def _rows(qs: QuerySet) -> QuerySet:
    return qs.select_related("expectation", "milestone", "assignee").prefetch_related("storylines")


def filtered(qs: QuerySet, *, storyline=None, actor=None, assignee=None) -> QuerySet:
    """`assignee`: a user, or "none" for the unassigned."""
    if storyline is not None:
        qs = qs.filter(storylines=storyline)
    if actor is not None:
        qs = qs.filter(actors=actor)
    if assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif assignee is not None:
        qs = qs.filter(assignee=assignee)
    return qs


def agenda_items(*, start: datetime, end: datetime, **filters) -> QuerySet:
    """Milestones and expectations in the record whose window overlaps [start, end)."""
    qs = Item.objects.in_record().filter(kind__in=AGENDA_KINDS, when_start__lt=end, when_end__gt=start)
    return _rows(filtered(qs, **filters)).order_by("sort_key", "public_id")


def needs_verdict(*, now: datetime, **filters) -> QuerySet:
    """timeline.derived's "needs a verdict", oldest first (by the end of the window)."""
    return _rows(filtered(Item.objects.needs_verdict(now), **filters)).order_by("when_end", "pk")


def recent_changes(*, now: datetime, days: int = RECENT_DAYS) -> QuerySet:
    """System verdicts, reschedules and cancellations of the last `days`, newest first."""
    qs = Change.objects.filter(at__gt=now - timedelta(days=days), at__lte=now).filter(
        Q(kind__in=(Change.Kind.POSTPONED, Change.Kind.CANCELLED))
        | Q(kind__in=(Change.Kind.SETTLED, Change.Kind.OVERTURNED), by_label=SYSTEM)
    )
    return qs.select_related("item", "by_user").order_by("-at", "-id")


def proposals() -> QuerySet:
    """Items in the proposed state, oldest first, with their citations (what the reviewer checks)."""
    citations = Citation.objects.select_related("source__outlet").order_by("pk")
    qs = Item.objects.filter(editorial_state=Item.EditorialState.PROPOSED)
    return _rows(qs).prefetch_related(Prefetch("citations", queryset=citations)).order_by("created_at", "pk")


def staff() -> QuerySet:
    """Who an item can be assigned to."""
    return get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")


def counts(*, now: datetime, start: datetime, end: datetime, user) -> dict[str, int]:
    """The navigation's count per section (one query each)."""
    return {
        "agenda": agenda_items(start=start, end=end).count(),
        "verdicts": Item.objects.needs_verdict(now).count(),
        "recent": recent_changes(now=now).count(),
        "proposed": Item.objects.filter(editorial_state=Item.EditorialState.PROPOSED).count(),
        "mine": Item.objects.needs_verdict(now).filter(assignee=user).count(),
    }
