"""Every item response carries an ETag from its revision; PATCH and actions
take If-Match, whose revision the service's conditional UPDATE enforces."""

import pytest

from tests.api.conftest import API

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(record):
    return f"{API}/milestones/{record.milestone.public_id}/"


def test_get_and_write_answer_with_the_revision(anonymous_client, editor_client, record, url):
    public_id = record.milestone.public_id
    assert anonymous_client.get(url)["ETag"] == f'"{public_id}-r1"'
    assert anonymous_client.get(f"{API}/items/{public_id}/")["ETag"] == f'"{public_id}-r1"'
    assert anonymous_client.get(f"{API}/items/{public_id}/history/")["ETag"] == f'"{public_id}-r1"'

    response = editor_client.patch(url, {"title": "Renamed"}, format="json", HTTP_IF_MATCH=f'"{public_id}-r1"')

    assert response.status_code == 200, response.json()
    assert response["ETag"] == f'"{public_id}-r2"' == response.json()["etag"]
    assert response.json()["title"] == "Renamed"


def test_a_stale_if_match_is_412_with_the_current_revision(editor_client, record, url):
    first = editor_client.get(url)["ETag"]
    assert editor_client.patch(url, {"title": "One"}, format="json", HTTP_IF_MATCH=first).status_code == 200

    response = editor_client.patch(url, {"title": "Two"}, format="json", HTTP_IF_MATCH=first)

    assert response.status_code == 412
    error = response.json()["error"]
    assert error["code"] == "stale_revision"
    assert error["current"] == {"revision": 2, "etag": f'"{record.milestone.public_id}-r2"'}
    record.milestone.refresh_from_db()
    assert record.milestone.title == "One"


def test_actions_honour_if_match_too(editor_client, record):
    confirm = f"{API}/milestones/{record.milestone.public_id}/confirm/"
    stale = f'"{record.milestone.public_id}-r0"'

    assert editor_client.post(confirm, {}, format="json", HTTP_IF_MATCH=stale).status_code == 412
    current = f'"{record.milestone.public_id}-r1"'
    assert editor_client.post(confirm, {}, format="json", HTTP_IF_MATCH=current).status_code == 200


def test_without_if_match_the_write_applies_to_what_the_server_reads(editor_client, url):
    assert editor_client.patch(url, {"title": "No precondition"}, format="json").status_code == 200


def test_star_weak_tags_and_lists(editor_client, record, url):
    public_id = record.milestone.public_id
    assert editor_client.patch(url, {"title": "a"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    assert editor_client.patch(url, {"title": "b"}, format="json", HTTP_IF_MATCH=f'W/"{public_id}-r2"').status_code == 200
    listed = f'"{public_id}-r1", "{public_id}-r3"'
    assert editor_client.patch(url, {"title": "c"}, format="json", HTTP_IF_MATCH=listed).status_code == 200


def test_a_tag_of_another_item_fails_the_precondition(editor_client, record, url):
    response = editor_client.patch(url, {"title": "x"}, format="json",
                                   HTTP_IF_MATCH=f'"{record.expectation.public_id}-r1"')

    assert response.status_code == 412
    assert response.json()["error"]["fields"] == {"If-Match": ["None of the entity tags is this item's."]}


@pytest.mark.parametrize("header", ["r1", '"unterminated', '"a", b', ""])
def test_a_malformed_if_match_is_400(editor_client, url, header):
    response = editor_client.patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH=header)

    assert response.status_code == 400
    assert "If-Match" in response.json()["error"]["fields"]


def test_an_empty_patch_changes_nothing_and_says_so(editor_client, record, url):
    response = editor_client.patch(url, {"reason": "Nothing, really."}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"non_field_errors": ["Give at least one field to change."]}
    record.milestone.refresh_from_db()
    assert record.milestone.revision == 1
