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
from django.db.models import F, Q
from django.urls import reverse

from core.clock import require_aware
from core.errors import TransitionNotAllowed
from timeline.models import SYSTEM

from ..channels.base import DeliveryError, NewsItem, Outgoing
from ..channels.registry import get_channel
from ..models import Delivery, DeliveryAttempt, Endpoint, Notification
from ..selectors import subscriptions_covering_each
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


@dataclass
class _Outcome:
    """How one delivery of a batch went, waiting to be recorded with the others."""

    delivery: Delivery
    state: str
    error: str = ""
    note: str = ""
    attempt: int | None = None  # None: no attempt was made (withdrawn, handed back)
    finished_at: datetime | None = None
    withdrawn_reason: str = ""
    dropped: dict[int, str] = field(default_factory=dict)


def deliver(*, delivery_id: int, now: datetime, lease_token: str | None = None) -> str:
    """Send one claimed delivery and record the outcome: deliveries_send for
    a batch of one. Returns the state it ends in, or a short word when there
    was nothing to do. Without `lease_token`, whatever claim holds it now."""
    return deliveries_send(delivery_ids=[delivery_id], now=now, lease_token=lease_token)[delivery_id]


def deliveries_send(*, delivery_ids: list[int], now: datetime, lease_token: str | None = None) -> dict[int, str]:
    """Send a batch of claimed deliveries, one after the other on the
    channels' kept connections, and record the outcomes. Returns, per id, the
    state it ends in or a short word when there was nothing to do ("missing",
    "not-claimed", "lease-expired", "handed-back").

    `now` is the attempt's moment, read once by the caller: the lease check,
    the re-check and the secrets that sign all see the same time. The work
    around the sends is set-based: one read of the deliveries, one of their
    notifications, one re-check of the whole batch, one UPDATE counting the
    attempts, and one short transaction recording every outcome, so a batch
    costs a handful of queries whatever its size. No transaction is open
    while a mail server or webhook answers. A batch that would outlast its
    lease stops sending and hands the rest back, so no send happens on a
    lease another worker may already hold.
    """
    require_aware(now)
    states: dict[int, str] = {}
    found = Delivery.objects.select_related("endpoint", "endpoint__subscriber").in_bulk(delivery_ids)
    claimed: list[Delivery] = []
    for pk in dict.fromkeys(delivery_ids):
        delivery = found.get(pk)
        if delivery is None:
            log.warning("Delivery %s does not exist", pk)
            states[pk] = "missing"
        elif delivery.state != State.SENDING or (lease_token and delivery.lease_token != lease_token):
            states[pk] = "not-claimed"  # a message from an earlier claim, or settled meanwhile
        elif delivery.lease_expires_at is None or delivery.lease_expires_at <= now:
            states[pk] = "lease-expired"  # the reclaim sweep hands it out again
        else:
            claimed.append(delivery)
    if not claimed:
        return states

    withdrawn: list[_Outcome] = []
    ready: list[tuple[Delivery, _Checked, Outgoing | None, str | None]] = []
    for delivery, checked, outgoing, failure in _prepare(claimed, now=now):
        if failure is None and outgoing is None:
            reason = "; ".join(sorted(set(checked.dropped.values()))) or "It carries no notification."
            withdrawn.append(
                _Outcome(delivery, State.WITHDRAWN, withdrawn_reason=reason, dropped=checked.dropped)
            )
        else:
            ready.append((delivery, checked, outgoing, failure))
    states.update(_record(withdrawn, now=now))
    if not ready:
        return states

    # Count the attempts before sending, so a worker that dies mid-send
    # still used them up (see deliveries_reclaim).
    started = _start([delivery for delivery, *_ in ready], now=now)
    outcomes: list[_Outcome] = []
    # The sends are timed, not the clock read again: an attempt ends `now`
    # plus however long its channel took, so an admin sees a slow receiver
    # while every moment stays on the caller's clock.
    began = time.monotonic()
    budget = min(delivery.lease_expires_at for delivery, *_ in ready) - now - _slowest_send()
    for delivery, checked, outgoing, failure in ready:
        if delivery.pk not in started:
            states[delivery.pk] = "not-claimed"
            continue
        if outcomes and time.monotonic() - began > budget.total_seconds():
            outcomes.append(_Outcome(delivery, State.PENDING, note=HANDED_BACK))
            continue
        attempt = delivery.attempts + 1
        sending = time.monotonic()
        state, note, error = _send(delivery, outgoing, failure, attempt=attempt)
        outcomes.append(_Outcome(
            delivery, state, error=error, note=note, attempt=attempt, dropped=checked.dropped,
            finished_at=now + timedelta(seconds=time.monotonic() - sending),
        ))
    states.update(_record(outcomes, now=now))
    return states


HANDED_BACK = "The batch it was sent in ran out of lease before reaching it; it is queued again."


def _slowest_send() -> timedelta:
    """The longest one send may take (the channels' timeouts): a batch stops
    this long before its lease ends."""
    webhook = settings.WEBHOOK_CONNECT_TIMEOUT + settings.WEBHOOK_READ_TIMEOUT
    return timedelta(seconds=max(webhook, settings.EMAIL_TIMEOUT or 0))


def _prepare(deliveries: list[Delivery], *, now: datetime):
    """(delivery, checked, outgoing, failure) for each delivery. The re-check
    is one query for the whole batch. A delivery that cannot be built (a bad
    row, a broken setting) gets `failure`: it is counted as a failed attempt
    all the same, so it ends dead and visible instead of being reclaimed
    forever."""
    try:
        checks = _recheck(deliveries)
    except Exception as exc:
        log.exception("The re-check of %d deliveries failed", len(deliveries))
        failure = f"Could not prepare the message: {type(exc).__name__}: {exc}"
        return [(delivery, _Checked(), None, failure) for delivery in deliveries]
    prepared = []
    for delivery in deliveries:
        checked = checks[delivery.pk]
        try:
            outgoing = _outgoing(delivery, checked, now=now) if checked.keep else None
        except Exception as exc:
            log.exception("Delivery %s could not be prepared", delivery.public_id)
            prepared.append((delivery, _Checked(), None, f"Could not prepare the message: {type(exc).__name__}: {exc}"))
        else:
            prepared.append((delivery, checked, outgoing, None))
    return prepared


def _recheck(deliveries: list[Delivery]) -> dict[int, _Checked]:
    """Just before sending: is each notification still wanted? Some active
    subscription of its delivery's endpoint must still cover the item and
    that kind of news (and, for a reminder, that lead time), and the item's
    schedule version must still be the one the news is about. Two queries
    for the batch: its notifications, and the audience rule
    (watch.audience), endpoint first, over all of them at once (one per
    channel, if the batch mixes channels)."""
    checks = {delivery.pk: _Checked() for delivery in deliveries}
    endpoint_of = {delivery.pk: delivery.endpoint_id for delivery in deliveries}
    notifications = list(
        Notification.objects.filter(delivery_id__in=checks, withdrawn_reason="")
        .select_related("item", "item__expectation")
        .order_by("created_at", "id")
    )
    current = []
    for notification in notifications:
        item = notification.item
        if notification.schedule_version != item.schedule_version:
            checks[notification.delivery_id].dropped[notification.pk] = (
                f"The item changed after this news (schedule version {notification.schedule_version} "
                f"is now {item.schedule_version}); the later news replaces it."
            )
        else:
            current.append(notification)
    # One query per channel in the batch (the channel is the endpoint's kind; a batch mostly has one).
    channel_of = {delivery.pk: delivery.channel for delivery in deliveries}
    covering: dict[int, set[int]] = {}
    for channel in sorted({channel_of[n.delivery_id] for n in current}):
        covering.update(subscriptions_covering_each(
            (
                (n.pk, n.item_id, n.news, None if n.lead is None else int(n.lead.total_seconds()),
                 endpoint_of[n.delivery_id])
                for n in current if channel_of[n.delivery_id] == channel
            ),
            kind=channel,
        ))
    for notification in current:
        checked = checks[notification.delivery_id]
        ids = covering.get(notification.pk)
        if not ids:
            checked.dropped[notification.pk] = (
                "No active subscription of this endpoint covers the item and this kind of news any more."
            )
            continue
        checked.keep.append(notification)
        checked.subscription_ids.update(ids)
    return checks


def _start(deliveries: list[Delivery], *, now: datetime) -> set[int]:
    """Count an attempt on each delivery still held by its claim, in one
    UPDATE per lease token (a batch has one); returns the ids started."""
    started: set[int] = set()
    for token, batch in _by_token(deliveries).items():
        ids = [delivery.pk for delivery in batch]
        held = Delivery.objects.filter(pk__in=ids, state=State.SENDING, lease_token=token)
        count = held.update(attempts=F("attempts") + 1, send_started_at=now, updated_at=now)
        # Fewer than asked: some were reclaimed or settled meanwhile; read which.
        started.update(ids if count == len(ids) else held.values_list("pk", flat=True))
    return started


def _by_token(deliveries) -> dict[str, list[Delivery]]:
    groups: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        groups.setdefault(delivery.lease_token, []).append(delivery)
    return groups


def _send(delivery: Delivery, outgoing: Outgoing | None, failure: str | None, *, attempt: int) -> tuple[str, str, str]:
    """One send through the delivery's channel: (state, note, error)."""
    if failure is not None:
        state, note, error = State.FAILED, failure, failure
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
    return state, note, error


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


def _fields(outcome: _Outcome, *, now: datetime) -> dict:
    """The columns an outcome writes on its delivery. The delivery's times
    are the attempt's `now`; the attempt row also keeps when the channel
    returned (`finished_at`)."""
    fields = {"state": outcome.state, "lease_token": "", "lease_expires_at": None, "send_started_at": None, "updated_at": now}
    if outcome.state == State.SENT:
        fields.update(sent_at=now, last_error="", next_attempt_at=None)
    elif outcome.state == State.FAILED:
        fields.update(last_error=outcome.error, next_attempt_at=now + retry_delay(outcome.attempt))
    elif outcome.state == State.DEAD:
        fields.update(last_error=outcome.error, next_attempt_at=None)
    elif outcome.state == State.WITHDRAWN:
        fields.update(withdrawn_reason=outcome.withdrawn_reason, next_attempt_at=None)
    elif outcome.state == State.PENDING:  # handed back unsent: the attempt counted by _start is undone
        fields.update(last_error=outcome.note, next_attempt_at=now, attempts=F("attempts") - 1)
    return fields


def _record(outcomes: list[_Outcome], *, now: datetime) -> dict[int, str]:
    """Record the outcomes of a batch in one short transaction, each only if
    its lease is still ours: the rows still held are locked and read once,
    outcomes that write the same columns share one UPDATE, the withdrawn
    notifications and the attempt rows are written in bulk.

    A lease that expired meanwhile was reclaimed: the attempt is still
    recorded (it happened); a success is recorded as the state unless the
    delivery was already handed out again, in which case the state is left to
    the newer claim and the receiver dedupes the second send by its id.
    """
    if not outcomes:
        return {}
    states: dict[int, str] = {}
    with transaction.atomic():
        held = Q(pk__in=[])
        for token, batch in _by_token([o.delivery for o in outcomes]).items():
            held |= Q(pk__in=[d.pk for d in batch], lease_token=token)
        won = set(Delivery.objects.select_for_update().filter(held, state=State.SENDING).values_list("pk", flat=True))
        # Reclaimed while we were sending, but not handed out again yet: it
        # did go out, so say so and spare the receiver a duplicate.
        lost_sent = [o.delivery.pk for o in outcomes if o.state == State.SENT and o.delivery.pk not in won]
        if lost_sent:
            won |= set(
                Delivery.objects.select_for_update().filter(pk__in=lost_sent, state__in=CLAIMABLE)
                .values_list("pk", flat=True)
            )

        same: dict[tuple, list[int]] = {}
        each: list[Delivery] = []
        for outcome in outcomes:
            pk = outcome.delivery.pk
            if pk not in won:
                states[pk] = "not-claimed" if outcome.attempt is None else outcome.state
                continue
            states[pk] = "handed-back" if outcome.state == State.PENDING else outcome.state
            fields = _fields(outcome, now=now)
            if outcome.state == State.FAILED:
                # Each failure has its own retry time (jitter): set row by row, in one statement.
                for name, value in fields.items():
                    setattr(outcome.delivery, name, value)
                each.append(outcome.delivery)
            else:
                same.setdefault(tuple(sorted(fields.items(), key=lambda kv: kv[0])), []).append(pk)
        for fields, ids in same.items():
            Delivery.objects.filter(pk__in=ids).update(**dict(fields))
        if each:
            Delivery.objects.bulk_update(each, list(_fields(_Outcome(each[0], State.FAILED, attempt=1), now=now)))

        withdrawn: dict[str, list[int]] = {}
        for outcome in outcomes:
            if outcome.delivery.pk in won:
                for pk, reason in outcome.dropped.items():
                    withdrawn.setdefault(reason, []).append(pk)
        for reason, ids in withdrawn.items():
            Notification.objects.filter(pk__in=ids).update(withdrawn_reason=reason)

        attempts = []
        for outcome in outcomes:
            if outcome.attempt is None:
                continue
            note = outcome.note
            if outcome.delivery.pk not in won:
                note = f"{note} (the lease had expired before this outcome was recorded; the delivery was handed out again)"
                log.warning("Delivery %s: lease lost before recording %s", outcome.delivery.public_id, outcome.state)
            attempts.append(DeliveryAttempt(
                delivery=outcome.delivery, number=outcome.attempt, started_at=now,
                finished_at=outcome.finished_at or now,
                outcome=outcome.state if outcome.state in DeliveryAttempt.Outcome.values else DeliveryAttempt.Outcome.FAILED,
                note=note[:2000],
            ))
        DeliveryAttempt.objects.bulk_create(attempts)
    return states


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
