"""GET /due/: upcoming, overdue and needs-a-verdict, with reasons."""

from datetime import timedelta

import pytest

from tests.api.conftest import API
from tests.builders import day_when, make_milestone, make_storyline

pytestmark = pytest.mark.django_db


def titles(entries):
    return [e["item"]["title"] for e in entries]


def test_sections_with_reasons(anonymous_client, clock):
    gaza = make_storyline("Gaza", slug="gaza")
    make_milestone(now=clock, when=day_when((clock + timedelta(days=3)).date()), title="Soon", storylines=[gaza])
    make_milestone(now=clock, when=day_when((clock + timedelta(days=30)).date()), title="Later", storylines=[gaza])
    make_milestone(now=clock, when=day_when((clock - timedelta(days=5)).date()), title="Late", storylines=[gaza])
    make_milestone(now=clock, when=day_when((clock + timedelta(days=2)).date()), title="Draft", published=False)

    report = anonymous_client.get(f"{API}/due/?within=7d").json()

    assert titles(report["upcoming"]) == ["Soon"]
    assert report["upcoming"][0]["reason"].startswith("Milestone opens in")
    assert titles(report["overdue"]) == ["Late"] == titles(report["needs_verdict"])
    assert "nobody recorded that it happened or was cancelled" in report["overdue"][0]["reason"]
    assert report["within"] == "7d"
    assert titles(anonymous_client.get(f"{API}/due/?within=60d&storyline=gaza").json()["upcoming"]) == ["Soon", "Later"]


def test_editors_see_drafts_due(editor_client, clock):
    make_milestone(now=clock, when=day_when((clock + timedelta(days=2)).date()), title="Draft", published=False)

    assert titles(editor_client.get(f"{API}/due/").json()["upcoming"]) == ["Draft"]


@pytest.mark.parametrize("query", ["within=7", "within=7y", "within=400d", "within=0d", "storyline=nope"])
def test_bad_parameters_are_400(anonymous_client, db, query):
    response = anonymous_client.get(f"{API}/due/?{query}")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) <= {"within", "storyline"}
