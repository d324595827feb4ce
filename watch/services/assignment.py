"""An item's assignee, as watch sees it: a subscription of the assignee's
email to the item, marked `via_assignment`, so the existing fan-out gives
them the item's reminders and news, and news.py's "due now" rule reaches
them alone. desk.services.assign calls these in the same transaction as the
assignment itself (timeline.services.item_assign), so the two never drift.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F

from core.clock import require_aware
from core.errors import InvalidInput
from timeline.models import Item

from ..models import Subscription
from .subscriptions import subscription_create


def _live_item_subscription(user: AbstractBaseUser, item: Item) -> Subscription | None:
    return (
        Subscription.objects.select_for_update()
        .filter(subscriber__user=user, target=Subscription.Target.ITEM, item=item, unsubscribed_at__isnull=True)
        .first()
    )


def assignment_follow(*, item: Item, user: AbstractBaseUser, now: datetime) -> Subscription:
    """The assignee follows the item by email. A subscription they already
    had keeps its own choices and is only flagged; otherwise a confirmed one
    is made (staff need no opt-in) with every kind of news and the default
    lead times. Safe to call twice."""
    require_aware(now)
    if not (user.email or "").strip():
        raise InvalidInput(
            f"{user.get_username()} has no email address, so could not receive the item's reminders.",
            fields={"assignee": ["Give this person an email address first."]},
        )
    with transaction.atomic():
        existing = _live_item_subscription(user, item)
        if existing is None:
            made = subscription_create(now=now, user=user, item=item, confirmed=True).subscription
            Subscription.objects.filter(pk=made.pk).update(
                via_assignment=True, made_by_assignment=True, updated_at=now, version=F("version") + 1,
            )
            made.refresh_from_db()
            return made
        if not existing.via_assignment:
            Subscription.objects.filter(pk=existing.pk).update(
                via_assignment=True, updated_at=now, version=F("version") + 1,
            )
            existing.refresh_from_db()
        return existing


def assignment_end(*, item: Item, user: AbstractBaseUser, now: datetime) -> bool:
    """The person is no longer the assignee: the subscription the assignment
    made ends; one they had made themselves stays, without the flag. Returns
    False when there was nothing to end."""
    require_aware(now)
    with transaction.atomic():
        existing = _live_item_subscription(user, item)
        if existing is None or not existing.via_assignment:
            return False
        ended = {"unsubscribed_at": now} if existing.made_by_assignment else {"via_assignment": False}
        Subscription.objects.filter(pk=existing.pk).update(**ended, updated_at=now, version=F("version") + 1)
        return True
