"""A milestone with a short lead time: its reminder arrives once by email
(through a real SMTP server) and once by signed webhook (through a real HTTP
receiver), sent by a real worker; and until it is due, nothing waits for it in
the broker: the reminder is a database row."""

from datetime import datetime, timedelta

import pytest

from tests.builders import make_milestone, make_storyline, time_when
from tests.integration.support import (
    broker_messages, dispatch, text_of, verified, wait_changes_processed, wait_for_arrivals, wait_for_idle_broker,
    wait_until,
)
from watch import services, tasks
from watch.models import Delivery, ReminderDue

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TITLE = "First meeting of the Gaza Board of Peace"
EMAIL = "desk@example.org"


def test_the_reminder_arrives_once_by_email_and_by_verifiable_webhook(
    clock, celery_on_redis, published, mailbox, receiver
):
    opens = clock + timedelta(hours=3)
    milestone = make_milestone(
        now=clock, when=time_when(opens, tz="Europe/Zurich", text="on Friday at the forum"), title=TITLE,
        summary="Chaired by Trump, at the World Economic Forum in Davos.", storylines=[make_storyline()],
    )
    wait_changes_processed()  # its "new item" news, before anyone follows it
    subscribed = services.subscription_create(
        now=clock, email=EMAIL, item=milestone, webhook_url=receiver.url("/ok/desk"), lead_times=["1h"],
        confirmed=True,
    )
    secret = subscribed.webhook_secret
    assert secret and secret.startswith("whsec_")

    # Scheduled: one due row in the database, nothing in the broker.
    [due] = ReminderDue.objects.filter(item=milestone, state=ReminderDue.State.PENDING)
    assert due.due_at == opens - timedelta(hours=1)
    wait_for_idle_broker(celery_on_redis)
    assert broker_messages(celery_on_redis) == []
    assert published and all(m["eta"] is None and m["countdown"] is None for m in published)

    # Not yet due: firing a minute early sends nothing.
    tasks.fire_reminders.delay(now=(due.due_at - timedelta(minutes=1)).isoformat())
    wait_for_idle_broker(celery_on_redis)
    assert not Delivery.objects.exists()

    # Due: the sweep fires it (in this process, so that the dispatch below is
    # the only one: the task would hand its deliveries to the worker itself),
    # and a dispatch hands them out in one batch message.
    fire_at = due.due_at + timedelta(seconds=1)
    assert services.fire_due_reminders(now=fire_at, limit=100).fired == 1
    assert Delivery.objects.count() == 2
    claimed, messages = dispatch(fire_at, published)
    assert claimed == 2
    assert [m["task"] for m in messages] == ["watch.tasks.deliver_batch"]  # one message for the batch
    [(ids, *_)] = [m["args"] for m in messages]
    assert sorted(ids) == sorted(Delivery.objects.values_list("pk", flat=True))  # each delivery once
    assert all(m["eta"] is None and m["queue"] == "delivery" for m in messages)

    wait_for_arrivals(celery_on_redis, mailbox, receiver, emails=1, webhooks=1,
                      what="the reminder by email and by webhook")

    email_delivery = Delivery.objects.get(channel="email")
    webhook_delivery = Delivery.objects.get(channel="webhook")
    assert {email_delivery.state, webhook_delivery.state} == {Delivery.State.SENT}

    [message] = mailbox.messages(to=EMAIL)
    assert message["Subject"] == f"Reminder: in 1 hour: {TITLE}"
    assert email_delivery.public_id in message["Message-ID"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert TITLE in text_of(message)

    [request] = receiver.requests
    assert request.webhook_id == webhook_delivery.public_id
    payload = verified(request, secret)  # raises unless the signature verifies
    assert payload["type"] == "milestone.reminder"
    assert payload["id"] == webhook_delivery.public_id
    data = payload["data"]
    assert data["item"]["public_id"] == str(milestone.public_id)
    assert data["item"]["title"] == TITLE
    assert data["item"]["schedule_version"] == milestone.schedule_version
    assert datetime.fromisoformat(data["when"]["start"]) == milestone.when_start == opens
    assert datetime.fromisoformat(data["when"]["end"]) == milestone.when_end

    # Once: the sweeps running again, later, send nothing more.
    later = fire_at + timedelta(minutes=5)
    tasks.fire_reminders.delay(now=later.isoformat())
    tasks.dispatch_deliveries.delay(now=later.isoformat())
    wait_for_idle_broker(celery_on_redis)
    assert dispatch(later, published)[0] == 0
    wait_for_idle_broker(celery_on_redis)
    assert (mailbox.count(), receiver.count()) == (1, 1)
    assert ReminderDue.objects.get(pk=due.pk).state == ReminderDue.State.FIRED
