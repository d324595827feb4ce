"""The Proposed queue with followed feeds, in Chromium: each article's
proposals under its title (a link), outlet and feed; the editor mutes a kind
of proposal from the feed and is back on the queue with a message; axe-core
finds nothing, a phone's width scrolls nothing sideways; a screenshot of each.
The page fixtures, Chromium among them (one per module), are tests/browser's."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from follow import services
from follow.models import Article, FollowedFeed
from tests.browser.conftest import browser, expect, page, screenshot, site  # noqa: F401  (fixtures)
from tests.browser.test_pages import AXE_JS, axe_violations
from tests.conftest import service_unavailable
from tests.factories import PASSWORD, make_editor
from timeline import services as timeline

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 1, 23, 12, 0, tzinfo=timezone.utc)


def clean(page) -> list:
    if not AXE_JS.exists():
        service_unavailable(f"needs axe-core at {AXE_JS}: run `make install`")
    return axe_violations(page, AXE_JS)


def test_an_editor_sees_proposals_by_article_and_mutes_a_kind(outlet, page, screenshot):  # noqa: F811
    axios = timeline.outlet_create(name="Axios", slug="axios")
    feed = services.feed_follow(url=outlet.url("/feeds/rss.xml"), outlet=axios, now=NOW)
    services.poll_due_feeds(now=NOW)
    article = Article.objects.get(url__endswith="axios-board-of-peace.html")
    editor = make_editor("desk")

    page.goto("/admin/login/?next=/desk/proposed/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/desk/proposed/")

    group = page.get_by_role("region", name=f"Proposals from “{article.title}”")
    expect(group.get_by_role("heading", level=2).get_by_role("link")).to_have_attribute("href", article.url)
    expect(group.get_by_role("link", name=article.title)).to_have_count(1)  # not again on every proposal
    expect(group).to_contain_text("Axios")
    expect(group.get_by_role("heading", level=3).first).to_be_visible()
    screenshot(page, "proposed-by-article")
    assert clean(page) == []

    group.get_by_role("button", name="No more events from this feed").click()
    expect(page).to_have_url("/desk/proposed/")
    expect(page.get_by_role("status")).to_contain_text("No more event proposals from Axios's feed")
    assert FollowedFeed.objects.get(pk=feed.pk).muted_kinds == ["event"]
    expect(page.get_by_role("region", name=f"Proposals from “{article.title}”").get_by_role(
        "button", name="No more events from this feed")).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    screenshot(page, "proposed-by-article-phone")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert clean(page) == []
