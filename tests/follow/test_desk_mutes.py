"""Followed feeds at the desk: proposals grouped by the article they came
from (follow.desk.group_proposals), and the mute buttons' POSTs (editors
only, CSRF-protected forms, back to the page the editor came from)."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from follow import services
from follow.desk import group_proposals
from follow.models import Article, FollowedFeed
from tests.factories import make_editor, make_user
from timeline import services as timeline
from timeline.models import Citation, Item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 1, 23, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def followed(outlet):
    axios = timeline.outlet_create(name="Axios", slug="axios")
    wire = timeline.outlet_create(name="Wire", slug="wire")
    services.feed_follow(url=outlet.url("/feeds/rss.xml"), outlet=axios, now=NOW)
    services.feed_follow(url=outlet.url("/feeds/atom.xml"), outlet=wire, now=NOW)
    services.poll_due_feeds(now=NOW)
    return axios, wire


def rows():
    items = Item.objects.filter(editorial_state="proposed").order_by("pk").prefetch_related("citations__source")
    return [SimpleNamespace(item=item, citations=list(item.citations.all())) for item in items]


def test_proposals_are_grouped_by_their_article(followed, django_assert_max_num_queries):
    everything = rows()
    with django_assert_max_num_queries(1):
        groups = group_proposals(everything)
    articles = [g.article for g in groups]
    assert None not in articles and len(articles) == len({a.pk for a in articles}) > 1
    for group in groups:
        # Each proposal cites its group's article (an item another article also cites goes with the first).
        assert all(group.article.source_id in {c.source_id for c in row.citations} for row in group.rows)
        assert set(group.kinds) == {row.item.kind for row in group.rows}
    created = Article.objects.get(url__endswith="axios-board-of-peace.html")
    assert next(g for g in groups if g.article == created).rows
    assert sum(len(g.rows) for g in groups) == len(everything)


def test_a_pasted_proposal_is_in_the_last_group(followed):
    from reading.services import read_article

    read_article(text="The summit is expected to take place in Geneva on March 3, officials said.",
                 published=NOW.date())
    groups = group_proposals(rows())
    assert groups[-1].article is None and groups[-1].kinds == []
    assert all(g.article is not None for g in groups[:-1])


def test_an_editor_mutes_a_feed_and_a_kind_from_the_desk(followed, client):
    feed = FollowedFeed.objects.get(outlet__slug="axios")
    client.force_login(make_editor("desk"))
    back = client.post(f"/follow/feeds/{feed.pk}/mute-kind/", {"kind": "event", "next": "/desk/proposed/"})
    assert back.status_code == 302 and back["Location"] == "/desk/proposed/"
    assert FollowedFeed.objects.get(pk=feed.pk).muted_kinds == ["event"]
    refused = client.post(f"/follow/feeds/{feed.pk}/mute-kind/", {"kind": "rumour"}, follow=True)
    assert "Unknown kind of proposal: rumour" in refused.content.decode()
    client.post(f"/follow/feeds/{feed.pk}/mute/", {"next": "https://elsewhere.example/"})
    assert FollowedFeed.objects.get(pk=feed.pk).muted
    client.post(f"/follow/feeds/{feed.pk}/mute/", {"undo": "1"})
    assert not FollowedFeed.objects.get(pk=feed.pk).muted
    assert client.get(f"/follow/feeds/{feed.pk}/mute/").status_code == 405


def test_only_editors_mute(followed, client):
    feed = FollowedFeed.objects.get(outlet__slug="axios")
    client.force_login(make_user("reader", is_staff=True))
    assert client.post(f"/follow/feeds/{feed.pk}/mute/").status_code == 403
    client.logout()
    assert client.post(f"/follow/feeds/{feed.pk}/mute/").status_code == 403
    assert not FollowedFeed.objects.get(pk=feed.pk).muted
    assert Citation.objects.exists()
