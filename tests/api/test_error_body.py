"""Every failure answers in the one error body, with the status DRF and the
services decide: {"error": {"code", "message", "fields", "current"}}."""

import pytest

from tests.api.conftest import API, token_client

pytestmark = pytest.mark.django_db


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields", "current"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_bad_input_names_each_field(editor_client):
    response = editor_client.post(f"{API}/milestones/", {"when": {"text": "in January"}}, format="json")

    error = assert_error(response, 400, "invalid_input")
    assert error["fields"]["title"] == ["This field is required."]
    assert error["fields"]["when.tz"] == ["This field is required."]


def test_no_credentials_on_a_write_is_401_with_the_scheme_to_use(anonymous_client):
    response = anonymous_client.post(f"{API}/storylines/", {"name": "Gaza ceasefire"}, format="json")

    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_that_is_not_valid_is_401_even_on_public_reads(db):
    client = token_client()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert_error(client.get(f"{API}/storylines/"), 401, "not_authenticated")


def test_a_subscriber_may_not_write(subscriber_client):
    response = subscriber_client.post(f"{API}/storylines/", {"name": "Gaza ceasefire"}, format="json")

    assert_error(response, 403, "permission_denied")


def test_unknown_item_is_404(anonymous_client):
    response = anonymous_client.get(f"{API}/items/00000000-0000-4000-8000-000000000000/")

    error = assert_error(response, 404, "not_found")
    assert error["message"] == "Not found."


def test_unknown_path_under_the_api_is_404_in_the_error_body(anonymous_client):
    assert_error(anonymous_client.get(f"{API}/no-such-thing/"), 404, "not_found")
    assert_error(anonymous_client.get(f"{API}/items/not-a-uuid/"), 404, "not_found")


def test_method_not_allowed_is_405_with_allow(editor_client, record):
    response = editor_client.delete(f"{API}/milestones/{record.milestone.public_id}/")

    assert_error(response, 405, "method_not_allowed")
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "PATCH", "OPTIONS"}


def test_a_body_that_is_not_json_is_refused(editor_client):
    response = editor_client.post(f"{API}/storylines/", "name=x", content_type="application/x-www-form-urlencoded")
    assert_error(response, 415, "unsupported_media_type")

    response = editor_client.post(f"{API}/storylines/", "{not json", content_type="application/json")
    assert_error(response, 400, "malformed_request")


def test_forbidden_transition_is_409_with_the_current_state(editor_client, record):
    url = f"{API}/milestones/{record.milestone.public_id}/cancel/"
    assert editor_client.post(url, {"reason": "Called off."}, format="json").status_code == 200

    response = editor_client.post(f"{API}/milestones/{record.milestone.public_id}/confirm/", {}, format="json")

    error = assert_error(response, 409, "transition_not_allowed")
    assert error["current"]["status"] == "cancelled"
    assert error["current"]["editorial_state"] == "published"
    assert error["current"]["revision"] == 2
    assert error["current"]["etag"] == f'"{record.milestone.public_id}-r2"'
