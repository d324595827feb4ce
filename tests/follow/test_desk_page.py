"""The desk's Proposed queue with followed feeds: proposals arrive grouped
by their article, under its title (a link to it), outlet and feed, with the
buttons to mute the feed or a kind of proposal from it; pressing one mutes
it and comes back to the queue. Pasted proposals stay listed after them."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from follow import services
from follow.models import Article, FollowedFeed
from tests.factories import make_editor
from timeline import services as timeline

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 1, 23, 12, 0, tzinfo=timezone.utc)


def test_the_proposed_queue_groups_by_article_and_offers_mutes(outlet, client, django_assert_max_num_queries):
    from reading.services import read_article

    axios = timeline.outlet_create(name="Axios", slug="axios")
    feed = services.feed_follow(url=outlet.url("/feeds/rss.xml"), outlet=axios, now=NOW)
    services.poll_due_feeds(now=NOW)
    read_article(text="The summit is expected to take place in Geneva on March 3, officials said.",
                 published=NOW.date())
    client.force_login(make_editor("desk"))

    with django_assert_max_num_queries(16):
        page = client.get("/desk/proposed/")
    assert page.status_code == 200
    html = page.content.decode()
    article = Article.objects.get(url__endswith="axios-board-of-peace.html")
    head = html.index(f'href="{article.url}"')
    assert "Scoop: Trump to chair first Board of Peace meeting at Davos" in html[head:head + 300]
    assert "Axios" in html[head:head + 600]
    assert html.index("Board of Peace at the World Economic Forum") > head  # its proposals below its head
    assert "Other proposals" in html and html.index("Other proposals") > head
    assert html.index("The summit is expected") > html.index("Other proposals")
    assert f'action="/follow/feeds/{feed.pk}/mute/"' in html
    kinds = set(re.findall(r'name="kind" value="(\w+)"', html))
    assert kinds and kinds <= {"event", "milestone", "expectation"}

    back = client.post(f"/follow/feeds/{feed.pk}/mute-kind/", {"kind": sorted(kinds)[0], "next": "/desk/proposed/"},
                       follow=True)
    assert back.redirect_chain[-1][0] == "/desk/proposed/"
    assert f"No more {sorted(kinds)[0]} proposals" in back.content.decode()
    assert FollowedFeed.objects.get(pk=feed.pk).muted_kinds == [sorted(kinds)[0]]
    assert f'name="kind" value="{sorted(kinds)[0]}"' not in back.content.decode()
