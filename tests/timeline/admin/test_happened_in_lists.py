"""A happened milestone is listed at its actual date, its plan beside it, in
the milestone list and in the list of all items, at no query per row."""

from datetime import date, timedelta

import pytest

from tests.builders import day_when, make_milestone
from timeline import services

from .pages import url
from .test_changelist_queries import queries_for

pytestmark = pytest.mark.django_db


def happened_milestones(count, *, now, editor):
    for n in range(count):
        milestone = make_milestone(now=now, when=day_when(date(2027, 3, 21) + timedelta(days=n)), title=f"Summit {n}")
        services.milestone_mark_happened(milestone=milestone, by=editor, now=now, actual=day_when(date(2026, 11, 20)))


@pytest.mark.parametrize("model", ["milestone", "item"])
def test_the_list_shows_the_actual_date_and_the_plan(editor_client, editor, now, model):
    happened_milestones(1, now=now, editor=editor)

    page = editor_client.get(url(model, "changelist")).content.decode()

    assert "happened 20 Nov 2026 (planned 21 Mar 2027)" in page


@pytest.mark.parametrize("model", ["milestone", "item"])
def test_showing_it_costs_no_query_per_row(editor_client, editor, now, model):
    happened_milestones(2, now=now, editor=editor)
    few = queries_for(editor_client, url(model, "changelist"))
    happened_milestones(8, now=now, editor=editor)

    assert queries_for(editor_client, url(model, "changelist")) == few
