"""Fixtures of watch's API tests: subscriptions and deliveries made the way
the running service makes them (services, the change log, the dispatch of a
worker), with recording channels in place of the transports.

Webhooks here point at 127.0.0.1, which the address guard allows only in
tests (WEBHOOK_ALLOWED_NETWORKS=["127.0.0.1/32"], set for every test below).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import override_settings

from tests.api.conftest import API
from tests.watch.support import RecordingChannel, send_due
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services
from watch.channels.base import DeliveryError
from watch.channels.registry import override_channel
from watch.models import Delivery, Subscription

SUBSCRIPTIONS = f"{API}/subscriptions/"
DELIVERIES = f"{API}/deliveries/"
HOOK = "http://127.0.0.1:9000/hooks/subscriber"
OTHER_HOOK = "http://127.0.0.1:9000/hooks/outsider"


@pytest.fixture(autouse=True)
def loopback_webhooks():
    with override_settings(WEBHOOK_ALLOWED_NETWORKS=["127.0.0.1/32"]):
        yield


@pytest.fixture
def channels():
    """Recording channels: email sends, webhooks fail for good (queue other
    outcomes in `.failures`)."""
    email, webhook = RecordingChannel("email"), RecordingChannel("webhook")
    with override_channel("email", email), override_channel("webhook", webhook):
        yield {"email": email, "webhook": webhook}


def subscribe(user, *, now: datetime, webhook_url: str | None = None, **target) -> services.Subscribed:
    """What POST /subscriptions/ does for an account."""
    target = target or {"storyline": "gaza-ceasefire"}
    return services.subscription_create(now=now, user=user, webhook_url=webhook_url, confirmed=True, **target)


def subscription_url(subscription: Subscription) -> str:
    return f"{SUBSCRIPTIONS}{subscription.pk}/"


def delivery_url(delivery: Delivery) -> str:
    return f"{DELIVERIES}{delivery.pk}/"


class Alerts:
    """The subscriber and an outsider each follow the record's storyline by
    email and webhook. The milestone's confirmation reached all four
    endpoints: the emails were sent, the webhooks failed for good (dead)."""

    def __init__(self, *, record, subscriber, outsider, clock, channels):
        services.process_changes(now=clock)  # the record's own news, before anyone followed it
        mine = subscribe(subscriber, now=clock, webhook_url=HOOK)
        other = subscribe(outsider, now=clock, webhook_url=OTHER_HOOK)
        self.subscription, self.secret = mine.subscription, mine.webhook_secret
        self.other_subscription, self.other_secret = other.subscription, other.webhook_secret

        timeline.milestone_confirm(milestone=record.milestone, by=SYSTEM, now=clock)
        services.process_changes(now=clock)
        channels["webhook"].failures = [DeliveryError("410 Gone", retryable=False) for _ in range(2)]
        assert sorted(send_due(clock)) == ["dead", "dead", "sent", "sent"]

        def delivery(user, channel):
            return Delivery.objects.get(endpoint__subscriber__user=user, channel=channel)

        self.sent = delivery(subscriber, "email")
        self.dead = delivery(subscriber, "webhook")
        self.other_sent = delivery(outsider, "email")
        self.other_dead = delivery(outsider, "webhook")


@pytest.fixture
def alerts(record, subscriber, outsider, clock, channels):
    return Alerts(record=record, subscriber=subscriber, outsider=outsider, clock=clock, channels=channels)
