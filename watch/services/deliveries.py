"""Deliveries: claiming them in batches, sending each outside any transaction,
recording how it went, retrying with backoff, reclaiming lost leases.

The promise is at least once, with a stable id: a delivery keeps its
`public_id` on every attempt, and a receiver that dedupes by it sees each
piece of news once. A retry is a row with its next attempt time, never a task
waiting in the broker.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from core.clock import require_aware
from core.errors import TransitionNotAllowed
from timeline.models import SYSTEM

from ..channels.base import DeliveryError, NewsItem, Outgoing
from ..channels.registry import get_channel
from ..models import Delivery, DeliveryAttempt, Endpoint, Notification
from ..selectors import subscriptions_covering
from ..signing import make_token

log = logging.getLogger(__name__)
State = Delivery.State
CLAIMABLE = (State.PENDING, State.FAILED)


# -- Backoff -------------------------------------------------------------------

def retry_delay_bounds(failures: int) -> tuple[timedelta, timedelta]:
    """The range the wait after the `failures`-th failed attempt is drawn from:
    [d/2, d] with d = base * factor**(failures-1), capped."""
    ceiling = min(
        settings.WATCH_RETRY_BASE_SECONDS * settings.WATCH_RETRY_FACTOR ** max(failures - 1, 0),
        settings.WATCH_RETRY_MAX_DELAY_SECONDS,
    )
    return timedelta(seconds=ceiling / 2), timedelta(seconds=ceiling)


def retry_delay(failures: int, *, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff with "equal jitter": half the delay is fixed, so
    retries keep growing; the other half is random, so deliveries that failed
    together (an SMTP server down) do not all come back at the same second."""
    low, high = retry_delay_bounds(failures)
    return low + (high - low) * (rng or random).random()


# -- Claiming ------------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    delivery_id: int
    lease_token: str


def deliveries_claim(*, now: datetime, batch: int, lease: timedelta) -> list[Claim]:
    """Claim up to `batch` deliveries that are due (pending, or failed with
    next_attempt_at <= now): state `sending`, a lease until now + lease, and a
    new lease token. Commits before returning, so the caller may hand the
    claims to workers at once.

    On PostgreSQL the candidates are locked with FOR UPDATE SKIP LOCKED, so
    concurrent claimers take disjoint rows without waiting on each other.
    SQLite has no row locks (Django drops the clause there); its IMMEDIATE
    transactions serialise writers, and the UPDATE below is conditioned on the
    state anyway, so a row can only be claimed by one caller on either backend.
    """
    require_aware(now)
    token = uuid.uuid4().hex
    with transaction.atomic():
        candidates = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(state__in=CLAIMABLE, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:batch]
        )
        if not candidates:
            return []
        Delivery.objects.filter(pk__in=candidates, state__in=CLAIMABLE, next_attempt_at__lte=now).update(
            state=State.SENDING, lease_token=token, lease_expires_at=now + lease, send_started_at=None, updated_at=now,
        )
        claimed = Delivery.objects.filter(pk__in=candidates, state=State.SENDING, lease_token=token)
        return [Claim(pk, token) for pk in claimed.order_by("id").values_list("pk", flat=True)]


def deliveries_in_flight(*, now: datetime) -> int:
    """Deliveries claimed whose lease still runs (through the partial index of
    those sending): what dispatch weighs against WATCH_DELIVERY_IN_FLIGHT."""
    return Delivery.objects.filter(state=State.SENDING, lease_expires_at__gt=now).count()


def deliveries_reclaim(*, now: datetime, limit: int = 500) -> int:
    """Take back deliveries whose lease expired with no outcome recorded.

    Never picked up by a worker (the message was lost or waited too long):
    back to pending, no attempt counted. Picked up (send_started_at is set) but
    no outcome: the worker died or hung mid-send, which counts as a failed
    attempt (so a delivery that kills its worker ends dead, not in a loop).
    """
    require_aware(now)
    reclaimed = 0
    expired = list(
        Delivery.objects.filter(state=State.SENDING, lease_expires_at__lte=now)
        .order_by("lease_expires_at", "id")
        .values_list("pk", "lease_token", "send_started_at", "attempts")[:limit]
    )
    for pk, token, started_at, attempts in expired:
        with transaction.atomic():
            still_ours = Delivery.objects.filter(pk=pk, state=State.SENDING, lease_token=token)
            if started_at is None:
                won = still_ours.update(
                    state=State.PENDING, next_attempt_at=now, lease_token="", lease_expires_at=None, updated_at=now,
                    last_error="The lease expired before a worker took the delivery; it is queued again.",
                )
            else:
                error = "The worker's lease expired with no outcome recorded (worker lost or hung); it may have been sent."
                dead = attempts >= settings.WATCH_MAX_ATTEMPTS
                won = still_ours.update(
                    state=State.DEAD if dead else State.FAILED,
                    next_attempt_at=None if dead else now + retry_delay(attempts),
                    lease_token="", lease_expires_at=None, send_started_at=None, last_error=error, updated_at=now,
                )
                if won:
                    DeliveryAttempt.objects.create(
                        delivery_id=pk, number=attempts, started_at=started_at, finished_at=now,
                        outcome=DeliveryAttempt.Outcome.DEAD if dead else DeliveryAttempt.Outcome.LOST, note=error,
                    )
            reclaimed += won
    return reclaimed


# -- Sending -------------------------------------------------------------------

@dataclass
class _Checked:
    """The notifications of a delivery that are still wanted, and why the others are not."""

    keep: list[Notification] = field(default_factory=list)
    dropped: dict[int, str] = field(default_factory=dict)
    subscription_ids: set[int] = field(default_factory=set)


def deliver(*, delivery_id: int, now: datetime, lease_token: str | None = None) -> str:
    """Send one claimed delivery and record the outcome. Returns the state it
    ends in, or a short word when there was nothing to do.

    `now` is the attempt's moment, read once by the caller: the lease check,
    the re-check and the secrets that sign all see the same time. Runs outside
    any transaction: the re-check and the send happen between short writes,
    so no lock is held while a mail server or webhook answers.
    """
    require_aware(now)
    delivery = Delivery.objects.select_related("endpoint", "endpoint__subscriber").filter(pk=delivery_id).first()
    if delivery is None:
        log.warning("Delivery %s does not exist", delivery_id)
        return "missing"
    if delivery.state != State.SENDING or (lease_token and delivery.lease_token != lease_token):
        # A message from an earlier claim, or a delivery settled meanwhile.
        return "not-claimed"
    if delivery.lease_expires_at is None or delivery.lease_expires_at <= now:
        return "lease-expired"  # the reclaim sweep hands it out again
    token = delivery.lease_token

    try:
        checked = _recheck(delivery, now=now)
        outgoing = _outgoing(delivery, checked, now=now) if checked.keep else None
    except Exception as exc:
        # Not the channel's fault but ours (a bad row, a broken setting). Count
        # it as a failed attempt all the same, so a delivery that cannot even
        # be built ends dead and visible instead of being reclaimed forever.
        log.exception("Delivery %s could not be prepared", delivery.public_id)
        checked, outgoing = _Checked(), None
        failure = f"Could not prepare the message: {type(exc).__name__}: {exc}"
    else:
        failure = None
        if outgoing is None:
            reason = "; ".join(sorted(set(checked.dropped.values()))) or "It carries no notification."
            _settle(delivery, token, now=now, state=State.WITHDRAWN, withdrawn_reason=reason, dropped=checked.dropped)
            return State.WITHDRAWN

    # Count the attempt before sending, so a worker that dies mid-send still
    # used one up (see deliveries_reclaim).
    started = Delivery.objects.filter(pk=delivery.pk, state=State.SENDING, lease_token=token).update(
        attempts=delivery.attempts + 1, send_started_at=now, updated_at=now
    )
    if started != 1:
        return "not-claimed"
    attempt = delivery.attempts + 1

    # The send is timed, not the clock read again: the attempt ends `now`
    # plus however long the channel took, so an admin sees a slow receiver
    # while every moment stays on the caller's clock.
    sending = time.monotonic()
    if failure is not None:
        note = error = failure
        state = State.FAILED
    else:
        try:
            note = get_channel(delivery.channel).send(outgoing) or "sent"
            state, error = State.SENT, ""
        except DeliveryError as exc:
            note = error = exc.message
            state = State.FAILED if exc.retryable else State.DEAD
        except Exception as exc:  # a bug or an unexpected failure in a channel: retry, and leave a trace
            log.exception("Delivery %s: the %s channel raised", delivery.public_id, delivery.channel)
            note = error = f"Unexpected error: {type(exc).__name__}: {exc}"
            state = State.FAILED
    if state == State.FAILED and attempt >= settings.WATCH_MAX_ATTEMPTS:
        state = State.DEAD
        note = f"{note} (attempt {attempt} of {settings.WATCH_MAX_ATTEMPTS}: no more retries)"

    _settle(
        delivery, token, now=now, state=state, error=error, attempt=attempt, note=note, dropped=checked.dropped,
        finished_at=now + timedelta(seconds=time.monotonic() - sending),
    )
    return state


def _recheck(delivery: Delivery, *, now: datetime) -> _Checked:
    """Just before sending: is each notification still wanted? Some active
    subscription of this endpoint must still cover the item and that kind of
    news (and, for a reminder, that lead time), and the item's schedule
    version must still be the one the news is about."""
    checked = _Checked()
    notifications = (
        delivery.notifications.filter(withdrawn_reason="")
        .select_related("item", "item__expectation")
        .order_by("created_at", "id")
    )
    for notification in notifications:
        item = notification.item
        if notification.schedule_version != item.schedule_version:
            checked.dropped[notification.pk] = (
                f"The item changed after this news (schedule version {notification.schedule_version} "
                f"is now {item.schedule_version}); the later news replaces it."
            )
            continue
        covering = subscriptions_covering(item, news=notification.news, endpoint=delivery.endpoint_id)
        ids = [
            s.pk for s in covering.only("id", "lead_times")
            if notification.lead is None or int(notification.lead.total_seconds()) in s.lead_times
        ]
        if not ids:
            checked.dropped[notification.pk] = (
                "No active subscription of this endpoint covers the item and this kind of news any more."
            )
            continue
        checked.keep.append(notification)
        checked.subscription_ids.update(ids)
    return checked


def _outgoing(delivery: Delivery, checked: _Checked, *, now: datetime) -> Outgoing:
    endpoint = delivery.endpoint
    subscriber = endpoint.subscriber
    unsubscribe_url = manage_url = ""
    if endpoint.kind == Endpoint.Kind.EMAIL:
        unsubscribe_url = unsubscribe_link(endpoint, sorted(checked.subscription_ids))
        manage_url = manage_link(subscriber.pk)
    return Outgoing(
        delivery_id=delivery.public_id,
        channel=delivery.channel,
        address=endpoint.address,
        news=tuple(news_item(n, reader_tz=subscriber.tz) for n in checked.keep),
        is_digest=delivery.is_digest,
        recipient_tz=subscriber.tz,
        unsubscribe_url=unsubscribe_url,
        manage_url=manage_url,
        webhook_secrets=endpoint.signing_secrets(now),
    )


def news_item(notification: Notification, *, reader_tz: str) -> NewsItem:
    item = notification.item
    when = item.when
    return NewsItem(
        cause=notification.kind,
        headline=notification.headline,
        detail=notification.detail,
        item_public_id=str(item.public_id),
        item_kind=item.kind,
        item_title=item.title,
        item_url=settings.WATCH_ITEM_URL.format(public_id=item.public_id),
        item_status=item.status,
        when=when.as_dict(),
        # Dates of a day-or-coarser window stay in the item's zone; only an
        # exact time is shown in the recipient's.
        when_display=when.display(reader_tz=reader_tz),
        schedule_version=notification.schedule_version,
        editorial_state=item.editorial_state,
        verdict=notification.verdict,
        notification_id=f"ntf_{notification.pk}",
    )


def unsubscribe_link(endpoint: Endpoint, subscription_ids: list[int]) -> str:
    """The one-click (RFC 8058) link: stops these subscriptions sending to this address."""
    value = f"{endpoint.pk}:{','.join(str(pk) for pk in subscription_ids)}"
    return settings.SITE_URL + reverse("watch:unsubscribe", args=[make_token("unsubscribe", value)])


def manage_link(subscriber_id: int) -> str:
    return settings.SITE_URL + reverse("watch:manage", args=[make_token("manage", str(subscriber_id))])


def _settle(
    delivery: Delivery,
    token: str,
    *,
    now: datetime,
    state: str,
    error: str = "",
    attempt: int | None = None,
    finished_at: datetime | None = None,
    note: str = "",
    withdrawn_reason: str = "",
    dropped: dict[int, str] | None = None,
) -> bool:
    """Record the outcome in one short transaction, if the lease is still ours.
    The delivery's times are the attempt's `now`; the attempt row also keeps
    when the channel returned (`finished_at`).

    A lease that expired meanwhile was reclaimed: the attempt is still
    recorded (it happened); a success is recorded as the state unless the
    delivery was already handed out again, in which case the state is left to
    the newer claim and the receiver dedupes the second send by its id.
    """
    fields = {"state": state, "lease_token": "", "lease_expires_at": None, "send_started_at": None, "updated_at": now}
    if state == State.SENT:
        fields.update(sent_at=now, last_error="", next_attempt_at=None)
    elif state == State.FAILED:
        fields.update(last_error=error, next_attempt_at=now + retry_delay(attempt))
    elif state == State.DEAD:
        fields.update(last_error=error, next_attempt_at=None)
    elif state == State.WITHDRAWN:
        fields.update(withdrawn_reason=withdrawn_reason, next_attempt_at=None)
    with transaction.atomic():
        won = Delivery.objects.filter(pk=delivery.pk, state=State.SENDING, lease_token=token).update(**fields) == 1
        if not won and state == State.SENT:
            # Reclaimed while we were sending, but not handed out again yet:
            # it did go out, so say so and spare the receiver a duplicate.
            won = Delivery.objects.filter(pk=delivery.pk, state__in=CLAIMABLE).update(**fields) == 1
        if won:
            for pk, reason in (dropped or {}).items():
                Notification.objects.filter(pk=pk).update(withdrawn_reason=reason)
        if attempt is not None:
            if not won:
                note = f"{note} (the lease had expired before this outcome was recorded; the delivery was handed out again)"
            DeliveryAttempt.objects.create(
                delivery=delivery, number=attempt, started_at=now, finished_at=finished_at or now,
                outcome=state if state in DeliveryAttempt.Outcome.values else DeliveryAttempt.Outcome.FAILED,
                note=note[:2000],
            )
    if not won:
        log.warning("Delivery %s: lease lost before recording %s", delivery.public_id, state)
    return won


# -- Operators -----------------------------------------------------------------

def delivery_resend(*, delivery: Delivery, by: AbstractBaseUser | str, now: datetime) -> Delivery:
    """Put a dead (or failed) delivery back in the queue, same id, attempts
    kept. Superusers only: resending is an admin's call."""
    require_aware(now)
    if by != SYSTEM and not getattr(by, "is_superuser", False):
        raise PermissionDenied("Only an admin may resend a delivery.")
    resendable = (State.DEAD, State.FAILED)
    won = Delivery.objects.filter(pk=delivery.pk, state__in=resendable).update(
        state=State.PENDING, next_attempt_at=now, last_error="", updated_at=now,
    )
    if won != 1:
        delivery.refresh_from_db(fields=["state"])
        raise TransitionNotAllowed(
            f"Only a dead or failed delivery can be resent; {delivery.public_id} is {delivery.state}.",
            current_status=delivery.state,
        )
    delivery.refresh_from_db()
    return delivery
