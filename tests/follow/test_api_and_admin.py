"""Following feeds through the API and the admin: editors only, bad input is
a 400 naming the field (or a form error), nothing is fetched in the request
(a new feed is due, for the worker's sweep), muting works both ways."""

from __future__ import annotations

import pytest

from follow.models import FollowedFeed
from tests.api.conftest import API, token_client
from tests.builders import make_actor, make_storyline
from tests.factories import make_editor, make_user
from timeline import services as timeline

pytestmark = pytest.mark.django_db

FEEDS = f"{API}/follow/feeds/"


@pytest.fixture
def axios(db):
    return timeline.outlet_create(name="Axios", slug="axios")


def test_an_editor_follows_a_feed_and_mutes_it(axios, outlet):
    make_storyline("Gaza ceasefire", slug="gaza")
    make_actor("Donald Trump", slug="trump")
    client = token_client(make_editor("desk"))
    created = client.post(FEEDS, {"url": "https://www.axios.com/feeds/world.xml", "outlet": "axios",
                                  "storylines": ["gaza"], "keywords": ["Board of Peace"], "actors": ["trump"],
                                  "interval": "30m"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["outlet"], body["storylines"], body["actors"], body["interval"]) == ("axios", ["gaza"], ["trump"],
                                                                                    "30m")
    assert body["last_polled_at"] is None and body["last_error"] == ""
    assert created["Location"].endswith(f"/follow/feeds/{body['id']}/")
    assert outlet.requests == []  # nothing fetched in the request

    detail = f"{FEEDS}{body['id']}/"
    muted = client.post(f"{detail}mute-kind/", {"kind": "event"}, format="json")
    assert muted.status_code == 200 and muted.json()["muted_kinds"] == ["event"]
    assert client.post(f"{detail}mute/", {}, format="json").json()["muted"] is True
    assert client.post(f"{detail}unmute/", {}, format="json").json()["muted"] is False
    assert client.post(f"{detail}unmute-kind/", {"kind": "event"}, format="json").json()["muted_kinds"] == []
    patched = client.patch(detail, {"interval": "1h", "keywords": []}, format="json")
    assert patched.status_code == 200 and patched.json()["interval"] == "1h"
    assert client.get(f"{API}/follow/articles/?feed={body['id']}").json()["results"] == []


def test_bad_input_is_a_400_naming_the_field(axios):
    client = token_client(make_editor("desk"))
    cases = [
        ({"url": "ftp://example.org/feed", "outlet": "axios"}, "url"),
        ({"url": "https://user:pw@example.org/feed", "outlet": "axios"}, "url"),
        ({"url": "https://example.org/feed", "outlet": "nobody"}, "outlet"),
        ({"url": "https://example.org/feed", "outlet": "axios", "interval": "10s"}, "interval"),
        ({"url": "https://example.org/feed", "outlet": "axios", "interval": "30d"}, "interval"),
    ]
    for data, field in cases:
        response = client.post(FEEDS, data, format="json")
        assert response.status_code == 400, (data, response.json())
        assert field in response.json()["error"]["fields"], (data, response.json())
    assert client.post(FEEDS, {"url": "https://example.org/feed", "outlet": "axios"}, format="json").status_code == 201
    again = client.post(FEEDS, {"url": "https://example.org/feed", "outlet": "axios"}, format="json")
    assert again.status_code == 400 and "already followed" in str(again.json()["error"]["fields"]["url"])
    feed = FollowedFeed.objects.get()
    bad_kind = client.post(f"{FEEDS}{feed.pk}/mute-kind/", {"kind": "rumour"}, format="json")
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()["error"]["fields"]


def test_only_editors_see_or_change_feeds(axios):
    assert token_client().get(FEEDS).status_code == 401
    reader = token_client(make_user("reader"))
    assert reader.get(FEEDS).status_code == 403
    assert reader.post(FEEDS, {"url": "https://example.org/feed", "outlet": "axios"}, format="json").status_code == 403
    assert FollowedFeed.objects.count() == 0


def test_the_admin_adds_a_feed_shows_its_error_and_mutes_it(axios, client):
    editor = make_editor("desk")
    client.force_login(editor)
    gaza = make_storyline("Gaza ceasefire", slug="gaza")
    page = client.post("/admin/follow/followedfeed/add/", {
        "url": "https://www.axios.com/feeds/world.xml", "outlet": axios.pk, "storylines": [gaza.pk],
        "keywords": "Board of Peace, Davos", "interval": "20m",
    })
    assert page.status_code == 302, page.content.decode()[:2000]
    feed = FollowedFeed.objects.get()
    assert feed.keywords == ["Board of Peace", "Davos"] and feed.interval.total_seconds() == 1200
    assert list(feed.storylines.all()) == [gaza] and feed.created_by == editor

    refused = client.post("/admin/follow/followedfeed/add/", {"url": "https://www.axios.com/feeds/world.xml",
                                                               "outlet": axios.pk, "interval": "20s"})
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert "interval" in errors and "url" in errors

    FollowedFeed.objects.filter(pk=feed.pk).update(last_error="axios.com answered HTTP 503.", error_count=2,
                                                   last_outcome="error")
    listing = client.get("/admin/follow/followedfeed/")
    assert "axios.com answered HTTP 503." in listing.content.decode()
    client.post("/admin/follow/followedfeed/", {"action": "mute", "_selected_action": [feed.pk]})
    assert FollowedFeed.objects.get().muted
    assert client.get(f"/admin/follow/followedfeed/{feed.pk}/change/").status_code == 200
    assert client.get("/admin/follow/article/").status_code == 200

    client.force_login(make_user("reader", is_staff=True))
    assert client.get("/admin/follow/followedfeed/").status_code == 403
