"""The item lists' filters: storyline, status, editorial state, precision,
and what is due (overdue, due in 7 or 30 days, undated), the last computed
by timeline.selectors against the request's clock."""

from datetime import timedelta

import pytest

from tests.builders import day_when, make_milestone, make_storyline, window_when
from timeline import services
from timeline.when import When

from .pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestones(wall_clock, now):
    today = wall_clock.date()
    gaza = make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    record = {
        "overdue": make_milestone(now=now, when=day_when(today - timedelta(days=3)), title="overdue", storylines=[gaza]),
        "in 3 days": make_milestone(now=now, when=day_when(today + timedelta(days=3)), title="in 3 days"),
        "in 20 days": make_milestone(now=now, when=day_when(today + timedelta(days=20)), title="in 20 days",
                                     published=False),
        "undated": make_milestone(now=now, when=When.undated(), title="undated"),
        "month": make_milestone(
            now=now, title="month", status="confirmed",
            when=window_when(wall_clock + timedelta(days=60), wall_clock + timedelta(days=90), precision="month"),
        ),
        "happened": make_milestone(now=now, when=day_when(today - timedelta(days=10)), title="happened"),
    }
    services.milestone_cancel(milestone=record["happened"], by="system", now=now, reason="Called off")
    return record


def listed(client, model="milestone", **query):
    response = client.get(url(model, "changelist"), query)
    assert response.status_code == 200
    return sorted(item.title for item in response.context["cl"].result_list)


@pytest.mark.parametrize(("query", "expected"), [
    ({"due": "overdue"}, ["overdue"]),
    ({"due": "7d"}, ["in 3 days"]),
    ({"due": "30d"}, ["in 20 days", "in 3 days"]),
    ({"due": "undated"}, ["undated"]),
    ({"storylines__id__exact": "{gaza}"}, ["overdue"]),
    ({"status": "confirmed"}, ["month"]),
    ({"status": "cancelled"}, ["happened"]),
    ({"editorial_state__exact": "draft"}, ["in 20 days"]),
    ({"when_precision__exact": "month"}, ["month"]),
    ({"due": "overdue", "status": "scheduled"}, ["overdue"]),
    ({"due": "overdue", "status": "confirmed"}, []),
])
def test_each_filter_lists_what_it_names(editor_client, milestones, query, expected):
    gaza = milestones["overdue"].storylines.get()
    query = {key: value.format(gaza=gaza.pk) for key, value in query.items()}

    assert listed(editor_client, **query) == expected


def test_the_all_items_list_filters_the_same_way(editor_client, milestones):
    assert listed(editor_client, "item", due="overdue") == ["overdue"]
    assert listed(editor_client, "item", kind__exact="milestone", due="undated") == ["undated"]


def test_the_overdue_column_says_which_are_overdue(editor_client, milestones):
    response = editor_client.get(url("milestone", "changelist"))

    overdue = {item.title: item.overdue_flag for item in response.context["cl"].result_list}
    assert overdue == {"overdue": True, "in 3 days": False, "in 20 days": False, "undated": False, "month": False,
                       "happened": False}


def test_a_milestone_lists_only_milestone_statuses(editor_client, milestones):
    response = editor_client.get(url("milestone", "changelist"))

    status_filter = next(f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "status")
    assert [value for value, _ in status_filter.lookup_choices] == ["scheduled", "confirmed", "happened", "cancelled"]


def test_an_unknown_filter_value_lists_everything_rather_than_failing(editor_client, milestones):
    assert len(listed(editor_client, due="someday", status="bogus")) == 6


@pytest.mark.parametrize("model", ["milestone", "expectation", "item"])
@pytest.mark.parametrize("due", ["overdue", "7d"])
def test_every_column_sorts_under_every_due_filter(editor_client, milestones, model, due):
    # The due filters come from selectors that add DISTINCT; PostgreSQL then
    # insists that what the list sorts by is selected too.
    changelist = editor_client.get(url(model, "changelist"))
    for index in range(len(changelist.context["cl"].list_display)):
        query = {"o": str(index), "due": due} if due else {"o": str(index)}
        assert editor_client.get(url(model, "changelist"), query).status_code == 200, (model, index)
