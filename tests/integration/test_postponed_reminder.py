"""A milestone postponed before its reminder: the old reminder never arrives,
one "moved" notice does, and the reminder comes at the new time, about the
new schedule version."""

from datetime import datetime, timedelta

import pytest

from tests.builders import make_milestone, time_when
from tests.factories import make_editor
from tests.integration.support import (
    dispatch, verified, wait_changes_processed, wait_for_arrivals, wait_for_idle_broker, wait_until,
)
from timeline import services as timeline
from watch import services, tasks
from watch.models import ReminderDue

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TITLE = "Trump announces phase two of the Gaza ceasefire"
EMAIL = "planning@example.org"


def test_postponing_withdraws_the_old_reminder_and_sends_one_moved_notice_then_the_new_reminder(
    clock, celery_on_redis, published, mailbox, receiver
):
    editor = make_editor()
    first = clock + timedelta(hours=3)
    milestone = make_milestone(now=clock, when=time_when(first, text="at 3 pm"), title=TITLE)
    wait_changes_processed()
    secret = services.subscription_create(
        now=clock, email=EMAIL, item=milestone, webhook_url=receiver.url("/ok/planning"), lead_times=["1h"],
        confirmed=True,
    ).webhook_secret
    [old_due] = ReminderDue.objects.filter(item=milestone, state=ReminderDue.State.PENDING)
    assert old_due.due_at == first - timedelta(hours=1)

    # The editor moves it two hours later; the worker hears of it on commit.
    second = first + timedelta(hours=2)
    timeline.milestone_postpone(milestone=milestone, by=editor, now=clock + timedelta(minutes=1),
                                when=time_when(second, text="at 5 pm"), reason="The White House moved it.")
    wait_for_arrivals(celery_on_redis, mailbox, receiver, emails=1, webhooks=1,
                      what="one 'moved' notice by email and by webhook")
    [moved_mail] = mailbox.messages(to=EMAIL)
    assert moved_mail["Subject"] == f"Moved: {TITLE}"
    moved = verified(receiver.requests[0], secret)
    assert moved["type"] == "item.moved"
    assert moved["data"]["item"]["schedule_version"] == milestone.schedule_version
    assert datetime.fromisoformat(moved["data"]["when"]["start"]) == second

    old_due.refresh_from_db()
    assert old_due.state == ReminderDue.State.WITHDRAWN
    [new_due] = ReminderDue.objects.filter(item=milestone, state=ReminderDue.State.PENDING)
    assert new_due.due_at == second - timedelta(hours=1)
    assert new_due.schedule_version == milestone.schedule_version > old_due.schedule_version

    # Past the old fire time: nothing.
    past_old = old_due.due_at + timedelta(seconds=30)
    tasks.fire_reminders.delay(now=past_old.isoformat())
    wait_for_idle_broker(celery_on_redis)
    assert dispatch(past_old, published)[0] == 0
    wait_for_idle_broker(celery_on_redis)
    assert (mailbox.count(), receiver.count()) == (1, 1)

    # Past the new one: the reminder, about the new schedule.
    past_new = new_due.due_at + timedelta(seconds=30)
    # The worker fires it and hands the deliveries out at that same moment.
    tasks.fire_reminders.delay(now=past_new.isoformat())
    wait_until(lambda: ReminderDue.objects.get(pk=new_due.pk).state == ReminderDue.State.FIRED, timeout=30,
               what="the worker to fire the new reminder")
    wait_for_arrivals(celery_on_redis, mailbox, receiver, emails=2, webhooks=2,
                      what="the new reminder by email and by webhook")

    reminder_mail = mailbox.messages(to=EMAIL)[1]
    assert reminder_mail["Subject"] == f"Reminder: in 1 hour: {TITLE}"
    reminder = verified(receiver.requests[1], secret)
    assert reminder["type"] == "milestone.reminder"
    assert reminder["data"]["item"]["schedule_version"] == milestone.schedule_version
    assert datetime.fromisoformat(reminder["data"]["when"]["start"]) == second
    # The old reminder never arrived, on either channel.
    assert [r.json()["type"] for r in receiver.requests] == ["item.moved", "milestone.reminder"]
    assert [m["Subject"].split(":")[0] for m in mailbox.messages()] == ["Moved", "Reminder"]
