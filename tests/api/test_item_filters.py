"""Filters of the item lists: storyline, actor, kind, status, editorial
state, precision, window before/after, overdue and text search."""

from datetime import date, timedelta

import pytest

from tests.api.conftest import API
from tests.builders import day_when, make_actor, make_event, make_milestone, make_storyline
from timeline.models import Item
from timeline.when import When

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(clock):
    gaza, iran = make_storyline("Gaza", slug="gaza"), make_storyline("Iran", slug="iran")
    trump = make_actor("Donald Trump", slug="trump", aliases=["POTUS"])
    return {
        "jan": make_milestone(now=clock, when=day_when(date(2026, 1, 23)), title="Board of Peace meets",
                              storylines=[gaza, iran], actors=[trump]),
        "june": make_event(now=clock, when=When(text="in June", start=day_when(date(2025, 6, 1)).start,
                                                end=day_when(date(2025, 7, 1)).start, precision="month"),
                           title="Strikes", summary="The 12-day war", storylines=[iran]),
        "future": make_milestone(now=clock, when=day_when((clock + timedelta(days=40)).date()), title="Summit"),
        "undated": make_milestone(now=clock, when=When.undated("TBD"), title="Talks", storylines=[gaza]),
        "draft": make_milestone(now=clock, when=When.undated("TBD"), title="Draft", published=False),
    }


def titles(client, query):
    response = client.get(f"{API}/items/?{query}")
    assert response.status_code == 200, response.json()
    return sorted(r["title"] for r in response.json()["results"])


def test_by_relation_kind_and_status(anonymous_client, items):
    assert titles(anonymous_client, "storyline=gaza") == ["Board of Peace meets", "Talks"]
    assert titles(anonymous_client, "actor=trump") == ["Board of Peace meets"]
    assert titles(anonymous_client, "kind=event") == ["Strikes"]
    assert titles(anonymous_client, "status=recorded&status=scheduled") == ["Board of Peace meets", "Strikes",
                                                                             "Summit", "Talks"]
    assert titles(anonymous_client, "precision=month") == ["Strikes"]


def test_an_item_in_two_matching_storylines_is_listed_once(anonymous_client, items):
    response = anonymous_client.get(f"{API}/items/?storyline=iran")

    assert [r["title"] for r in response.json()["results"]] == ["Strikes", "Board of Peace meets"]


def test_window_before_and_after(anonymous_client, items):
    assert titles(anonymous_client, "after=2026-01-01T00:00:00Z&before=2026-02-01T00:00:00Z") == ["Board of Peace meets"]
    assert titles(anonymous_client, "before=2026-01-01T00:00:00Z") == ["Strikes"]


def test_overdue(anonymous_client, items):
    assert titles(anonymous_client, "overdue=true") == ["Board of Peace meets"]
    assert "Board of Peace meets" not in titles(anonymous_client, "overdue=false")


def test_text_search_over_title_summary_and_actors(anonymous_client, items):
    assert titles(anonymous_client, "q=12-DAY") == ["Strikes"]
    assert titles(anonymous_client, "q=trump") == ["Board of Peace meets"]
    assert titles(anonymous_client, "q=potus") == ["Board of Peace meets"]


def test_editorial_state_is_for_editors(anonymous_client, editor_client, items):
    assert titles(anonymous_client, "editorial_state=draft") == []
    assert titles(editor_client, "editorial_state=draft") == ["Draft"]


@pytest.mark.parametrize("query", ["storyline=nope", "kind=rumour", "after=yesterday", "overdue=perhaps",
                                   "ordering=title", "page_size=0", "cursor=garbage"])
def test_bad_filters_are_400_naming_the_parameter(anonymous_client, items, query):
    response = anonymous_client.get(f"{API}/items/?{query}")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [query.split("=")[0]]
    assert Item.objects.count() == 5
