"""From one piece of news about an item to the notifications and deliveries it
causes: one notification per recipient endpoint, however many of that
endpoint's subscriptions match."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from timeline.models import Change, Item

from ..models import Delivery, Endpoint, Notification, ReminderDue, Subscription
from ..selectors import subscriptions_covering
from .digests import next_digest_at


@dataclass(frozen=True)
class FanOut:
    """What one piece of news (or a sweep) wrote."""

    notifications: int = 0
    deliveries: int = 0

    def __add__(self, other: FanOut) -> FanOut:
        return FanOut(self.notifications + other.notifications, self.deliveries + other.deliveries)


def notify(
    *,
    item: Item,
    cause: str,
    kind: str,
    news: str,
    schedule_version: int,
    headline: str,
    detail: str,
    now: datetime,
    change: Change | None = None,
    reminder: ReminderDue | None = None,
    lead: timedelta | None = None,
    verdict: dict | None = None,
) -> FanOut:
    """Write the notifications of one piece of news, and a delivery for each
    endpoint that has an immediate subscription matching it (immediate wins
    over digest). Runs inside the caller's transaction.

    The unique constraint on (endpoint, item, cause) makes this safe to run
    twice: the second run writes nothing and creates no delivery.
    """
    subscriptions = subscriptions_covering(item, news=news).only(
        "id", "cadence", "lead_times", "email_endpoint_id", "webhook_endpoint_id"
    )
    immediate: dict[int, bool] = {}
    for subscription in subscriptions:
        if lead is not None and int(lead.total_seconds()) not in subscription.lead_times:
            continue
        for endpoint_id in subscription.endpoint_ids():
            immediate[endpoint_id] = immediate.get(endpoint_id, False) or (
                subscription.cadence == Subscription.Cadence.IMMEDIATE
            )
    if not immediate:
        return FanOut()

    existing = Notification.objects.filter(item=item, cause=cause, endpoint_id__in=list(immediate)).count()
    Notification.objects.bulk_create(
        [
            Notification(
                endpoint_id=endpoint_id, item=item, cause=cause, kind=kind, news=news, change=change,
                reminder=reminder, lead=lead, schedule_version=schedule_version, headline=headline[:400],
                detail=detail, verdict=verdict, created_at=now,
            )
            for endpoint_id in immediate
        ],
        ignore_conflicts=True,
    )
    # Read back what exists for this cause (ignore_conflicts gives no ids), and
    # give a delivery to those that have none yet and want it now.
    owed = list(
        Notification.objects.filter(
            item=item, cause=cause, endpoint_id__in=[e for e, wants_now in immediate.items() if wants_now],
            delivery__isnull=True,
        ).select_related("endpoint")
    )
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(endpoint_id=n.endpoint_id, channel=n.endpoint.kind, next_attempt_at=now,
                     created_at=now, updated_at=now)
            for n in owed
        ]
    )
    for notification, delivery in zip(owed, deliveries):
        notification.delivery = delivery
    Notification.objects.bulk_update(owed, ["delivery"])

    digest_endpoints = [e for e, wants_now in immediate.items() if not wants_now]
    if digest_endpoints:
        _schedule_digests(digest_endpoints, now=now)
    return FanOut(notifications=len(immediate) - existing, deliveries=len(deliveries))


def _schedule_digests(endpoint_ids: list[int], *, now: datetime) -> None:
    """An endpoint owed digest news must have a digest coming. Subscribing sets
    it; this is the safety net for an endpoint whose schedule was never set."""
    unscheduled = Endpoint.objects.filter(pk__in=endpoint_ids, next_digest_at__isnull=True)
    for endpoint in unscheduled.select_related("subscriber"):
        Endpoint.objects.filter(pk=endpoint.pk, next_digest_at__isnull=True).update(
            next_digest_at=next_digest_at(endpoint.subscriber, after=now)
        )
