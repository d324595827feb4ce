"""No N+1: the subscription and delivery lists run the same number of
queries for 5 rows as for 50, whatever each row reads (targets, endpoints,
the subscriber, attempts, notifications and their items)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.watch.conftest import DELIVERIES, SUBSCRIPTIONS, subscribe
from tests.builders import day_when, make_actor, make_milestone, make_storyline
from tests.factories import make_user
from tests.watch.support import send_due
from watch import services
from watch.channels.base import DeliveryError
from watch.models import Delivery, Subscription

pytestmark = pytest.mark.django_db

PAGE = "page_size=200"


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(queries), response.json()["results"]


def grow_subscriptions(subscriber, clock, *, to: int):
    """Subscriptions of every target kind, by email, webhook or both, for the
    subscriber and for other accounts (which the admin lists)."""
    while Subscription.objects.filter(subscriber__user=subscriber).count() < to:
        n = Subscription.objects.count()
        target = [
            {"storyline": make_storyline().slug}, {"actor": make_actor().slug},
            {"item": make_milestone(now=clock, when=day_when((clock + timedelta(days=9)).date()))},
        ][n % 3]
        webhook = f"http://127.0.0.1:9000/hooks/{n}" if n % 2 else None
        subscribe(subscriber, now=clock, webhook_url=webhook, **target)
        subscribe(make_user(f"reader-{n}"), now=clock, webhook_url=webhook, **target)


@pytest.mark.parametrize("client", ["subscriber_client", "admin_client"])
def test_subscription_list(request, client, subscriber, clock):
    client = request.getfixturevalue(client)
    grow_subscriptions(subscriber, clock, to=5)
    small, rows = count(client, f"{SUBSCRIPTIONS}?{PAGE}")
    assert len(rows) >= 5

    grow_subscriptions(subscriber, clock, to=50)
    queries, rows = count(client, f"{SUBSCRIPTIONS}?{PAGE}")

    assert len(rows) >= 50
    assert queries == small


def grow_deliveries(storyline, clock, channels, *, to: int):
    """Deliveries of news about new milestones, each tried once or twice (a
    retryable failure, then a success or another failure)."""
    while Delivery.objects.count() < to:
        make_milestone(now=clock, when=day_when((clock + timedelta(days=30)).date()), storylines=[storyline])
        services.process_changes(now=clock)
    channels["email"].failures = [DeliveryError("421 try later", retryable=True)] * to
    send_due(clock)
    channels["email"].failures = [DeliveryError("421 try later", retryable=True)] * (to // 2)
    send_due(clock + timedelta(days=1))


@pytest.mark.parametrize("client", ["subscriber_client", "editor_client"])
def test_delivery_list(request, client, subscriber, clock, channels):
    client = request.getfixturevalue(client)
    storyline = make_storyline()
    subscribe(subscriber, now=clock, storyline=storyline.slug, news=["new_items"])
    grow_deliveries(storyline, clock, channels, to=5)
    small, rows = count(client, f"{DELIVERIES}?{PAGE}")
    assert len(rows) == 5 and all(row["attempts"] and row["notifications"] for row in rows)

    grow_deliveries(storyline, clock, channels, to=50)
    queries, rows = count(client, f"{DELIVERIES}?{PAGE}")

    assert len(rows) == 50 and all(row["attempts"] and row["notifications"] for row in rows)
    assert sum(len(row["attempts"]) for row in rows) > 50
    assert queries == small
