"""GET /storylines/{slug}/timeline/: the storyline's items in the order of
their windows, undated last, each with status, overdue flag and verdict."""

from datetime import date, timedelta

import pytest

from tests.api.conftest import API
from tests.builders import day_when, make_expectation, make_milestone, make_storyline
from timeline import services
from timeline.when import When

pytestmark = pytest.mark.django_db


def test_items_in_window_order_undated_last(anonymous_client, clock):
    gaza = make_storyline("Gaza", slug="gaza")
    other = make_storyline("Other", slug="other")
    undated = [make_milestone(now=clock, when=When.undated("TBD"), title=f"Undated {i}", storylines=[gaza])
               for i in range(2)]
    late = make_milestone(now=clock, when=day_when(date(2026, 3, 1)), title="March", storylines=[gaza])
    early = make_milestone(now=clock, when=day_when(date(2026, 1, 23)), title="January", storylines=[gaza])
    make_milestone(now=clock, when=day_when(date(2026, 2, 1)), title="Elsewhere", storylines=[other])

    results = anonymous_client.get(f"{API}/storylines/gaza/timeline/").json()["results"]

    expected = [early, late, *sorted(undated, key=lambda item: str(item.public_id))]
    assert [r["id"] for r in results] == [str(item.public_id) for item in expected]


def test_overdue_and_verdict(anonymous_client, editor, clock):
    gaza = make_storyline("Gaza", slug="gaza")
    past = day_when((clock - timedelta(days=10)).date())
    overdue = make_milestone(now=clock, when=past, title="Overdue", storylines=[gaza])
    missed = make_expectation(now=clock, when=past, title="Missed", storylines=[gaza])
    services.expectation_settle(expectation=missed, by=editor, now=clock, status="missed", note="Never happened.")

    results = {r["title"]: r for r in anonymous_client.get(f"{API}/storylines/gaza/timeline/").json()["results"]}

    assert (results["Overdue"]["status"], results["Overdue"]["overdue"]) == ("scheduled", True)
    assert (results["Missed"]["overdue"], results["Missed"]["verdict"]["status"]) == (False, "missed")
    assert results["Missed"]["verdict"]["note"] == "Never happened."
    assert overdue.public_id


def test_unknown_storyline_is_404(anonymous_client, db):
    assert anonymous_client.get(f"{API}/storylines/nope/timeline/").status_code == 404


def test_filter_by_kind(anonymous_client, record):
    results = anonymous_client.get(f"{API}/storylines/gaza-ceasefire/timeline/?kind=event").json()["results"]

    assert [r["kind"] for r in results] == ["event"]
