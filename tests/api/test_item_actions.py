"""Publish, retract, correct and cite any item by its public id."""

import pytest

from tests.api.conftest import API
from timeline import services
from timeline.models import Citation

pytestmark = pytest.mark.django_db


def action(client, item, name, body=None, **headers):
    return client.post(f"{API}/items/{item.public_id}/{name}/", body or {}, format="json", **headers)


def test_publish_makes_a_draft_public(editor_client, anonymous_client, record):
    assert anonymous_client.get(f"{API}/items/{record.draft.public_id}/").status_code == 404

    response = action(editor_client, record.draft, "publish", {"uncited_reason": "Announced on air."})

    assert response.status_code == 200
    assert response.json()["editorial_state"] == "published"
    assert response["ETag"] == f'"{record.draft.public_id}-r2"'
    assert anonymous_client.get(f"{API}/items/{record.draft.public_id}/").status_code == 200
    assert action(editor_client, record.draft, "publish").status_code == 409


def test_retract_needs_a_reason_and_hides_the_item(editor_client, anonymous_client, record):
    assert action(editor_client, record.event, "retract").status_code == 400

    response = action(editor_client, record.event, "retract", {"reason": "Wrong date reported."})

    assert response.status_code == 200
    assert response.json()["editorial_state"] == "retracted"
    assert anonymous_client.get(f"{API}/items/{record.event.public_id}/").status_code == 404
    assert editor_client.get(f"{API}/items/{record.event.public_id}/").status_code == 200


def test_correct_is_the_way_out_of_a_final_state(editor_client, editor, record, clock):
    services.milestone_cancel(milestone=record.milestone, by=editor, now=clock, reason="Off.")

    nothing = action(editor_client, record.milestone, "correct", {"reason": "x"})
    assert nothing.status_code == 400
    wrong = action(editor_client, record.milestone, "correct", {"reason": "x", "status": "met"})
    assert wrong.status_code == 400 and "status" in wrong.json()["error"]["fields"]

    response = action(editor_client, record.milestone, "correct", {
        "reason": "Cancelled by mistake.", "status": "scheduled",
        "when": {"text": "in March", "as_of": "2026-01-20", "tz": "Europe/Zurich"},
    })

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["kind"], body["status"], body["cancel_reason"], body["when"]["edtf"]) == (
        "milestone", "scheduled", "", "2026-03")


def test_cite_a_source_once(editor_client, anonymous_client, record, clock):
    outlet = services.outlet_create(name="Axios")
    source = services.source_create(outlet=outlet, title="Scoop", url="https://www.axios.com/scoop", published_at=clock)
    body = {"source": source.pk, "role": "reports_claim", "attribution": "two senior U.S. officials"}

    first = action(editor_client, record.expectation, "citations", body,
                   HTTP_IF_MATCH=f'"{record.expectation.public_id}-r1"')
    again = action(editor_client, record.expectation, "citations", body)

    assert first.status_code == 201, first.json()
    assert first["ETag"] == f'"{record.expectation.public_id}-r2"'
    assert first.json()["source"]["outlet"] == "axios"
    assert (again.status_code, again.json()["id"], again["ETag"]) == (200, first.json()["id"], first["ETag"])
    assert Citation.objects.count() == 1
    item = anonymous_client.get(f"{API}/expectations/{record.expectation.public_id}/").json()
    assert item["citations"][0]["attribution"] == "two senior U.S. officials"


def test_cite_an_unknown_source_is_400(editor_client, record):
    response = action(editor_client, record.event, "citations", {"source": 999999})

    assert response.status_code == 400
    assert "source" in response.json()["error"]["fields"]
