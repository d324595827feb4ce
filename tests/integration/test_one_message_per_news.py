"""A person who follows a storyline, an actor and the item itself gets one
message per piece of news on each channel: one email and one webhook call,
not three of each."""

from datetime import timedelta

import pytest

from tests.builders import make_actor, make_milestone, make_storyline, time_when
from tests.integration.support import (
    dispatch, verified, wait_changes_processed, wait_for_arrivals, wait_for_idle_broker, wait_until,
)
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services, tasks
from watch.models import Endpoint, Notification, ReminderDue

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TITLE = "Netanyahu and Trump meet at Mar-a-Lago"
EMAIL = "reporter@example.org"


def test_three_matching_subscriptions_make_one_message_per_news_and_channel(
    clock, celery_on_redis, published, mailbox, receiver
):
    storyline = make_storyline("Gaza ceasefire")
    actor = make_actor("Benjamin Netanyahu")
    opens = clock + timedelta(hours=6)
    milestone = make_milestone(now=clock, when=time_when(opens), title=TITLE, storylines=[storyline], actors=[actor])
    wait_changes_processed()

    hook = receiver.url("/ok/reporter")
    secrets = [
        services.subscription_create(
            now=clock, email=EMAIL, webhook_url=hook, lead_times=["2h"], confirmed=True, **target,
        ).webhook_secret
        for target in ({"storyline": storyline}, {"actor": actor}, {"item": milestone})
    ]
    secret = secrets[0]  # one endpoint: the secret is shown when it is created, once
    assert secrets[1:] == [None, None]
    assert Endpoint.objects.filter(kind="email").count() == Endpoint.objects.filter(kind="webhook").count() == 1
    assert ReminderDue.objects.filter(item=milestone, state=ReminderDue.State.PENDING).count() == 1

    # News: the milestone is confirmed.
    timeline.milestone_confirm(milestone=milestone, by=SYSTEM, now=clock + timedelta(minutes=1))
    wait_for_arrivals(celery_on_redis, mailbox, receiver, emails=1, webhooks=1,
                      what="the confirmation by email and by webhook")

    # News: its reminder comes due.
    fire_at = opens - timedelta(hours=2) + timedelta(seconds=1)
    tasks.fire_reminders.delay(now=fire_at.isoformat())
    wait_until(lambda: Notification.objects.filter(kind="reminder").count() == 2, timeout=30,
               what="the worker to fire the reminder")
    dispatch(fire_at, published)
    wait_for_arrivals(celery_on_redis, mailbox, receiver, emails=2, webhooks=2,
                      what="the reminder by email and by webhook")
    wait_changes_processed()
    wait_for_idle_broker(celery_on_redis)

    assert [m["Subject"] for m in mailbox.messages(to=EMAIL)] == [f"Confirmed: {TITLE}", f"Reminder: in 2 hours: {TITLE}"]
    assert [verified(r, secret)["type"] for r in receiver.requests] == ["item.confirmed", "milestone.reminder"]
    assert len({r.webhook_id for r in receiver.requests}) == 2
    # One notification per (endpoint, news): two endpoints, two pieces of news.
    assert Notification.objects.count() == 4
    assert sorted(Notification.objects.values_list("endpoint__kind", "kind")) == [
        ("email", "confirmed"), ("email", "reminder"), ("webhook", "confirmed"), ("webhook", "reminder"),
    ]
