"""A subscription's private calendar: /feeds/s/<token>.ics.

What the subscription follows (a storyline, an actor, one item, everything
public), as the public feeds show it (timeline.feeds: the same entries, the
same ETag and 304s), plus a VALARM per reminder lead time of the
subscription, at the moment its reminder email would be due
(watch.services.reminders.reminder_due_at: 09:00 in the item's zone for a
day-or-coarser window), so a calendar that reads alarms reminds as the
emails do. Alarms go only into private feeds: the public ones cannot know
anyone's lead times.

The token opens this one subscription's calendar and nothing else; an
unknown, rotated or revoked token, or a subscription that ended or was never
confirmed, answers 404 alike, so a guess learns nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.views.decorators.http import require_safe

from core.clock import request_now
from timeline.feeds import entries as feed_entries
from timeline.feeds.http import calendar_response
from timeline.feeds.ical import Reminder
from timeline.feeds.selectors import calendar_items, feed_validators, items_with_actor, with_entry_relations
from timeline.models import Item
from timeline.selectors import items_in_storyline

from .models import Subscription
from .services import describe_lead, has_reminders, reminder_due_at

Target = Subscription.Target


def subscription_by_feed_token(token: str) -> Subscription | None:
    """The active subscription this token opens, if any."""
    if not token or len(token) > 64:
        return None
    return (Subscription.objects.select_related("storyline", "actor", "item")
            .filter(feed_token=token, confirmed_at__isnull=False, unsubscribed_at__isnull=True).first())


def items_followed(subscription: Subscription) -> QuerySet:
    if subscription.target == Target.STORYLINE:
        return items_in_storyline(subscription.storyline)
    if subscription.target == Target.ACTOR:
        return items_with_actor(subscription.actor)
    if subscription.target == Target.ITEM:
        return Item.objects.filter(pk=subscription.item_id)
    return Item.objects.all()


def reminders_for(item: Item, subscription: Subscription) -> tuple[Reminder, ...]:
    if not subscription.wants_reminders or not has_reminders(item):
        return ()
    alarms = []
    for lead in subscription.leads:
        due_at = reminder_due_at(item, lead)
        if due_at is not None:
            alarms.append(Reminder(at=due_at, description=f"In {describe_lead(lead)}: {item.title}"))
    return tuple(alarms)


@require_safe
def subscription_ics(request, token: str):
    subscription = subscription_by_feed_token(token)
    if subscription is None:
        raise Http404("No calendar here.")
    now = request_now(request)
    scope = items_followed(subscription)
    # What the alarms depend on besides the items: the bytes change with them.
    key = ("subscription", subscription.pk, tuple(subscription.lead_times), subscription.wants_reminders,
           settings.FW_REMINDER_HOUR)
    validators = feed_validators(scope, now=now, params=key)

    def build():
        items = with_entry_relations(calendar_items(scope, now=now))
        made = (feed_entries.item_entry(item, reminders=reminders_for(item, subscription)) for item in items)
        return [entry for entry in made if entry is not None]

    return calendar_response(request, validators=validators, entries=build, private=True,
                             name=f"{subscription.target_label} · Forecast Watch (yours)",
                             filename="forecast-watch-private")
