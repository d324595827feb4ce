"""The daily digest: one delivery per endpoint, at the subscriber's hour in the
subscriber's zone, with every notification owed since the last one."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Q

from core.clock import require_aware
from core.zones import zone

from ..models import Delivery, Endpoint, Notification, Subscriber, Subscription
from ..selectors import notifications_owed_digest, subscriptions_active


def next_digest_at(subscriber: Subscriber, *, after: datetime) -> datetime:
    """The first moment strictly after `after` at which the subscriber's
    digest hour strikes in the subscriber's zone. Computed on the local
    calendar, so the digest stays at 08:00 local across DST changes."""
    tz = zone(subscriber.tz)
    local_day = after.astimezone(tz).date()
    for days in range(3):
        candidate = datetime.combine(local_day + timedelta(days=days), time(subscriber.digest_hour), tzinfo=tz)
        if candidate > after:
            return candidate.astimezone(after.tzinfo)
    raise AssertionError("unreachable: a day has an hour in it")


def send_digests(*, now: datetime, limit: int = 500) -> int:
    """Make the digest deliveries that are due; returns how many were made.

    Each endpoint's turn is claimed by moving its next_digest_at forward with
    an UPDATE conditioned on the old value, so two sweeps never both make it.
    """
    require_aware(now)
    made = 0
    due = list(
        Endpoint.objects.filter(next_digest_at__lte=now).order_by("next_digest_at").values_list("pk", "next_digest_at")[:limit]
    )
    for endpoint_id, due_at in due:
        with transaction.atomic():
            endpoint = (
                Endpoint.objects.select_for_update(skip_locked=True)
                .filter(pk=endpoint_id, next_digest_at=due_at)
                .first()
            )
            if endpoint is None:
                continue  # another sweep has it
            owed = list(notifications_owed_digest(endpoint).values_list("pk", flat=True))
            still_digesting = subscriptions_active().filter(
                Q(email_endpoint=endpoint) | Q(webhook_endpoint=endpoint), cadence=Subscription.Cadence.DIGEST
            ).exists()
            # No digest subscription left and nothing owed: stop polling this endpoint.
            following = next_digest_at(endpoint.subscriber, after=now) if still_digesting or owed else None
            if Endpoint.objects.filter(pk=endpoint_id, next_digest_at=due_at).update(next_digest_at=following) != 1:
                continue
            if not owed:
                continue
            delivery = Delivery.objects.create(
                endpoint=endpoint, channel=endpoint.kind, is_digest=True, next_attempt_at=now,
                created_at=now, updated_at=now,
            )
            Notification.objects.filter(pk__in=owed, delivery__isnull=True).update(delivery=delivery)
            made += 1
    return made


def schedule_digest(endpoint: Endpoint, *, now: datetime) -> None:
    """Give the endpoint a next digest if it has none (a digest subscription
    was added), or move it to the subscriber's (new) hour."""
    following = next_digest_at(endpoint.subscriber, after=now)
    Endpoint.objects.filter(pk=endpoint.pk).update(next_digest_at=following)
    endpoint.next_digest_at = following
