"""Idempotency-Key: a retried POST gets the first result back, stored in the
same transaction as the write; another request under the same key is 422."""

import pytest

from core.models import IdempotencyKey
from tests.api.conftest import API, token_client
from tests.factories import make_editor
from timeline.models import Change, Milestone

pytestmark = pytest.mark.django_db

CREATE = {"title": "Davos", "when": {"text": "on Jan. 23", "as_of": "2025-12-30", "tz": "Europe/Zurich"}}


def test_a_retried_create_returns_the_first_result(editor_client):
    first = editor_client.post(f"{API}/milestones/", CREATE, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    retry = editor_client.post(f"{API}/milestones/", CREATE, format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert (retry["Location"], retry["ETag"]) == (first["Location"], first["ETag"])
    assert retry["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Milestone.objects.count() == 1
    stored = IdempotencyKey.objects.get()
    assert (stored.key, stored.method, stored.path, stored.response_status) == ("key-1", "POST", f"{API}/milestones/", 201)


def test_the_body_compares_as_json_not_as_bytes(editor_client):
    editor_client.post(f"{API}/milestones/", CREATE, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    reordered = '{"when": {"tz": "Europe/Zurich", "as_of": "2025-12-30", "text": "on Jan. 23"},  "title": "Davos"}'

    retry = editor_client.post(f"{API}/milestones/", reordered, content_type="application/json",
                               HTTP_IDEMPOTENCY_KEY="key-1")

    assert retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"


def test_the_same_key_for_another_request_is_422(editor_client, record):
    editor_client.post(f"{API}/milestones/", CREATE, format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    other_body = editor_client.post(f"{API}/milestones/", {**CREATE, "title": "Other"}, format="json",
                                    HTTP_IDEMPOTENCY_KEY="key-1")
    other_path = editor_client.post(f"{API}/milestones/{record.milestone.public_id}/confirm/", {}, format="json",
                                    HTTP_IDEMPOTENCY_KEY="key-1")

    for response in (other_body, other_path):
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Milestone.objects.filter(title="Other").count() == 0
    record.milestone.refresh_from_db()
    assert record.milestone.status == "scheduled"


def test_a_retried_action_does_not_move_twice(editor_client, record):
    url = f"{API}/milestones/{record.milestone.public_id}/postpone/"
    body = {"when": {"edtf": "2026-02", "tz": "UTC"}, "reason": "Moved."}

    first = editor_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="postpone-1")
    retry = editor_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="postpone-1")

    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry.json()["postponed_count"] == 1 and retry["ETag"] == first["ETag"]
    assert Change.objects.filter(item=record.milestone, kind="postponed").count() == 1


def test_a_failed_request_keeps_no_key_so_it_can_be_retried(editor_client, record):
    url = f"{API}/milestones/{record.milestone.public_id}/cancel/"

    refused = editor_client.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="cancel-1")
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()

    # A new body under the same key: the failed attempt left nothing behind.
    assert editor_client.post(url, {"reason": "Off."}, format="json", HTTP_IDEMPOTENCY_KEY="cancel-1").status_code == 200


def test_keys_belong_to_their_account(editor_client):
    other = token_client(make_editor("other-editor"))
    editor_client.post(f"{API}/milestones/", CREATE, format="json", HTTP_IDEMPOTENCY_KEY="shared")

    response = other.post(f"{API}/milestones/", CREATE, format="json", HTTP_IDEMPOTENCY_KEY="shared")

    assert response.status_code == 201 and not response.has_header("Idempotent-Replayed")
    assert Milestone.objects.count() == 2


@pytest.mark.parametrize("key", ["has space", "x" * 201, "ünïcode"])
def test_a_malformed_key_is_400(editor_client, key):
    response = editor_client.post(f"{API}/milestones/", CREATE, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert not Milestone.objects.exists()
