"""Storylines, actors, outlets and sources: public reads, editor writes,
duplicates refused with the field named."""

import pytest

from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def test_storyline_create_read_and_edit(editor_client, anonymous_client):
    created = editor_client.post(f"{API}/storylines/", {"name": "Gaza ceasefire", "grace_period": "P14D"},
                                 format="json")

    assert created.status_code == 201, created.json()
    assert created.json()["slug"] == "gaza-ceasefire"
    assert created["Location"] == f"http://testserver{API}/storylines/gaza-ceasefire/"
    assert anonymous_client.get(f"{API}/storylines/gaza-ceasefire/").json()["name"] == "Gaza ceasefire"

    edited = editor_client.patch(f"{API}/storylines/gaza-ceasefire/", {"description": "Phases."}, format="json")
    assert edited.status_code == 200
    assert (edited.json()["name"], edited.json()["description"]) == ("Gaza ceasefire", "Phases.")


def test_a_taken_slug_is_400_on_the_slug(editor_client):
    editor_client.post(f"{API}/storylines/", {"name": "Gaza ceasefire"}, format="json")

    response = editor_client.post(f"{API}/storylines/", {"name": "Gaza ceasefire"}, format="json")

    assert response.status_code == 400
    assert "slug" in response.json()["error"]["fields"]


def test_actor_with_aliases(editor_client, anonymous_client):
    response = editor_client.post(f"{API}/actors/", {
        "name": "Islamic Revolutionary Guard Corps", "slug": "irgc", "kind": "organisation", "aliases": ["IRGC"],
    }, format="json")

    assert response.status_code == 201, response.json()
    assert anonymous_client.get(f"{API}/actors/irgc/").json()["aliases"] == ["IRGC"]
    patched = editor_client.patch(f"{API}/actors/irgc/", {"aliases": ["IRGC", "Sepah"]}, format="json")
    assert patched.json()["aliases"] == ["IRGC", "Sepah"]
    assert editor_client.patch(f"{API}/actors/irgc/", {"kind": "planet"}, format="json").status_code == 400


def test_outlet_and_source(editor_client, anonymous_client):
    assert editor_client.post(f"{API}/outlets/", {"name": "Axios", "url": "https://www.axios.com/"},
                              format="json").status_code == 201
    response = editor_client.post(f"{API}/sources/", {
        "outlet": "axios", "title": "Scoop", "url": "https://www.axios.com/scoop",
        "published_at": "2025-12-30T06:00:00+01:00",
    }, format="json")

    assert response.status_code == 201, response.json()
    source = anonymous_client.get(response["Location"]).json()
    assert (source["outlet"], source["published_at"]) == ("axios", "2025-12-30T05:00:00Z")
    again = editor_client.post(f"{API}/sources/", {
        "outlet": "axios", "title": "Scoop", "url": "https://www.axios.com/scoop", "published_at": "2025-12-30",
    }, format="json")
    assert again.status_code == 400 and "url" in again.json()["error"]["fields"]


def test_lists_are_in_name_order(editor_client, anonymous_client):
    for name in ("Iran", "Gaza ceasefire", "Hezbollah"):
        editor_client.post(f"{API}/storylines/", {"name": name}, format="json")

    names = [s["name"] for s in anonymous_client.get(f"{API}/storylines/").json()["results"]]
    assert names == ["Gaza ceasefire", "Hezbollah", "Iran"]
    slugs = [s["slug"] for s in anonymous_client.get(f"{API}/storylines/?ordering=slug").json()["results"]]
    assert slugs == sorted(slugs)
