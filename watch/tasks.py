"""Celery tasks: thin. Each loads by id (or takes `now`) and calls one service.

Sweeps run every minute from beat (settings.WATCH_BEAT_SCHEDULE) on the
"sweeps" queue and take an optional ISO `now`, so tests and operators can
drive time in a worker too. `deliver_batch` runs on the "delivery" queue
(settings.CELERY_TASK_ROUTES) and is sent once per WATCH_DELIVERY_SEND_BATCH
claimed deliveries, never with an ETA: a retry is a row with its next
attempt time, not a message waiting in the broker.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

from celery import shared_task
from celery.signals import worker_process_shutdown
from django.conf import settings
from django.db import transaction

from core.clock import parse_instant
from core.drain import drain

from . import services

log = logging.getLogger(__name__)


@worker_process_shutdown.connect(weak=False)
def _close_channels(**kwargs) -> None:
    # The SMTP session and webhook connections a pool process kept open.
    from .channels.registry import close_channels

    close_channels()


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


def _continue_fanout(now: str | None) -> None:
    # News whose audience is larger than the batches written inline goes on
    # in fan_out at once, not at the next minute's sweep. Lost, it costs that
    # minute: the rows say what is left.
    try:
        fan_out.delay(now=now)
    except Exception:
        log.exception("Could not queue fan_out; the next sweep will go on with it")


@shared_task(name="watch.tasks.process_changes")
def process_changes(now: str | None = None) -> int:
    at, limit = parse_instant(now), settings.WATCH_SWEEP_LIMIT
    batches = drain(lambda: services.process_changes(now=at, limit=limit), is_full=lambda r: r[0] >= limit)
    if any(written.deliveries for _, written in batches):
        _hand_out_deliveries(now)
    if any(written.unfinished for _, written in batches):
        _continue_fanout(now)
    return sum(processed for processed, _ in batches)


@shared_task(name="watch.tasks.fan_out")
def fan_out(now: str | None = None) -> int:
    """Write the audiences of news still being fanned out, batch after batch
    (each its own transaction), for at most the sweep budget; then, if some
    is left, queue itself again. So no task's run time grows with the
    audience: a fan-out of any size is a chain of bounded tasks, and a chain
    broken by a lost message is taken up by the minute sweep."""
    at = parse_instant(now)
    batches = drain(lambda: services.fanout_sweep(now=at), is_full=lambda written: written.unfinished > 0)
    if any(written.deliveries for written in batches):
        _hand_out_deliveries(now)
    if batches[-1].unfinished:
        _continue_fanout(now)
    return sum(written.notifications for written in batches)


@shared_task(name="watch.tasks.fire_reminders")
def fire_reminders(now: str | None = None) -> int:
    at, limit = parse_instant(now), settings.WATCH_SWEEP_LIMIT
    batches = drain(
        lambda: services.fire_due_reminders(now=at, limit=limit),
        is_full=lambda r: r.fired + r.skipped + r.withdrawn >= limit,
    )
    if any(result.fanout.deliveries for result in batches):
        _hand_out_deliveries(now)
    if any(result.fanout.unfinished for result in batches):
        _continue_fanout(now)
    return sum(result.fired for result in batches)


@shared_task(name="watch.tasks.send_digests")
def send_digests(now: str | None = None) -> int:
    made = services.send_digests(now=parse_instant(now), limit=settings.WATCH_SWEEP_LIMIT)
    if made:
        _hand_out_deliveries(now)
    return made


@shared_task(name="watch.tasks.dispatch_deliveries")
def dispatch_deliveries(now: str | None = None) -> int:
    """Claim the due deliveries (committed) and send one message for each.

    No more are claimed than WATCH_DELIVERY_IN_FLIGHT at once, so every lease
    is one the workers can honour (a backlog claimed whole would see its last
    leases expire before a worker reached them). When that stops it with
    more due, it queues itself on the delivery queue, behind the sends it
    handed out: it runs again as the workers reach the end of them.
    """
    at, batch = parse_instant(now), settings.WATCH_DELIVERY_BATCH
    lease = timedelta(seconds=settings.WATCH_DELIVERY_LEASE_SECONDS)
    room = max(settings.WATCH_DELIVERY_IN_FLIGHT - services.deliveries_in_flight(now=at), 0)

    def claim_and_hand_out() -> tuple[int, bool]:
        nonlocal room
        size = min(batch, room)
        if size <= 0:
            return 0, False
        claims = services.deliveries_claim(now=at, batch=size, lease=lease)
        room -= len(claims)
        # The claim has committed; on_commit only matters when a caller runs
        # this inside a transaction of its own. Should the broker fail halfway,
        # the claims not handed out are reclaimed when their lease expires.
        for chunk in _chunks(claims, settings.WATCH_DELIVERY_SEND_BATCH):
            deliver_batch.delay_on_commit([claim.delivery_id for claim in chunk], lease_token=chunk[0].lease_token)
        return len(claims), len(claims) == size

    batches = drain(claim_and_hand_out, is_full=lambda result: result[1] and room > 0)
    claimed = sum(n for n, _ in batches)
    if claimed and room <= 0 and batches[-1][1]:
        # Stopped by the cap with a full batch: there may be more due. (A run
        # that claimed nothing does not queue itself: the minute sweep comes.)
        # On commit, like the sends, so it is queued after them.
        transaction.on_commit(lambda: _dispatch_again(now), robust=True)
    return claimed


def _chunks(claims: list, size: int):
    # One claim shares one lease token, so each chunk carries one.
    size = max(size, 1)
    for start in range(0, len(claims), size):
        yield claims[start:start + size]


def _dispatch_again(now: str | None) -> None:
    try:
        dispatch_deliveries.apply_async(kwargs={"now": now}, queue="delivery")
    except Exception:
        log.exception("Could not queue the next dispatch; the minute sweep will claim the rest")


@shared_task(name="watch.tasks.reclaim_leases")
def reclaim_leases(now: str | None = None) -> int:
    return services.deliveries_reclaim(now=parse_instant(now), limit=settings.WATCH_SWEEP_LIMIT)


@shared_task(name="watch.tasks.deliver_batch")
def deliver_batch(delivery_ids: list[int], lease_token: str, now: str | None = None) -> dict[str, int]:
    """Send a batch of deliveries claimed together (one lease token), one
    after the other on the process's kept connections, with the bookkeeping
    around them set-based (watch.services.deliveries_send). A message from an
    earlier, expired claim is a no-op. Returns how many ended in each state."""
    states = services.deliveries_send(delivery_ids=delivery_ids, now=parse_instant(now), lease_token=lease_token)
    return dict(Counter(str(state) for state in states.values()))


@shared_task(name="watch.tasks.deliver")
def deliver(delivery_id: int, now: str | None = None, lease_token: str | None = None) -> str:
    """Send one claimed delivery at `now` (ISO; the worker's clock, read once,
    when absent): deliver_batch for one, kept for operators and for messages
    queued before batches. `lease_token` (set by dispatch_deliveries) makes a message
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
