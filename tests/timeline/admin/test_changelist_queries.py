"""The lists cost the same number of queries for 3 items as for 30: no
query per row (storylines are prefetched, overdue is computed in SQL)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import day_when, make_actor, make_event, make_expectation, make_milestone, make_storyline

from timeline import services

from .pages import make_source, url

pytestmark = pytest.mark.django_db


def add_items(count, *, now, storylines, actors):
    for n in range(count):
        when = day_when(date(2026, 1, 1) + timedelta(days=n))
        milestone = make_milestone(now=now, when=when, storylines=storylines, actors=actors)
        source = make_source(now=now, url=f"https://www.axios.com/{milestone.public_id}")
        services.citation_add(item=milestone, source=source, by="system", now=now)
        make_expectation(now=now, when=when, storylines=storylines, actors=actors, holder=actors[0])
        make_event(now=now, when=when, storylines=storylines, actors=actors)


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("model", ["milestone", "expectation", "event", "item", "change", "citation"])
def test_a_list_of_30_costs_what_a_list_of_3_costs(editor_client, now, model):
    storylines = [make_storyline(), make_storyline()]
    actors = [make_actor(), make_actor()]
    add_items(3, now=now, storylines=storylines, actors=actors)
    few = queries_for(editor_client, url(model, "changelist"))

    add_items(27, now=now, storylines=storylines, actors=actors)
    many = queries_for(editor_client, url(model, "changelist"))

    assert many == few
