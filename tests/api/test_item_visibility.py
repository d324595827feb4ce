"""Unpublished items never leak: anonymous callers and subscribers see
published items only, and an invisible item answers exactly like an unknown
one (404, not 403). Editors see drafts too."""

import pytest

from tests.api.conftest import API
from tests.builders import day_when, make_milestone
from timeline import services

pytestmark = pytest.mark.django_db

READERS = ["anonymous_client", "subscriber_client"]


def ids(response):
    return {entry["id"] for entry in response.json()["results"]}


@pytest.mark.parametrize("reader", READERS)
def test_drafts_are_not_listed_for_readers(request, reader, record):
    client = request.getfixturevalue(reader)
    draft = str(record.draft.public_id)

    for path in ("items/", "milestones/", "storylines/gaza-ceasefire/timeline/"):
        response = client.get(f"{API}/{path}")
        assert response.status_code == 200
        assert draft not in ids(response), path
    assert str(record.milestone.public_id) in ids(client.get(f"{API}/milestones/"))


@pytest.mark.parametrize("reader", READERS)
def test_a_draft_answers_like_an_unknown_item(request, reader, record):
    client = request.getfixturevalue(reader)
    unknown = client.get(f"{API}/items/00000000-0000-4000-8000-000000000000/")

    for path in (f"items/{record.draft.public_id}/", f"milestones/{record.draft.public_id}/",
                 f"items/{record.draft.public_id}/history/"):
        response = client.get(f"{API}/{path}")
        assert (response.status_code, response.json()) == (404, unknown.json()), path


def test_editors_see_drafts(editor_client, record):
    assert str(record.draft.public_id) in ids(editor_client.get(f"{API}/items/"))
    assert editor_client.get(f"{API}/items/{record.draft.public_id}/").json()["editorial_state"] == "draft"


def test_a_link_to_an_invisible_item_reads_as_null(anonymous_client, editor_client, record, clock):
    hidden = make_milestone(now=clock, when=day_when(clock.date()), published=False)
    services.item_edit(item=record.expectation, by="system", now=clock, about_milestone=hidden)
    url = f"{API}/expectations/{record.expectation.public_id}/"

    assert anonymous_client.get(url).json()["about_milestone"] is None
    assert editor_client.get(url).json()["about_milestone"] == str(hidden.public_id)


def test_readers_see_the_public_history_without_editor_names(anonymous_client, editor_client, editor, record, clock):
    draft = record.draft
    services.item_edit(item=draft, by=editor, now=clock, title="Still a draft")
    services.item_publish(item=draft, by=editor, now=clock, uncited_reason="Announced on air.")
    url = f"{API}/items/{draft.public_id}/history/"

    public = anonymous_client.get(url).json()["results"]
    assert [(c["kind"], c["by"]) for c in public] == [("published", "editor")]
    full = editor_client.get(url).json()["results"]
    assert [(c["kind"], c["by"]) for c in full] == [("created", "system"), ("edited", "editor"),
                                                   ("published", "editor")]
