"""POST /when/parse/: how a phrase or EDTF value is read, before saving."""

import pytest

from tests.api.conftest import API
from timeline.models import Item

pytestmark = pytest.mark.django_db


def test_preview_a_phrase(anonymous_client):
    response = anonymous_client.post(f"{API}/when/parse/", {
        "text": "on Jan. 23", "as_of": "2025-12-30", "tz": "Europe/Zurich",
    }, format="json")

    assert response.status_code == 200
    assert response.json() == {
        "text": "on Jan. 23", "as_of": "2025-12-30", "start": "2026-01-22T23:00:00Z", "end": "2026-01-23T23:00:00Z",
        "precision": "day", "approximate": False, "tz": "Europe/Zurich", "edtf": "2026-01-23",
        "display": "23 Jan 2026",
    }
    assert not Item.objects.exists()


def test_the_kind_decides_which_june(anonymous_client):
    def june(kind):
        return anonymous_client.post(f"{API}/when/parse/", {
            "text": "in June", "as_of": "2025-12-30", "tz": "UTC", "kind": kind,
        }, format="json").json()["edtf"]

    assert (june("event"), june("milestone")) == ("2025-06", "2026-06")


def test_edtf_preview(anonymous_client):
    response = anonymous_client.post(f"{API}/when/parse/", {"edtf": "2026~", "tz": "UTC"}, format="json")

    assert (response.json()["precision"], response.json()["approximate"]) == ("year", True)


def test_an_unreadable_phrase_names_it(anonymous_client):
    response = anonymous_client.post(f"{API}/when/parse/", {"text": "soonish", "tz": "UTC"}, format="json")

    assert response.status_code == 400
    assert "'soonish'" in response.json()["error"]["fields"]["text"][0]


def test_bad_edtf_and_kind(anonymous_client):
    edtf = anonymous_client.post(f"{API}/when/parse/", {"edtf": "2026-13", "tz": "UTC"}, format="json")
    kind = anonymous_client.post(f"{API}/when/parse/", {"text": "in June", "tz": "UTC", "kind": "x"}, format="json")

    assert edtf.status_code == 400 and "edtf" in edtf.json()["error"]["fields"]
    assert kind.status_code == 400 and "kind" in kind.json()["error"]["fields"]
