"""The private calendar of a subscription: its secret token, made, rotated
or revoked from the manage page.

The token is the whole credential (calendar apps cannot log in), so it is
random (256 bits), unique, and changed rather than reused: rotating gives a
new URL and the old one answers 404 from then on; revoking leaves none.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db.models import F
from django.urls import reverse

from core.clock import require_aware
from core.errors import TransitionNotAllowed

from ..models import Subscription


def _set_token(subscription: Subscription, token: str | None, now: datetime) -> None:
    require_aware(now)
    changed = Subscription.objects.filter(pk=subscription.pk, unsubscribed_at__isnull=True).update(
        feed_token=token, updated_at=now, version=F("version") + 1
    )
    if changed != 1:
        raise TransitionNotAllowed("This subscription has ended: it has no calendar any more.",
                                   current_status="unsubscribed")
    subscription.feed_token = token


def subscription_feed_rotate(*, subscription: Subscription, now: datetime) -> str:
    """A new secret for the subscription's calendar (the first, or in place of
    the old one, which stops working at once). Returns the token."""
    token = secrets.token_urlsafe(32)
    _set_token(subscription, token, now)
    return token


def subscription_feed_revoke(*, subscription: Subscription, now: datetime) -> None:
    """No calendar for this subscription until a new token is made."""
    _set_token(subscription, None, now)


def feed_link(subscription: Subscription) -> str:
    """The private calendar's URL, or "" when it has none."""
    if not subscription.feed_token:
        return ""
    return settings.SITE_URL + reverse("subscription-ics", kwargs={"token": subscription.feed_token})
