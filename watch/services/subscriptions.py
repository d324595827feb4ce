"""Subscribing, confirming, changing and leaving; webhook secrets.

Accounts and staff create confirmed subscriptions; an email address on its
own is confirmed by double opt-in (a signed link), and until then receives
nothing. Bad input (an address, a webhook URL, an unknown storyline, a lead
time out of range) raises InvalidInput naming each field, and writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse

from core.clock import require_aware
from core.errors import InvalidInput, StaleRevision, TransitionNotAllowed
from core.zones import zone
from timeline.models import Actor, Item, Storyline

from .. import netguard
from ..models import Endpoint, Subscriber, Subscription
from ..selectors import items_covered_by
from ..signing import make_token, new_webhook_secret
from ._common import parse_leads
from ._subscription_input import check_webhook_url, clean_email, clean_news, collect, resolve_target
from .confirmations import confirmation_request
from .digests import schedule_digest
from .reminders import reminders_ensure


@dataclass(frozen=True)
class Subscribed:
    """What subscription_create made. `webhook_secret` is set only when a new
    webhook endpoint was created: it is shown this once and never again."""

    subscription: Subscription
    created: bool
    webhook_secret: str | None = None
    needs_confirmation: bool = False


def subscription_create(
    *,
    now: datetime,
    user: AbstractBaseUser | None = None,
    email: str | None = None,
    storyline: Storyline | str | None = None,
    actor: Actor | str | None = None,
    item: Item | str | None = None,
    everything: bool = False,
    send_email: bool = True,
    webhook_url: str | None = None,
    news: Iterable[str] | None = None,
    cadence: str = Subscription.Cadence.IMMEDIATE,
    digest_hour: int | None = None,
    tz: str | None = None,
    lead_times: Iterable[str | int] | None = None,
    confirmed: bool = False,
    resolver: netguard.Resolver | None = None,
) -> Subscribed:
    """Subscribe an account (`user`) or an email address to one target.

    `confirmed` is the caller's word that the recipient asked for it (an
    account subscribing itself, staff); otherwise a confirmation link is
    mailed and the subscription receives nothing until it is followed.
    Subscribing again to the same target updates that subscription.
    """
    require_aware(now)
    errors: dict[str, list[str]] = {}
    address = clean_email(user=user, email=email, needed=send_email, errors=errors)
    target, target_fields = resolve_target(storyline, actor, item, everything, errors)
    wanted = clean_news(news, errors)
    leads = collect(errors, "lead_times", lambda: parse_leads(lead_times))
    if cadence not in Subscription.Cadence.values:
        errors["cadence"] = [f"One of: {', '.join(Subscription.Cadence.values)}."]
    if digest_hour is not None and (isinstance(digest_hour, bool) or not isinstance(digest_hour, int)
                                    or not 0 <= digest_hour <= 23):
        errors["digest_hour"] = ["An hour from 0 to 23."]
    if tz is not None:
        collect(errors, "tz", lambda: zone(tz))
    if webhook_url is not None:
        webhook_url = webhook_url.strip()
        collect(errors, "webhook_url", lambda: check_webhook_url(webhook_url, resolver))
    if not send_email and not webhook_url:
        errors.setdefault("channel", []).append("Choose email, a webhook, or both.")
    if errors:
        raise InvalidInput("The subscription cannot be made as asked.", fields=errors)

    try:
        with transaction.atomic():
            return _create(
                now=now, user=user, address=address, target=target, target_fields=target_fields,
                send_email=send_email, webhook_url=webhook_url, wanted=wanted, cadence=cadence,
                digest_hour=digest_hour, tz=tz, leads=leads, confirmed=confirmed,
            )
    except IntegrityError:
        # Two requests for the same new subscriber or endpoint at once: the
        # other one won; this one, retried, finds its rows.
        with transaction.atomic():
            return _create(
                now=now, user=user, address=address, target=target, target_fields=target_fields,
                send_email=send_email, webhook_url=webhook_url, wanted=wanted, cadence=cadence,
                digest_hour=digest_hour, tz=tz, leads=leads, confirmed=confirmed,
            )


def _create(*, now, user, address, target, target_fields, send_email, webhook_url, wanted, cadence, digest_hour,
            tz, leads, confirmed) -> Subscribed:
    subscriber = _subscriber(user=user, email=address, now=now)
    # Anyone can type an address: an unconfirmed request may set up a new
    # subscriber, but not change the zone or digest hour of one who confirmed.
    may_change_subscriber = confirmed or not subscriber.subscriptions.filter(confirmed_at__isnull=False).exists()
    subscriber_fields = {}
    if may_change_subscriber and tz is not None and tz != subscriber.tz:
        subscriber_fields["tz"] = tz
    if may_change_subscriber and digest_hour is not None and digest_hour != subscriber.digest_hour:
        subscriber_fields["digest_hour"] = digest_hour
    if subscriber_fields:
        Subscriber.objects.filter(pk=subscriber.pk).update(**subscriber_fields)
        for name, value in subscriber_fields.items():
            setattr(subscriber, name, value)
        # A new hour or zone moves the digests already on the calendar.
        for endpoint in subscriber.endpoints.filter(next_digest_at__isnull=False):
            schedule_digest(endpoint, now=now)

    email_endpoint = _endpoint(subscriber, Endpoint.Kind.EMAIL, subscriber.email, now) if send_email else None
    webhook_secret = None
    webhook_endpoint = None
    if webhook_url:
        webhook_endpoint = Endpoint.objects.filter(
            subscriber=subscriber, kind=Endpoint.Kind.WEBHOOK, address=webhook_url
        ).first()
        if webhook_endpoint is None:
            webhook_secret = new_webhook_secret()
            webhook_endpoint = Endpoint.objects.create(
                subscriber=subscriber, kind=Endpoint.Kind.WEBHOOK, address=webhook_url, secret=webhook_secret,
                created_at=now,
            )

    settings_fields = {
        "email_endpoint": email_endpoint,
        "webhook_endpoint": webhook_endpoint,
        "cadence": cadence,
        "lead_times": leads,
        **{Subscription.NEWS_FIELD[n]: n in wanted for n in Subscription.NEWS},
    }
    existing = (
        Subscription.objects.select_for_update()
        .filter(subscriber=subscriber, target=target, unsubscribed_at__isnull=True, **target_fields)
        .first()
    )
    if existing is not None and existing.confirmed_at is not None and not confirmed:
        # An unconfirmed request (anyone can type an address) must not change
        # what the owner of that address confirmed.
        return Subscribed(existing, created=False, webhook_secret=webhook_secret)
    if existing is not None:
        subscription = existing
        for name, value in settings_fields.items():
            setattr(subscription, name, value)
        if confirmed and subscription.confirmed_at is None:
            subscription.confirmed_at = now
        subscription.updated_at = now
        # The row is locked (select_for_update above), so counting up here is safe.
        subscription.version += 1
        subscription.save(update_fields=[*settings_fields, "confirmed_at", "updated_at", "version"])
        created = False
    else:
        subscription = Subscription.objects.create(
            subscriber=subscriber, target=target, **target_fields, **settings_fields,
            confirmed_at=now if confirmed else None, created_at=now, updated_at=now,
        )
        created = True

    if subscription.confirmed_at is not None:
        _after_activation(subscription, now=now)
    else:
        confirmation_request(subscription=subscription, now=now)
    return Subscribed(subscription, created=created, webhook_secret=webhook_secret,
                      needs_confirmation=subscription.confirmed_at is None)


def subscription_confirm(*, subscription: Subscription, now: datetime) -> Subscription:
    """The double opt-in link was followed. Confirming twice is harmless."""
    require_aware(now)
    with transaction.atomic():
        if subscription.unsubscribed_at is not None:
            raise TransitionNotAllowed(
                "This subscription was cancelled; subscribe again instead.", current_status="unsubscribed"
            )
        won = Subscription.objects.filter(
            pk=subscription.pk, confirmed_at__isnull=True, unsubscribed_at__isnull=True
        ).update(confirmed_at=now, updated_at=now, version=F("version") + 1)
        subscription.refresh_from_db()
        if won:
            _after_activation(subscription, now=now)
    return subscription


def subscription_unsubscribe(*, subscription: Subscription, now: datetime) -> bool:
    """End a subscription. Deliveries already queued are withdrawn when their
    turn comes (the re-check at send time). Returns False if it had already ended."""
    require_aware(now)
    return bool(
        Subscription.objects.filter(pk=subscription.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=now, updated_at=now, version=F("version") + 1
        )
    )


def subscriptions_stop_email(*, endpoint: Endpoint, subscription_ids: Iterable[int], now: datetime) -> int:
    """The one-click unsubscribe of an email: these subscriptions stop sending
    to this address (all of its subscriptions when none are named). One that
    also posts to a webhook keeps doing so; one with only this address ends.
    Returns how many subscriptions changed."""
    require_aware(now)
    ids = list(subscription_ids)
    changed = 0
    with transaction.atomic():
        qs = Subscription.objects.select_for_update().filter(email_endpoint=endpoint, unsubscribed_at__isnull=True)
        if ids:
            qs = qs.filter(pk__in=ids)
        for subscription in qs:
            ended = {"email_endpoint": None} if subscription.webhook_endpoint_id else {"unsubscribed_at": now}
            Subscription.objects.filter(pk=subscription.pk).update(
                **ended, updated_at=now, version=F("version") + 1
            )
            changed += 1
    return changed


class SubscriptionChanged(StaleRevision):
    """Someone else changed (or confirmed, or ended) the subscription since
    the caller read it: read it again and decide again (HTTP 412)."""

    def __init__(self, *, expected: int, current: int | None):
        super().__init__(expected=expected, current=current)
        self.message = (
            f"The subscription changed since you read it (you had version {expected}, it is now {current}); "
            "read it again."
        )
        self.args = (self.message,)


def subscription_update(
    *,
    subscription: Subscription,
    now: datetime,
    news: Iterable[str] | None = None,
    lead_times: Iterable[str | int] | None = None,
    cadence: str | None = None,
) -> Subscription:
    """Change which news, which lead times, or the cadence of a subscription.

    The write is one UPDATE of the row filtered on the version `subscription`
    was read at and on its being live. A write that got there first (another
    change, an unsubscribe, a confirmation) leaves it matching nothing, and
    this one stops, with TransitionNotAllowed if the subscription has ended
    and SubscriptionChanged otherwise. Only the winner schedules reminders
    and digests, from the row as it now is."""
    require_aware(now)
    errors: dict[str, list[str]] = {}
    fields = {}
    if news is not None:
        wanted = clean_news(news, errors)
        fields.update({Subscription.NEWS_FIELD[n]: n in wanted for n in Subscription.NEWS})
    if lead_times is not None:
        fields["lead_times"] = collect(errors, "lead_times", lambda: parse_leads(lead_times))
    if cadence is not None:
        if cadence not in Subscription.Cadence.values:
            errors["cadence"] = [f"One of: {', '.join(Subscription.Cadence.values)}."]
        fields["cadence"] = cadence
    if errors:
        raise InvalidInput("The subscription cannot be changed as asked.", fields=errors)
    if subscription.unsubscribed_at is not None:
        raise TransitionNotAllowed("This subscription was cancelled.", current_status="unsubscribed")
    expected = subscription.version
    with transaction.atomic():
        # On PostgreSQL an overlapping writer holds the row lock; this UPDATE
        # waits for it, then re-evaluates its WHERE against the committed row.
        won = Subscription.objects.filter(pk=subscription.pk, version=expected, unsubscribed_at__isnull=True).update(
            **fields, updated_at=now, version=F("version") + 1
        )
        if won != 1:
            current = Subscription.objects.filter(pk=subscription.pk).values("version", "unsubscribed_at").first()
            if current is None or current["unsubscribed_at"] is not None:
                raise TransitionNotAllowed("This subscription was cancelled.", current_status="unsubscribed")
            raise SubscriptionChanged(expected=expected, current=current["version"])
        subscription.refresh_from_db()
        if subscription.is_active:
            _after_activation(subscription, now=now)
    return subscription


def webhook_rotate_secret(*, endpoint: Endpoint, now: datetime) -> str:
    """A new signing secret for a webhook endpoint, returned this once. The
    old one keeps signing beside it (two signatures per message) for
    settings.WATCH_SECRET_ROTATION_OVERLAP, so the receiver can switch over."""
    require_aware(now)
    if endpoint.kind != Endpoint.Kind.WEBHOOK:
        raise InvalidInput("Only a webhook endpoint has a secret.", fields={"endpoint": ["Not a webhook."]})
    secret = new_webhook_secret()
    with transaction.atomic():
        current = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
        Endpoint.objects.filter(pk=endpoint.pk).update(
            secret=secret, previous_secret=current.secret,
            previous_secret_expires_at=now + settings.WATCH_SECRET_ROTATION_OVERLAP,
        )
    endpoint.refresh_from_db()
    return secret


# -- Confirmation ----------------------------------------------------------------

def confirmation_link(subscription: Subscription) -> str:
    return settings.SITE_URL + reverse("watch:confirm", args=[make_token("confirm", str(subscription.pk))])


def subscription_send_confirmation(*, subscription: Subscription) -> None:
    """Mail the double opt-in link. The link opens a page with a button: mail
    scanners follow links, and must not confirm on the reader's behalf."""
    if subscription.confirmed_at is not None or subscription.unsubscribed_at is not None:
        return
    address = subscription.subscriber.email
    link = confirmation_link(subscription)
    text = (
        f"Someone (we hope you) asked Forecast Watch to send alerts about {subscription.target_label} "
        f"to {address}.\n\nTo start receiving them, open this link and press Confirm:\n{link}\n\n"
        "If you did not ask for this, ignore this message: nothing will be sent."
    )
    message = EmailMultiAlternatives(
        subject=f"Confirm your Forecast Watch alerts: {subscription.target_label}",
        body=text, to=[address],
        headers={"Message-ID": f"<confirm-{subscription.pk}-{uuid.uuid4().hex}@forecast-watch>",
                 "Auto-Submitted": "auto-generated"},
    )
    message.send()




# -- Pausing, undoing, the subscriber's hour and zone ------------------------------

def subscription_pause(*, subscription: Subscription, now: datetime) -> bool:
    """Stop sending without leaving: the settings stay, nothing is sent (the
    fan-out and the re-check at send time read only active subscriptions)
    until resumed. Returns False if it was already paused."""
    require_aware(now)
    if subscription.unsubscribed_at is not None:
        raise TransitionNotAllowed("This subscription was cancelled.", current_status="unsubscribed")
    paused = Subscription.objects.filter(pk=subscription.pk, paused_at__isnull=True, unsubscribed_at__isnull=True)
    won = bool(paused.update(paused_at=now, updated_at=now, version=F("version") + 1))
    subscription.refresh_from_db()
    return won


def subscription_resume(*, subscription: Subscription, now: datetime) -> bool:
    """Send again, from now on: news that came while paused is not replayed,
    reminders still ahead are (re)written. Returns False if it was not paused."""
    require_aware(now)
    with transaction.atomic():
        resumed = Subscription.objects.filter(
            pk=subscription.pk, paused_at__isnull=False, unsubscribed_at__isnull=True
        ).update(paused_at=None, updated_at=now, version=F("version") + 1)
        subscription.refresh_from_db()
        if resumed and subscription.is_active:
            _after_activation(subscription, now=now)
    return bool(resumed)


def undo_window() -> timedelta:
    return timedelta(seconds=settings.WATCH_UNSUBSCRIBE_UNDO_SECONDS)


def subscription_can_undo(subscription: Subscription, *, now: datetime) -> bool:
    return subscription.unsubscribed_at is not None and now - subscription.unsubscribed_at <= undo_window()


def subscription_undo_unsubscribe(*, subscription: Subscription, now: datetime) -> Subscription:
    """Take back an unsubscribe made less than WATCH_UNSUBSCRIBE_UNDO_SECONDS
    ago: the same subscription, with its settings, live again. Refused
    (TransitionNotAllowed) once the window has passed, or when the address
    has subscribed to the same target again since."""
    require_aware(now)
    try:
        with transaction.atomic():
            undone = Subscription.objects.filter(
                pk=subscription.pk, unsubscribed_at__isnull=False, unsubscribed_at__gte=now - undo_window()
            ).update(unsubscribed_at=None, updated_at=now, version=F("version") + 1)
            if not undone:
                raise TransitionNotAllowed(
                    "This unsubscribe can no longer be undone; subscribe again from the page you followed.",
                    current_status="unsubscribed",
                )
            subscription.refresh_from_db()
            if subscription.is_active:
                _after_activation(subscription, now=now)
    except IntegrityError:  # subscription_one_live_per_target: a newer one follows the same thing
        raise TransitionNotAllowed(
            "You follow this again already, with a newer subscription.", current_status="unsubscribed"
        ) from None
    return subscription


def subscriber_set_schedule(*, subscriber: Subscriber, now: datetime, tz: str | None = None,
                            digest_hour: int | None = None) -> Subscriber:
    """The subscriber's zone and digest hour (theirs, not one subscription's):
    checked like subscription_create checks them, and the digests already on
    the calendar move to the new hour."""
    require_aware(now)
    errors: dict[str, list[str]] = {}
    fields = {}
    if tz is not None:
        collect(errors, "tz", lambda: zone(tz))
        fields["tz"] = tz
    if digest_hour is not None:
        if isinstance(digest_hour, bool) or not isinstance(digest_hour, int) or not 0 <= digest_hour <= 23:
            errors["digest_hour"] = ["An hour from 0 to 23."]
        fields["digest_hour"] = digest_hour
    if errors:
        raise InvalidInput("The schedule cannot be changed as asked.", fields=errors)
    changed = {name: value for name, value in fields.items() if getattr(subscriber, name) != value}
    if not changed:
        return subscriber
    with transaction.atomic():
        Subscriber.objects.filter(pk=subscriber.pk).update(**changed)
        for name, value in changed.items():
            setattr(subscriber, name, value)
        for endpoint in subscriber.endpoints.filter(next_digest_at__isnull=False):
            schedule_digest(endpoint, now=now)
    return subscriber


# -- Helpers -----------------------------------------------------------------------

def _after_activation(subscription: Subscription, *, now: datetime) -> None:
    """A subscription that starts (or changes) receiving: due rows for the
    items it covers that are still ahead, and a digest on its endpoints'
    calendar if it is a digest one."""
    if subscription.wants_reminders and subscription.lead_times:
        for item in items_covered_by(subscription, now=now):
            reminders_ensure(item=item, leads=subscription.leads, now=now)
    if subscription.cadence == Subscription.Cadence.DIGEST:
        endpoints = Endpoint.objects.filter(pk__in=subscription.endpoint_ids(), next_digest_at__isnull=True)
        for endpoint in endpoints.select_related("subscriber"):
            schedule_digest(endpoint, now=now)


def _subscriber(*, user, email: str, now: datetime) -> Subscriber:
    if user is not None:
        subscriber = Subscriber.objects.filter(user=user).first()
        if subscriber is not None:
            if email and not subscriber.email:
                Subscriber.objects.filter(pk=subscriber.pk).update(email=email)
                subscriber.email = email
            return subscriber
        # An account takes over the email-only subscriber of its own address,
        # so the two never become two endpoints for one inbox.
        if email:
            subscriber = Subscriber.objects.select_for_update().filter(email=email, user__isnull=True).first()
            if subscriber is not None:
                Subscriber.objects.filter(pk=subscriber.pk).update(user=user)
                subscriber.user = user
                return subscriber
        return Subscriber.objects.create(user=user, email=email, created_at=now)
    subscriber = Subscriber.objects.filter(email=email).first()
    return subscriber or Subscriber.objects.create(email=email, created_at=now)


def _endpoint(subscriber: Subscriber, kind: str, address: str, now: datetime) -> Endpoint:
    endpoint = Endpoint.objects.filter(subscriber=subscriber, kind=kind, address=address).first()
    return endpoint or Endpoint.objects.create(subscriber=subscriber, kind=kind, address=address, created_at=now)
