"""Confirm, postpone, happened and cancel through the API: the same services
as the admin, the result in the body, the move in the change log."""

import pytest

from tests.api.conftest import API
from timeline.models import Change, Event, Item

pytestmark = pytest.mark.django_db


def action(client, milestone, name, body=None):
    return client.post(f"{API}/milestones/{milestone.public_id}/{name}/", body or {}, format="json")


def test_confirm(editor_client, record):
    response = action(editor_client, record.milestone, "confirm", {"reason": "The White House said so."})

    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    change = Change.objects.filter(item=record.milestone).last()
    assert (change.kind, change.reason) == ("confirmed", "The White House said so.")


def test_postpone_keeps_the_old_when_in_the_history(editor_client, anonymous_client, record):
    old_edtf = record.milestone.when_edtf
    response = action(editor_client, record.milestone, "postpone", {
        "when": {"text": "in February", "as_of": "2026-01-20", "tz": "Europe/Zurich"}, "reason": "Moved.",
    })

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["postponed_count"], body["when"]["edtf"]) == ("scheduled", 1, "2026-02")
    history = anonymous_client.get(f"{API}/items/{record.milestone.public_id}/history/").json()["results"]
    assert history[-1]["kind"] == "postponed"
    assert history[-1]["before"]["when"]["edtf"] == old_edtf
    assert history[-1]["after"]["when"]["edtf"] == "2026-02"


def test_postpone_to_undated(editor_client, record):
    response = action(editor_client, record.milestone, "postpone", {"when": {"text": "TBD", "tz": "UTC"}})

    assert response.status_code == 200
    assert response.json()["when"]["precision"] == "undated"
    assert response.json()["when"]["start"] is None


def test_happened_with_the_actual_when_records_the_event_and_settles_expectations(editor_client, record):
    day = record.expectation.when_start.date().isoformat()
    response = action(editor_client, record.milestone, "happened", {
        "actual": {"edtf": day, "tz": "UTC"}, "reason": "It met.",
    })

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "happened"
    event = Event.objects.get(public_id=body["happened_event"])
    assert event.when_edtf == day
    expectation = editor_client.get(f"{API}/expectations/{record.expectation.public_id}/").json()
    assert expectation["status"] == "met"
    assert expectation["verdict"]["decided_by"] == "system"
    assert expectation["verdict"]["evidence_event"] == str(event.public_id)


def test_happened_with_an_event(editor_client, record):
    response = action(editor_client, record.milestone, "happened", {"event": str(record.event.public_id)})

    assert response.status_code == 200
    assert response.json()["happened_event"] == str(record.event.public_id)


def test_happened_needs_exactly_one_of_event_and_actual(editor_client, record):
    response = action(editor_client, record.milestone, "happened", {})

    assert response.status_code == 400
    assert "event" in response.json()["error"]["fields"]
    assert Item.objects.get(pk=record.milestone.pk).status == "scheduled"


def test_cancel_needs_a_reason_and_misses_the_expectations(editor_client, record):
    assert action(editor_client, record.milestone, "cancel", {}).status_code == 400

    response = action(editor_client, record.milestone, "cancel", {"reason": "The meeting was called off."})

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancel_reason"]) == ("cancelled", "The meeting was called off.")
    record.expectation.refresh_from_db()
    assert record.expectation.status == "missed"


def test_a_final_milestone_refuses_every_move_with_409(editor_client, record):
    action(editor_client, record.milestone, "cancel", {"reason": "Off."})

    for name, body in (("confirm", {}), ("cancel", {"reason": "again"}),
                       ("postpone", {"when": {"edtf": "2026-03", "tz": "UTC"}})):
        response = action(editor_client, record.milestone, name, body)
        assert response.status_code == 409, name
        assert response.json()["error"]["current"]["status"] == "cancelled"


def test_actions_of_one_kind_do_not_reach_another(editor_client, record):
    response = editor_client.post(f"{API}/milestones/{record.expectation.public_id}/confirm/", {}, format="json")

    assert response.status_code == 404
