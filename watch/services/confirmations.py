"""The double opt-in mail's outbox: a column on the subscription it confirms.

A request to subscribe writes, in its own transaction, the unconfirmed
subscription and `confirm_due_at` (a mail is owed). Nothing is sent from the
request: after commit a `send_confirmation` message asks a worker to send it
at once, and the `send_confirmations` sweep sends whatever a lost message or
a failed send left owed. So a broker that is down, or an SMTP server that
refuses, costs a delay, never the mail, and never the request.

    request ──► confirm_due_at = now ──claim──► confirm_due_at = now + lease ──sent──► null, confirm_sent_at
                                                     └── send failed ──► now + retry (until the request is a day old)

A second request for the same address and target queues another mail only
once WATCH_CONFIRM_RESEND_SECONDS (an hour) have passed since the last one
was queued; whatever happens, the person is shown the same page, so the
answer never tells whether the address was already subscribed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from core.clock import require_aware

from ..models import Subscription

log = logging.getLogger(__name__)

# How long one worker holds a mail it is sending before the sweep may try it
# again (longer than EMAIL_TIMEOUT), how long to wait after a failed send, and
# how long a request keeps being retried.
CLAIM_LEASE = timedelta(minutes=5)
RETRY_AFTER = timedelta(minutes=5)
GIVE_UP_AFTER = timedelta(days=1)


def resend_interval() -> timedelta:
    return timedelta(seconds=settings.WATCH_CONFIRM_RESEND_SECONDS)


def confirmation_request(*, subscription: Subscription, now: datetime) -> bool:
    """Owe a confirmation mail for this unconfirmed subscription, unless one
    was queued less than the resend interval ago. Inside the caller's
    transaction; returns whether a mail was queued."""
    require_aware(now)
    if subscription.confirmed_at is not None or subscription.unsubscribed_at is not None:
        return False
    recent = Q(confirm_requested_at__gt=now - resend_interval())
    queued = (
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True, unsubscribed_at__isnull=True)
        .exclude(recent)
        .update(confirm_requested_at=now, confirm_due_at=now)
    )
    if queued:
        subscription.confirm_requested_at = subscription.confirm_due_at = now
        _hand_to_worker(subscription.pk)
    return bool(queued)


def confirmation_send(*, subscription_id: int, now: datetime) -> str:
    """Send the owed confirmation mail of one subscription, if it is still
    owed and due: "sent", "failed" (tried again later), or "nothing"."""
    require_aware(now)
    lease_until = now + CLAIM_LEASE
    claimed = Subscription.objects.filter(pk=subscription_id, confirm_due_at__lte=now).update(
        confirm_due_at=lease_until
    )
    if not claimed:
        return "nothing"
    subscription = Subscription.objects.select_related("subscriber", "storyline", "actor", "item").get(
        pk=subscription_id
    )
    mine = Subscription.objects.filter(pk=subscription_id, confirm_due_at=lease_until)
    if subscription.confirmed_at is not None or subscription.unsubscribed_at is not None:
        mine.update(confirm_due_at=None)  # confirmed (an earlier mail) or ended meanwhile: nothing to say
        return "nothing"
    from .subscriptions import subscription_send_confirmation  # subscriptions imports this module

    try:
        subscription_send_confirmation(subscription=subscription)
    except Exception:
        log.exception("The confirmation mail of subscription %s could not be sent", subscription_id)
        requested = subscription.confirm_requested_at or now
        mine.update(confirm_due_at=now + RETRY_AFTER if now - requested < GIVE_UP_AFTER else None)
        return "failed"
    mine.update(confirm_due_at=None, confirm_sent_at=now)
    return "sent"


def confirmations_send(*, now: datetime, limit: int) -> int:
    """The sweep: send every confirmation mail due by `now` (lost messages,
    retries, leases of workers that died). Returns how many were sent."""
    require_aware(now)
    # Each mail is claimed by its own conditional UPDATE (confirmation_send),
    # so two sweeps, or a sweep and the request's own message, never both send it.
    due = Subscription.objects.filter(confirm_due_at__lte=now).order_by("confirm_due_at")
    ids = list(due.values_list("pk", flat=True)[:limit])
    return sum(confirmation_send(subscription_id=pk, now=now) == "sent" for pk in ids)


def _hand_to_worker(subscription_id: int) -> None:
    def enqueue():
        from ..tasks import send_confirmation  # the tasks module imports the services

        try:
            send_confirmation.delay(subscription_id)
        except Exception:  # the broker is down: the sweep sends it
            log.exception("Could not queue the confirmation mail of subscription %s; the sweep will", subscription_id)

    transaction.on_commit(enqueue, robust=True)
