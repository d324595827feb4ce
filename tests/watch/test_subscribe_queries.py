"""The subscriber pages answer in a fixed number of queries, however many
subscriptions and deliveries an address has (the counts in docs/pages.md)."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import send_due, subscribe
from watch import services

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def count(client, method: str, path: str, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(queries)


def follow_many(n: int, now, email_channel) -> object:
    first = None
    for i in range(n):
        storyline = make_storyline(f"Storyline {i}", slug=f"s-{i}")
        subscription = subscribe("reader@example.org", now=now, storyline=storyline.slug)
        first = first or subscription
        make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline])
    services.process_changes(now=now)
    send_due(now)
    return first


@pytest.mark.parametrize("n", [1, 6])
def test_the_manage_page_runs_four_queries_whatever_it_lists(client, now, email_channel, n):
    first = follow_many(n, now, email_channel)
    assert count(client, "get", path_of(services.manage_link(first.subscriber_id))) == 4


def test_the_subscribe_post_the_sent_page_and_the_confirm_page(client, now):
    cache.clear()
    make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    posted = count(client, "post", reverse("watch:subscribe"), {
        "email": "r@example.org", "news": ["verdicts"], "cadence": "immediate", "hour": "8", "zone": "UTC",
        "follow_kind": "storyline", "follow_key": "gaza-ceasefire"})
    assert posted == 12  # a write: the subscriber, its endpoint, the subscription, the mail owed
    assert count(client, "get", reverse("watch:subscribe-sent")) == 0
    pending = services.subscription_create(now=now, email="p@example.org", storyline="gaza-ceasefire").subscription
    assert count(client, "get", path_of(services.confirmation_link(pending))) == 1
    live = subscribe("u@example.org", now=now, storyline="gaza-ceasefire")
    assert count(client, "get", path_of(services.unsubscribe_link(live.email_endpoint, [live.pk]))) == 2
