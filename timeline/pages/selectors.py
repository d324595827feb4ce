"""Reads of the public pages, each in a fixed number of queries.

Everything here starts from `Item.objects.public()` (or the public rows of
the child tables) and filters by the derived states of timeline/derived.py
and the reader's states of states.py; nothing decides "public" or "overdue"
on its own. A list that can grow with the record is paginated, and what it
shows of its rows' relations is joined or prefetched, so a page costs the
same number of queries with 10 items as with 10,000 (tests/pages/
test_query_counts.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber

from .. import derived, selectors
from ..lifecycle import VERDICTS
from ..models import Actor, Change, Citation, Expectation, Item, Milestone, Outlet, Source, Storyline
from . import states

Kind = Item.Kind

# "What is next" on the home page and a storyline's page looks this far ahead.
HORIZON = timedelta(days=90)
PER_STORYLINE = 3
STORYLINES_PER_PAGE = 20
TIMELINE_PER_PAGE = 50
SCOREBOARD_PER_PAGE = 25
RESULTS_PER_PAGE = 25


def paginate(queryset: QuerySet, number, per_page: int) -> Page:
    """A page of `queryset`: two queries (the count, the rows). An unknown
    page number gives the nearest page rather than an error: readers edit
    URLs, and a stale link should still land somewhere."""
    return Paginator(queryset, per_page).get_page(number)


def _postponements() -> Prefetch:
    # Only the When it was moved from is read (the first plan); the notes
    # of these rows are the history's business (item_history).
    return Prefetch("changes", queryset=Change.objects.filter(kind=Change.Kind.POSTPONED).order_by("at", "id"),
                    to_attr="postponements")


def _claim_citations(prefix: str = "") -> Prefetch:
    return Prefetch(
        f"{prefix}citations",
        queryset=Citation.objects.filter(role=Citation.Role.REPORTS_CLAIM).select_related("source__outlet")
        .order_by("id"),
        to_attr="claim_citations",
    )


# -- Home --------------------------------------------------------------------------

def storylines_page(number) -> Page:
    return paginate(Storyline.objects.order_by("name", "id"), number, STORYLINES_PER_PAGE)


def _top_per_storyline(queryset: QuerySet, storyline_ids: list[int], order: list, n: int) -> dict[int, list[Item]]:
    """The first `n` rows of `queryset` in each storyline, in one query: a
    window function ranks the rows per storyline (an item in two storylines
    counts in both)."""
    ranked = (
        queryset.filter(storylines__in=storyline_ids)
        .annotate(storyline_key=F("storylines__id"),
                  rank=Window(RowNumber(), partition_by=F("storylines__id"), order_by=order))
        .filter(rank__lte=n)
        .order_by("storyline_key", "rank")
    )
    out: dict[int, list[Item]] = {}
    for item in ranked:
        out.setdefault(item.storyline_key, []).append(item)
    return out


def home_sections(*, storyline_ids: list[int], now: datetime) -> dict[str, dict[int, list[Item]]]:
    """Per storyline: what is next, what became overdue, the latest verdicts."""
    public = Item.objects.public().select_related("expectation", "milestone")
    decided = public.filter(_has_verdict()).select_related(
        "expectation__holder", "expectation__holder_citation", "expectation__about_milestone",
        "expectation__evidence_event", "expectation__evidence_citation__source__outlet",
    )
    return {
        "next": _top_per_storyline(public.upcoming(now, HORIZON), storyline_ids,
                                   [F("sort_key").asc(), F("public_id").asc()], PER_STORYLINE),
        "overdue": _top_per_storyline(public.overdue(now), storyline_ids,
                                      [F("when_end").desc(), F("public_id").asc()], PER_STORYLINE),
        "verdicts": _top_per_storyline(decided, storyline_ids,
                                       [F("expectation__decided_at").desc(nulls_last=True), F("public_id").asc()],
                                       PER_STORYLINE),
    }


def _has_verdict() -> Q:
    return Q(kind=Kind.EXPECTATION, status__in=VERDICTS)


def home_totals(*, storyline_ids: list[int], now: datetime) -> dict[int, dict[str, int]]:
    """The scoreboard's totals of each storyline, in one grouped query."""
    rows = (
        Item.objects.public().filter(kind=Kind.EXPECTATION, storylines__in=storyline_ids)
        .values("storylines").order_by("storylines")
        .annotate(**_state_counts(now))
    )
    return {row.pop("storylines"): row for row in rows}


def _state_counts(now: datetime) -> dict[str, Count]:
    return {state: Count("id", filter=states.state_filter(state, now)) for state in states.EXPECTATION_STATES}


# -- A storyline -------------------------------------------------------------------

def storyline_totals(*, storyline: Storyline, now: datetime) -> dict[str, int]:
    return Expectation.objects.public().filter(storylines=storyline).aggregate(**_state_counts(now))


def storyline_coming(*, storyline: Storyline, now: datetime, limit: int = 5) -> list[Item]:
    qs = selectors.items_upcoming(now=now, within=HORIZON, storyline=storyline, queryset=Item.objects.public())
    return list(qs.select_related("expectation", "milestone")[:limit])


def storyline_overdue(*, storyline: Storyline, now: datetime, limit: int = 10) -> list[Item]:
    qs = selectors.items_overdue(now=now, storyline=storyline, queryset=Item.objects.public())
    return list(qs.select_related("expectation", "milestone")[:limit])


def storyline_timeline(*, storyline: Storyline) -> QuerySet:
    """Events and milestones of the storyline where they sit in time: a
    happened milestone at its actual date. An event that only shows a
    milestone happened is folded into that milestone's line, which links it."""
    shows_a_milestone = Exists(Milestone.objects.public().filter(happened_event=OuterRef("pk")))
    return (
        Item.objects.public().filter(storylines=storyline, kind__in=[Kind.EVENT, Kind.MILESTONE])
        .exclude(shows_a_milestone)
        .annotate(placed_at=Coalesce("milestone__happened_event__sort_key", "sort_key"))
        .select_related("milestone__happened_event")
        .prefetch_related(_postponements())
        .order_by("placed_at", "public_id")
    )


def _scoreboard_rows(queryset: QuerySet) -> QuerySet:
    return (
        queryset.select_related(
            "holder", "holder_citation", "about_milestone", "evidence_event",
            "evidence_citation__source__outlet",
        )
        .prefetch_related(_claim_citations())
    )


def storyline_scoreboard(*, storyline: Storyline, state: str | None, now: datetime) -> QuerySet:
    qs = Expectation.objects.public().filter(storylines=storyline)
    if state:
        qs = qs.filter(states.state_filter(state, now))
    return _scoreboard_rows(qs).order_by("sort_key", "public_id")


# -- An item -----------------------------------------------------------------------

def item_for_page(public_id) -> Item | None:
    """A published item, or a retracted one (whose page says so); drafts and
    proposals are nobody's business here and come back as None."""
    retracted = Q(editorial_state=Item.EditorialState.RETRACTED)
    return (
        Item.objects.filter(derived.PUBLIC | retracted, public_id=public_id)
        .select_related(
            "milestone__happened_event",
            "expectation__holder", "expectation__holder_citation",
            "expectation__about_milestone", "expectation__evidence_event",
            "expectation__evidence_citation__source__outlet", "expectation__trigger_event",
        )
        .prefetch_related(
            Prefetch("storylines", queryset=Storyline.objects.order_by("name")),
            Prefetch("actors", queryset=Actor.objects.order_by("name")),
            Prefetch("citations", queryset=Citation.objects.select_related("source__outlet").order_by("id")),
            _postponements(),
        )
        .first()
    )


def item_history(item: Item) -> list[Change]:
    """The changes readers may know of: the public news of the item (its
    publication, moves, verdicts, corrections, retraction), oldest first.
    Only their public notes are ever shown."""
    return list(item.changes.filter(public=True).order_by("at", "id"))


def expectations_about(milestone: Item) -> list[Expectation]:
    return list(_scoreboard_rows(Expectation.objects.public().filter(about_milestone_id=milestone.pk))
                .order_by("sort_key", "public_id"))


def milestones_shown_by(event: Item) -> list[Milestone]:
    return list(Milestone.objects.public().filter(happened_event_id=event.pk).select_related("happened_event")
                .order_by("sort_key", "public_id"))


# -- Track records -----------------------------------------------------------------

def expectations_held_by(actor: Actor) -> QuerySet:
    return Expectation.objects.public().filter(holder=actor)


def expectations_reported_by(outlet: Outlet) -> QuerySet:
    """Expectations whose claim a source of this outlet reported (not those it
    only gave evidence for: an outlet's record is about what it reported)."""
    reported = Citation.objects.filter(item_id=OuterRef("pk"), role=Citation.Role.REPORTS_CLAIM,
                                       source__outlet=outlet)
    return Expectation.objects.public().filter(Exists(reported))


def track_rows(queryset: QuerySet, now: datetime) -> list[tuple[str, bool, datetime | None, str]]:
    """(status, overdue now, window end, zone) of each expectation: what the
    track record counts, by state and by the year of the deadline in the
    item's zone (track.py), which SQL cannot tell for every zone at once."""
    return list(queryset.annotate(overdue_now=derived.overdue_flag(now))
                .values_list("status", "overdue_now", "when_end", "when_tz"))


def expectations_listed(queryset: QuerySet) -> QuerySet:
    # Latest deadline first; those with none after every dated one.
    return _scoreboard_rows(queryset).order_by(F("when_end").desc(nulls_last=True), "public_id")


def actor_named_elsewhere(actor: Actor) -> int:
    """Expectations that name the actor without it holding them."""
    return Expectation.objects.public().filter(actors=actor).exclude(holder=actor).count()


def outlet_sources(outlet: Outlet, limit: int = 10) -> list[Source]:
    return list(outlet.sources.order_by("-published_at", "id")[:limit])


# -- Search ------------------------------------------------------------------------

def actors_matching(q: str, limit: int = 20) -> list[Actor]:
    # aliases is a JSON list; icontains reads its text, so "bibi" finds ["Netanyahu", "Bibi"].
    return list(Actor.objects.filter(Q(name__icontains=q) | Q(aliases__icontains=q)).order_by("name")[:limit])


def search_items(*, q: str = "", storyline: Storyline | None = None, actor: Actor | None = None,
                 holder: Actor | None = None, reported_by: Outlet | None = None, kind: str = "",
                 state: str = "", now: datetime) -> QuerySet:
    """Public items matching the words (in the title, or in the name or an
    alias of one of their actors) and every filter given."""
    qs = Item.objects.public()
    if q:
        named = Actor.objects.filter(Q(name__icontains=q) | Q(aliases__icontains=q), items=OuterRef("pk"))
        qs = qs.filter(Q(title__icontains=q) | Exists(named))
    if storyline is not None:
        qs = qs.filter(Exists(Item.storylines.through.objects.filter(item_id=OuterRef("pk"), storyline=storyline)))
    if actor is not None:
        qs = qs.filter(Exists(Item.actors.through.objects.filter(item_id=OuterRef("pk"), actor=actor)))
    if holder is not None:
        qs = qs.filter(expectation__holder=holder)
    if reported_by is not None:
        qs = qs.filter(Exists(Citation.objects.filter(item_id=OuterRef("pk"), role=Citation.Role.REPORTS_CLAIM,
                                                      source__outlet=reported_by)))
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(states.state_filter(state, now))
    return qs.select_related("milestone__happened_event", "expectation").order_by("sort_key", "public_id")


def deadline_rows(queryset: QuerySet) -> list[tuple[int, datetime | None, str]]:
    """(id, window end, zone) of every row, for the year filter (track.py)."""
    return list(queryset.values_list("pk", "when_end", "when_tz"))
