"""The public pages. Each view reads the clock once (request_now), takes its
rows from pages.selectors and hands the templates entries (pages.entries)
with every state and date already put into words."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from core.clock import request_now

from ..models import Actor, Citation, Item, Outlet, Storyline
from . import selectors, states, track
from .entries import entry, expectation_entry, history_line

Kind = Item.Kind
MAX_QUERY = 200


def _url(name: str, *args, **query) -> str:
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return reverse(name, args=args) + (f"?{urlencode(query)}" if query else "")


def _state_param(request) -> str:
    value = request.GET.get("status", "")
    return value if states.is_state(value) else ""


def home(request):
    now = request_now(request)
    page = selectors.storylines_page(request.GET.get("page"))
    ids = [storyline.pk for storyline in page]
    sections = selectors.home_sections(storyline_ids=ids, now=now)
    totals = selectors.home_totals(storyline_ids=ids, now=now)
    storylines = []
    for storyline in page:
        def board(state, year, slug=storyline.slug):
            return _url("pages:storyline", slug, status=state) + "#scoreboard"

        storylines.append({
            "storyline": storyline,
            "next": [entry(i, now, due=True) for i in sections["next"].get(storyline.pk, [])],
            "overdue": [entry(i, now, due=True) for i in sections["overdue"].get(storyline.pk, [])],
            "verdicts": [expectation_entry(i.expectation, now) for i in sections["verdicts"].get(storyline.pk, [])],
            "meter": track.meter(totals.get(storyline.pk, {}), board),
        })
    return render(request, "timeline/pages/home.html", {
        "page": page, "storylines": storylines, "horizon_days": selectors.HORIZON.days,
        "follow": {"kind": "everything", "key": "", "label": "everything public on Forecast Watch"},
    })


def storyline(request, slug):
    now = request_now(request)
    storyline = get_object_or_404(Storyline, slug=slug)
    state = _state_param(request)
    timeline_page = selectors.paginate(selectors.storyline_timeline(storyline=storyline),
                                       request.GET.get("page"), selectors.TIMELINE_PER_PAGE)
    timeline = [entry(item, now) for item in timeline_page]
    board_page = selectors.paginate(selectors.storyline_scoreboard(storyline=storyline, state=state, now=now),
                                    request.GET.get("scoreboard_page"), selectors.SCOREBOARD_PER_PAGE)

    def board(state, year):
        return _url("pages:storyline", slug, status=state) + "#scoreboard"

    return render(request, "timeline/pages/storyline.html", {
        "storyline": storyline,
        "meter": track.meter(selectors.storyline_totals(storyline=storyline, now=now), board),
        "state": state, "state_label": states.label(state) if state else "",
        "coming": [entry(i, now, due=True) for i in selectors.storyline_coming(storyline=storyline, now=now)],
        "overdue": [entry(i, now, due=True) for i in selectors.storyline_overdue(storyline=storyline, now=now)],
        "overdue_url": _url("pages:search", storyline=slug, status=states.OVERDUE),
        "horizon_days": selectors.HORIZON.days,
        "timeline_page": timeline_page, "timeline": timeline,
        # Where "now" falls among this page's lines (positions, not states).
        "now_index": next((n for n, line in enumerate(timeline_page) if line.placed_at >= now), len(timeline)),
        "board_page": board_page, "board": [expectation_entry(e, now) for e in board_page],
        "follow": {"kind": "storyline", "key": storyline.slug, "label": storyline.name},
    })


def item(request, public_id):
    now = request_now(request)
    found = selectors.item_for_page(public_id)
    if found is None:
        raise Http404("No such item.")
    history = [history_line(change) for change in selectors.item_history(found)]
    context = {"item": found, "shown": entry(found, now, due=True), "history": history,
               "follow": {"kind": "item", "key": str(found.public_id), "label": found.title}}
    if found.editorial_state == Item.EditorialState.RETRACTED:
        retraction = next((line for line in reversed(history) if line.label == "Retracted"), None)
        # 410: the page existed and was taken down on purpose; it says why.
        return render(request, "timeline/pages/retracted.html", {**context, "retraction": retraction}, status=410)

    citations = list(found.citations.all())
    if found.kind == Kind.EXPECTATION:
        expectation = found.expectation
        expectation.claim_citations = [c for c in citations if c.role == Citation.Role.REPORTS_CLAIM]
        context["expectation"] = expectation_entry(expectation, now)
    elif found.kind == Kind.MILESTONE:
        context["about"] = [expectation_entry(e, now) for e in selectors.expectations_about(found)]
    else:
        context["shows"] = [entry(m, now) for m in selectors.milestones_shown_by(found)]
    context["citations"] = citations
    return render(request, "timeline/pages/item.html", context)


def _track_context(request, *, rows, list_qs, link, now):
    listed = selectors.paginate(selectors.expectations_listed(list_qs), request.GET.get("page"),
                                selectors.SCOREBOARD_PER_PAGE)
    return {
        "record": track.track_record(rows, link),
        "listed_page": listed,
        "listed": [expectation_entry(e, now) for e in listed],
        "hints": states.HINTS,
    }


def actor(request, slug):
    now = request_now(request)
    actor = get_object_or_404(Actor, slug=slug)
    held = selectors.expectations_held_by(actor)

    def link(state, year):
        return _url("pages:search", holder=slug, kind=Kind.EXPECTATION, status=state, year=year)

    return render(request, "timeline/pages/actor.html", {
        "actor": actor,
        **_track_context(request, rows=selectors.track_rows(held, now), list_qs=held, link=link, now=now),
        "all_held_url": link(None, None),
        "named_elsewhere": selectors.actor_named_elsewhere(actor),
        "named_url": _url("pages:search", actor=slug),
        "follow": {"kind": "actor", "key": actor.slug, "label": actor.name},
    })


def outlet(request, slug):
    now = request_now(request)
    outlet = get_object_or_404(Outlet, slug=slug)
    reported = selectors.expectations_reported_by(outlet)

    def link(state, year):
        return _url("pages:search", reported_by=slug, kind=Kind.EXPECTATION, status=state, year=year)

    return render(request, "timeline/pages/outlet.html", {
        "outlet": outlet,
        **_track_context(request, rows=selectors.track_rows(reported, now), list_qs=reported, link=link, now=now),
        "all_reported_url": link(None, None),
        "sources": selectors.outlet_sources(outlet),
    })


def search(request):
    now = request_now(request)
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    filters = {
        "storyline": _filter_object(Storyline, request.GET.get("storyline")),
        "actor": _filter_object(Actor, request.GET.get("actor")),
        "holder": _filter_object(Actor, request.GET.get("holder")),
        "reported_by": _filter_object(Outlet, request.GET.get("reported_by")),
    }
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    state = _state_param(request)
    year = track.parse_year(request.GET.get("year", ""))
    searched = bool(q or kind or state or year or any(filters.values()))
    results = selectors.search_items(q=q, kind=kind, state=state, now=now, **filters)
    if year is not None:
        wanted = [pk for pk, end, tz in selectors.deadline_rows(results) if track.matches_year(year, end, tz)]
        results = results.filter(pk__in=wanted)
    page = selectors.paginate(results if searched else results.none(), request.GET.get("page"),
                              selectors.RESULTS_PER_PAGE)
    return render(request, "timeline/pages/search.html", {
        "q": q, "searched": searched, "page": page, "results": [entry(i, now) for i in page],
        "actors": selectors.actors_matching(q) if q else [],
        "filters": _describe_filters(filters, kind=kind, state=state, year=year),
        "clear_url": _url("pages:search", q=q),
    })


def _filter_object(model, slug: str | None):
    if not slug:
        return None
    # A filter naming nothing is a broken link: say so, as any unknown slug.
    return get_object_or_404(model, slug=slug)


def _describe_filters(filters, *, kind, state, year) -> list[str]:
    words = []
    if kind:
        words.append(f"{kind}s")
    if state:
        words.append(states.label(state).lower())
    if filters["holder"]:
        words.append(f"held by {filters['holder'].name}")
    if filters["reported_by"]:
        words.append(f"reported by {filters['reported_by'].name}")
    if filters["actor"]:
        words.append(f"naming {filters['actor'].name}")
    if filters["storyline"]:
        words.append(f"in {filters['storyline'].name}")
    if year == track.NO_DEADLINE:
        words.append("with no deadline")
    elif year is not None:
        words.append(f"deadline in {year}")
    return words
