"""An editor's internal note stays in the change log for editors; the public
note is what readers of the history see. A happened milestone shows when it
actually happened beside its planned When."""

import pytest

from tests.api.conftest import API
from timeline.models import Change

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(f"{API}/{path}", body, format="json")


def test_the_internal_note_is_for_editors_only(editor_client, anonymous_client, record):
    response = post(editor_client, f"milestones/{record.milestone.public_id}/confirm/", {
        "reason": "Source: a call with the press office.", "public_note": "The White House confirmed the date.",
    })
    assert response.status_code == 200, response.json()

    change = Change.objects.filter(item=record.milestone).last()
    assert (change.reason, change.public_note) == ("Source: a call with the press office.",
                                                   "The White House confirmed the date.")
    public = anonymous_client.get(f"{API}/items/{record.milestone.public_id}/history/").json()["results"][-1]
    assert (public["public_note"], public["reason"]) == ("The White House confirmed the date.", "")
    staff = editor_client.get(f"{API}/items/{record.milestone.public_id}/history/").json()["results"][-1]
    assert staff["reason"] == "Source: a call with the press office."


def test_a_cancellation_reason_is_public(editor_client, record):
    response = post(editor_client, f"milestones/{record.milestone.public_id}/cancel/", {
        "reason": "The meeting was called off.", "internal_note": "Heard first from our Geneva stringer.",
    })
    assert response.status_code == 200, response.json()

    change = Change.objects.get(item=record.milestone, kind="cancelled")
    assert (change.public_note, change.reason) == ("The meeting was called off.",
                                                   "Heard first from our Geneva stringer.")


def test_a_happened_milestone_shows_its_actual_when(editor_client, anonymous_client, record):
    planned = anonymous_client.get(f"{API}/milestones/{record.milestone.public_id}/").json()
    assert planned["actual_when"] is None

    response = post(editor_client, f"milestones/{record.milestone.public_id}/happened/", {
        "actual": {"text": "on Dec. 2", "as_of": "2026-12-02", "tz": "Europe/Zurich"},
    })

    body = response.json()
    assert response.status_code == 200, body
    assert body["actual_when"]["display"] == "2 Dec 2026"
    assert body["when"]["edtf"] == planned["when"]["edtf"]  # the plan stays on the record
    timeline = anonymous_client.get(f"{API}/storylines/gaza-ceasefire/timeline/").json()["results"]
    [row] = [r for r in timeline if r["id"] == str(record.milestone.public_id)]
    assert row["actual_when"]["edtf"] == "2026-12-02"
