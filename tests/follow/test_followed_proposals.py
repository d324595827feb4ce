"""A followed article and a pasted one give the same proposals: the sweep,
in this process, with the real article reader, against the local outlet.
Proposals wait in the `proposed` state citing the article's Source, are
filed under every storyline of the feed, and the feed's muted kinds are
retracted by the system at once. Nothing is read twice."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from django.db import transaction

from follow import services
from follow.extract import extract
from follow.models import Article
from reading.services import read_article
from tests.builders import make_storyline
from timeline import services as timeline
from timeline.models import Citation, Item, Source

from .support import PAGES

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 1, 23, 12, 0, tzinfo=timezone.utc)
AXIOS_PAGE = "axios-board-of-peace"


def proposals_of(source: Source):
    items = Item.objects.filter(citations__source=source).distinct()
    return sorted((i.kind, i.title, i.when_text, i.editorial_state) for i in items)


def pasted(name: str, published: date):
    """What read_article proposes for the page's text pasted without a URL,
    undone afterwards (so the followed reading starts from the same record)."""
    text = extract((PAGES / f"{name}.html").read_bytes()).text
    with transaction.atomic():
        reading = read_article(text=text, published=published)
        made = sorted((e.item.kind, e.item.title, e.item.when_text, e.item.editorial_state) for e in reading.entries)
        transaction.set_rollback(True)
    return made


def test_a_followed_article_gives_the_proposals_a_pasted_one_gives(outlet):
    expected = pasted(AXIOS_PAGE, date(2026, 1, 6))
    assert len(expected) >= 5

    axios = timeline.outlet_create(name="Axios", slug="axios")
    gaza, davos = make_storyline("Gaza ceasefire", slug="gaza"), make_storyline("Davos", slug="davos")
    services.feed_follow(url=outlet.url("/feeds/rss.xml"), outlet=axios, storylines=[gaza, davos], now=NOW)
    sweep = services.poll_due_feeds(now=NOW)
    assert sweep.errors == []

    source = Source.objects.get(url=outlet.url(f"/pages/{AXIOS_PAGE}.html"))
    assert proposals_of(source) == expected
    assert {state for *_, state in expected} == {Item.EditorialState.PROPOSED}
    article = Article.objects.get(source=source)
    assert article.proposals == len(expected) and article.state == Article.State.READ
    for item in Item.objects.filter(citations__source=source):
        assert set(item.storylines.values_list("slug", flat=True)) == {"gaza", "davos"}
    assert Citation.objects.filter(source=source).count() == len(expected)
    assert sweep.proposals == sum(Article.objects.values_list("proposals", flat=True)) > len(expected)

    # The same article again, in another feed of another outlet: not read again.
    courier = timeline.outlet_create(name="The Courier", slug="courier")
    services.feed_follow(url=outlet.url("/feeds/liveblog.xml"), outlet=courier, now=NOW)
    again = services.poll_due_feeds(now=NOW)
    assert [a.url for p in again.polls for a in p.articles] == [outlet.url("/pages/liveblog-davos.html")]
    assert proposals_of(source) == expected
    assert outlet.hits()[f"/pages/{AXIOS_PAGE}.html"] == 1


def test_a_muted_kind_is_retracted_at_once_and_the_rest_wait(outlet):
    axios = timeline.outlet_create(name="Axios", slug="axios")
    feed = services.feed_follow(url=outlet.url("/feeds/rss.xml"), outlet=axios, now=NOW)
    services.feed_mute_kind(feed=feed, kind="expectation")
    services.poll_due_feeds(now=NOW)

    source = Source.objects.get(url=outlet.url(f"/pages/{AXIOS_PAGE}.html"))
    items = list(Item.objects.filter(citations__source=source).distinct())
    expectations = [i for i in items if i.kind == "expectation"]
    others = [i for i in items if i.kind != "expectation"]
    assert expectations and others
    assert {i.editorial_state for i in expectations} == {Item.EditorialState.RETRACTED}
    assert {i.editorial_state for i in others} == {Item.EditorialState.PROPOSED}
    change = expectations[0].changes.order_by("-at", "-pk").first()
    assert change.kind == "retracted" and "mutes expectations" in change.public_note
    assert Article.objects.get(source=source).proposals == len(others)
