"""Creating events, milestones and expectations: the When as words or EDTF,
read for the item's kind; Location and ETag on 201."""

from datetime import datetime, timezone

import pytest

from tests.api.conftest import API
from timeline.models import Change, Item

pytestmark = pytest.mark.django_db


def test_a_milestone_on_jan_23_in_zurich_is_that_day_in_zurich(editor_client, record):
    response = editor_client.post(f"{API}/milestones/", {
        "title": "First meeting of the Board of Peace",
        "when": {"text": "on Jan. 23", "as_of": "2025-12-30", "tz": "Europe/Zurich"},
        "place": "Davos", "storylines": ["gaza-ceasefire"], "actors": ["trump"], "editorial_state": "published",
    }, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "milestone" and body["status"] == "scheduled"
    assert body["when"] == {
        "text": "on Jan. 23", "as_of": "2025-12-30", "start": "2026-01-22T23:00:00Z", "end": "2026-01-23T23:00:00Z",
        "precision": "day", "approximate": False, "tz": "Europe/Zurich", "edtf": "2026-01-23",
        "display": "23 Jan 2026",
    }
    assert body["storylines"] == ["gaza-ceasefire"] and body["actors"] == ["trump"]
    assert response["Location"] == f"http://testserver{API}/milestones/{body['id']}/"
    assert response["ETag"] == f'"{body["id"]}-r1"' == body["etag"]
    item = Item.objects.get(public_id=body["id"])
    assert item.when_start == datetime(2026, 1, 22, 23, tzinfo=timezone.utc)
    assert Change.objects.get(item=item).by_user.username == "editor"


def test_an_event_reads_relative_words_backwards(editor_client):
    response = editor_client.post(f"{API}/events/", {
        "title": "The 12-day war", "when": {"text": "in June", "as_of": "2025-12-30", "tz": "UTC"},
    }, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["when"]["edtf"] == "2025-06"


def test_edtf_needs_a_zone_and_gives_the_window(editor_client):
    missing = editor_client.post(f"{API}/milestones/", {"title": "Announcement", "when": {"edtf": "2026-01"}},
                                 format="json")
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"] == {"when.tz": ["This field is required."]}

    response = editor_client.post(f"{API}/milestones/", {
        "title": "Announcement", "when": {"edtf": "2026-01", "tz": "Europe/Zurich"},
    }, format="json")
    assert response.status_code == 201
    assert response.json()["when"]["precision"] == "month"
    assert response.json()["when"]["start"] == "2025-12-31T23:00:00Z"


def test_an_unreadable_phrase_is_named_in_the_error(editor_client):
    response = editor_client.post(f"{API}/milestones/", {
        "title": "Announcement", "when": {"text": "sometime soonish", "as_of": "2025-12-30", "tz": "UTC"},
    }, format="json")

    assert response.status_code == 400
    [message] = response.json()["error"]["fields"]["when.text"]
    assert "'sometime soonish'" in message
    assert not Item.objects.exists()


def test_unknown_zone_and_both_forms_are_refused(editor_client):
    zone = editor_client.post(f"{API}/milestones/", {
        "title": "x", "when": {"text": "in January", "tz": "Mars/Olympus"}}, format="json")
    both = editor_client.post(f"{API}/milestones/", {
        "title": "x", "when": {"text": "in January", "edtf": "2026-01", "tz": "UTC"}}, format="json")

    assert zone.status_code == 400 and "when.tz" in zone.json()["error"]["fields"]
    assert both.status_code == 400 and "when.non_field_errors" in both.json()["error"]["fields"]


def test_unknown_storyline_is_a_400_naming_it(editor_client):
    response = editor_client.post(f"{API}/events/", {
        "title": "x", "when": {"edtf": "2025-06", "tz": "UTC"}, "storylines": ["no-such-storyline"],
    }, format="json")

    assert response.status_code == 400
    assert "storylines" in response.json()["error"]["fields"]


def test_an_expectation_with_its_holder_and_milestone(editor_client, record):
    response = editor_client.post(f"{API}/expectations/", {
        "title": "Trump chairs the first meeting",
        "when": {"text": "on Jan. 23", "as_of": "2025-12-30", "tz": "Europe/Zurich"},
        "expectation_type": "forecast", "target_kind": "on", "holder": "trump",
        "about_milestone": str(record.milestone.public_id), "probability": "0.7", "grace_period": "P14D",
        "criteria": "Trump in the chair at Davos.",
    }, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["holder"], body["holder_display"], body["target_kind"]) == ("trump", "Donald Trump", "on")
    assert body["about_milestone"] == str(record.milestone.public_id)
    assert body["probability"] == 0.7 and body["grace_period"] == "P14DT00H00M00S"
    assert body["status"] == "open" and body["verdict"] is None


def test_a_conditional_starts_dormant_and_needs_its_condition(editor_client):
    without = editor_client.post(f"{API}/expectations/", {
        "title": "Round two of strikes", "when": {"text": "undated", "tz": "UTC"}, "expectation_type": "conditional",
    }, format="json")
    assert without.status_code == 400
    assert "condition" in without.json()["error"]["fields"]

    response = editor_client.post(f"{API}/expectations/", {
        "title": "Round two of strikes", "when": {"text": "undated", "tz": "UTC"}, "expectation_type": "conditional",
        "condition": "Iran takes real steps to rebuild its nuclear program.", "trigger_deadline": "P90D",
    }, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "dormant"
    assert response.json()["when"]["precision"] == "undated"
