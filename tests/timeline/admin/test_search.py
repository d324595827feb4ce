"""Searching items by title, by an actor's name and by an actor's alias.

Aliases are a JSON list; the search must find them on PostgreSQL (where this
suite runs with DATABASE_URL=postgres://...) as on SQLite."""

from datetime import date

import pytest

from tests.builders import day_when, make_actor, make_event, make_expectation, make_milestone

from .pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(now):
    irgc = make_actor("Islamic Revolutionary Guard Corps", aliases=["IRGC", "Revolutionary Guards", "Sepâh"])
    trump = make_actor("Donald Trump", aliases=["POTUS"])
    return {
        "exercise": make_event(now=now, when=day_when(date(2025, 12, 24)), title="Missile exercise", actors=[irgc]),
        "meeting": make_milestone(now=now, when=day_when(date(2026, 1, 23)), title="Board of Peace meets",
                                  actors=[trump, irgc]),
        "threat": make_expectation(now=now, when=day_when(date(2026, 6, 1)), title="Harsh response"),
    }


def found(client, model, term):
    response = client.get(url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    return sorted(item.title for item in response.context["cl"].result_list)


@pytest.mark.parametrize(("term", "expected"), [
    ("revolutionary guards", ["Board of Peace meets", "Missile exercise"]),  # an alias, any case
    ("IRGC", ["Board of Peace meets", "Missile exercise"]),
    ("Sepâh", ["Board of Peace meets", "Missile exercise"]),  # non-ASCII alias
    ("potus", ["Board of Peace meets"]),
    ("Donald", ["Board of Peace meets"]),  # an actor's name
    ("harsh", ["Harsh response"]),  # the title
    ("board potus", ["Board of Peace meets"]),  # every word must match somewhere
    ("board irgc-nope", []),
    ("board Sepâh", ["Board of Peace meets"]),
])
def test_the_all_items_list_finds_by_title_actor_and_alias(editor_client, record, term, expected):
    assert found(editor_client, "item", term) == expected


def test_each_kind_finds_by_alias_once_even_with_several_matching_actors(editor_client, record):
    assert found(editor_client, "milestone", "r") == ["Board of Peace meets"]
    assert found(editor_client, "event", "guards") == ["Missile exercise"]
    assert found(editor_client, "expectation", "guards") == []


def test_actors_are_found_by_alias(editor_client, record):
    response = editor_client.get(url("actor", "changelist"), {"q": "revolutionary"})

    assert [actor.name for actor in response.context["cl"].result_list] == ["Islamic Revolutionary Guard Corps"]
