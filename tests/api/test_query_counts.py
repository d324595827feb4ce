"""No N+1: every list endpoint and the timeline run the same number of
queries for 5 items as for 500 (a page of 200 of them)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import API
from tests.builders import day_when, make_actor, make_event, make_expectation, make_milestone, make_storyline
from timeline import services
from timeline.models import SYSTEM

pytestmark = pytest.mark.django_db

PAGE = "page_size=200"


class World:
    """Items with every relation the output reads: storylines, actors,
    citations with their source and outlet, an expectation's holder, holder
    citation, milestone and evidence, a milestone's happened event."""

    def __init__(self, clock):
        self.clock = clock
        self.storyline = make_storyline("Gaza", slug="gaza")
        self.outlet = services.outlet_create(name="Axios")
        self.items = 0
        self.changes_item = None

    def grow_to(self, items: int) -> None:
        while self.items < items:
            self._bundle(self.items)
            self.items += 4

    def _bundle(self, n: int) -> None:
        clock = self.clock
        soon = day_when((clock + timedelta(days=1 + n % 5)).date())
        past = day_when((clock - timedelta(days=3 + n % 5)).date())
        actor = make_actor(f"Actor {n}", slug=f"actor-{n}")
        source = services.source_create(outlet=self.outlet, title=f"Article {n}", url=f"https://example.org/{n}",
                                        published_at=clock)
        event = make_event(now=clock, when=past, storylines=[self.storyline], actors=[actor])
        milestone = make_milestone(now=clock, when=soon, storylines=[self.storyline], actors=[actor])
        done = make_milestone(now=clock, when=past, storylines=[self.storyline])
        services.milestone_mark_happened(milestone=done, by=SYSTEM, now=clock, event=event)
        expectation = make_expectation(now=clock, when=past, storylines=[self.storyline], holder=actor,
                                       about_milestone=milestone)
        citation = services.citation_add(item=expectation, source=source, by=SYSTEM, now=clock,
                                         attribution="a U.S. official")
        services.item_edit(item=expectation, by=SYSTEM, now=clock, holder_citation=citation)

    def grow_history_to(self, changes: int) -> None:
        if self.changes_item is None:
            self.changes_item = make_milestone(now=self.clock, when=day_when(self.clock.date()))
        while self.changes_item.changes.count() < changes:
            services.item_edit(item=self.changes_item, by=SYSTEM, now=self.clock, title=f"Edit {self.changes_item.revision}")

    def grow_reference_to(self, rows: int) -> None:
        from timeline.models import Outlet, Source, Storyline

        while Storyline.objects.count() < rows:
            n = Storyline.objects.count()
            make_storyline(f"Storyline {n}", slug=f"storyline-{n}")
            make_actor(f"Person {n}", slug=f"person-{n}")
            services.outlet_create(name=f"Outlet {n}", slug=f"outlet-{n}")
        while Source.objects.count() < rows:
            n = Source.objects.count()
            services.source_create(outlet=Outlet.objects.first(), title=f"S {n}", url=f"https://example.org/s/{n}",
                                   published_at=self.clock)


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(queries), response.json()


ITEM_LISTS = [f"items/?{PAGE}", f"events/?{PAGE}", f"milestones/?{PAGE}", f"expectations/?{PAGE}",
              f"storylines/gaza/timeline/?{PAGE}", f"items/?{PAGE}&storyline=gaza&q=actor", "due/?within=7d"]


@pytest.mark.parametrize("role", ["anonymous_client", "editor_client"])
def test_item_lists_and_timeline(request, role, clock):
    client = request.getfixturevalue(role)
    world = World(clock)
    world.grow_to(8)
    small = {path: count(client, f"{API}/{path}") for path in ITEM_LISTS}

    world.grow_to(500)
    for path in ITEM_LISTS:
        queries, body = count(client, f"{API}/{path}")
        rows = body["results"] if "results" in body else body["upcoming"] + body["overdue"]
        assert len(rows) > 3 * len(small[path][1].get("results", small[path][1].get("upcoming", []))), path
        assert queries == small[path][0], path


def test_history(editor_client, clock):
    world = World(clock)
    world.grow_history_to(5)
    url = f"{API}/items/{world.changes_item.public_id}/history/?{PAGE}"
    small, _ = count(editor_client, url)

    world.grow_history_to(500)
    queries, body = count(editor_client, url)

    assert len(body["results"]) == 200
    assert queries == small


@pytest.mark.parametrize("path", ["storylines/", "actors/", "outlets/", "sources/"])
def test_reference_lists(anonymous_client, clock, path):
    world = World(clock)
    world.grow_reference_to(5)
    small, _ = count(anonymous_client, f"{API}/{path}?{PAGE}")

    world.grow_reference_to(250)
    queries, body = count(anonymous_client, f"{API}/{path}?{PAGE}")

    assert len(body["results"]) == 200
    assert queries == small
