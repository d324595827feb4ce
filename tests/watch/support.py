"""Helpers of the watch tests (import them; fixtures are in conftest.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from watch import services
from watch.channels.base import DeliveryError, Outgoing

LEASE = timedelta(minutes=5)


class RecordingChannel:
    """A Channel that records every Outgoing it is asked to send. Queue
    DeliveryErrors in `failures` to make the next sends fail."""

    def __init__(self, name: str):
        self.name = name
        self.attempts: list[Outgoing] = []
        self.sent: list[Outgoing] = []
        self.failures: list[DeliveryError] = []

    def send(self, outgoing: Outgoing) -> str:
        self.attempts.append(outgoing)
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(outgoing)
        return "250 recorded"

    def headlines(self) -> list[str]:
        return [news.headline for outgoing in self.sent for news in outgoing.news]


def subscribe(email: str = "reader@example.org", *, now: datetime, **options):
    """A confirmed subscription (as staff would make it)."""
    options.setdefault("confirmed", True)
    return services.subscription_create(now=now, email=email, **options).subscription


def send_due(now: datetime) -> list[str]:
    """Claim what is due at `now` and deliver it, as the dispatch sweep and a
    worker would; returns the states the deliveries ended in."""
    claims = services.deliveries_claim(now=now, batch=100, lease=LEASE)
    return [services.deliver(delivery_id=c.delivery_id, lease_token=c.lease_token, now=now) for c in claims]
