"""Celery tasks: thin. Each loads by id (or takes `now`) and calls one service.

Sweeps run every minute from beat (settings.WATCH_BEAT_SCHEDULE) on the
"sweeps" queue and take an optional ISO `now`, so tests and operators can
drive time in a worker too. `deliver` runs on the "delivery" queue
(settings.CELERY_TASK_ROUTES) and is sent once per claimed delivery, never
with an ETA: a retry is a row with its next attempt time, not a message
waiting in the broker.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from core.clock import parse_instant
from core.drain import drain

from . import services

log = logging.getLogger(__name__)


def _hand_out_deliveries(now: str | None) -> None:
    # News and reminders that wrote immediate deliveries hand them to the
    # workers now rather than at the next minute's dispatch. Losing this
    # message costs nothing but that minute. The sweep's own `now` goes along,
    # so a sweep driven to a moment (a test, an operator catching up) hands
    # out what it wrote for that moment.
    try:
        dispatch_deliveries.delay(now=now)
    except Exception:
        log.exception("Could not queue dispatch_deliveries; the next sweep will hand the deliveries out")


@shared_task(name="watch.tasks.process_changes")
def process_changes(now: str | None = None) -> int:
    at, limit = parse_instant(now), settings.WATCH_SWEEP_LIMIT
    batches = drain(lambda: services.process_changes(now=at, limit=limit), is_full=lambda r: r[0] >= limit)
    if any(written.deliveries for _, written in batches):
        _hand_out_deliveries(now)
    return sum(processed for processed, _ in batches)


@shared_task(name="watch.tasks.fire_reminders")
def fire_reminders(now: str | None = None) -> int:
    at, limit = parse_instant(now), settings.WATCH_SWEEP_LIMIT
    batches = drain(
        lambda: services.fire_due_reminders(now=at, limit=limit),
        is_full=lambda r: r.fired + r.skipped + r.withdrawn >= limit,
    )
    if any(result.fanout.deliveries for result in batches):
        _hand_out_deliveries(now)
    return sum(result.fired for result in batches)


@shared_task(name="watch.tasks.send_digests")
def send_digests(now: str | None = None) -> int:
    made = services.send_digests(now=parse_instant(now), limit=settings.WATCH_SWEEP_LIMIT)
    if made:
        _hand_out_deliveries(now)
    return made


@shared_task(name="watch.tasks.dispatch_deliveries")
def dispatch_deliveries(now: str | None = None) -> int:
    """Claim the due deliveries (committed) and send one message for each."""
    at, batch = parse_instant(now), settings.WATCH_DELIVERY_BATCH
    lease = timedelta(seconds=settings.WATCH_DELIVERY_LEASE_SECONDS)

    def claim_and_hand_out() -> int:
        claims = services.deliveries_claim(now=at, batch=batch, lease=lease)
        # The claim has committed; on_commit only matters when a caller runs
        # this inside a transaction of its own. Should the broker fail halfway,
        # the claims not handed out are reclaimed when their lease expires.
        for claim in claims:
            deliver.delay_on_commit(claim.delivery_id, lease_token=claim.lease_token)
        return len(claims)

    return sum(drain(claim_and_hand_out, is_full=lambda claimed: claimed >= batch))


@shared_task(name="watch.tasks.reclaim_leases")
def reclaim_leases(now: str | None = None) -> int:
    return services.deliveries_reclaim(now=parse_instant(now), limit=settings.WATCH_SWEEP_LIMIT)


@shared_task(name="watch.tasks.deliver")
def deliver(delivery_id: int, now: str | None = None, lease_token: str | None = None) -> str:
    """Send one claimed delivery at `now` (ISO; the worker's clock, read once,
    when absent). `lease_token` (set by dispatch_deliveries) makes a message
    from an earlier, expired claim a no-op."""
    return services.deliver(delivery_id=delivery_id, now=parse_instant(now), lease_token=lease_token)


# -- The double opt-in mail's outbox (watch.services.confirmations) ----------------

@shared_task(name="watch.tasks.send_confirmation")
def send_confirmation(subscription_id: int, now: str | None = None) -> str:
    """Send the confirmation mail a subscribe request owes, at once; a mail
    already sent or not owed is a no-op, so a repeated message sends nothing."""
    return services.confirmation_send(subscription_id=subscription_id, now=parse_instant(now))


@shared_task(name="watch.tasks.send_confirmations")
def send_confirmations(now: str | None = None) -> int:
    """The sweep: confirmation mails whose message was lost or whose send failed."""
    return services.confirmations_send(now=parse_instant(now), limit=settings.WATCH_SWEEP_LIMIT)
