"""Firing due reminders: fan-out to the subscriptions active at that moment
that want that lead time; after downtime only the latest missed lead time of
an item is sent, and none once its window has opened."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import send_due, subscribe
from watch import services
from watch.models import Notification, ReminderDue

pytestmark = pytest.mark.django_db

ZURICH = ZoneInfo("Europe/Zurich")
DAY, WEEK = timedelta(days=1), timedelta(days=7)
WEEK_BEFORE = datetime(2027, 1, 16, 9, 0, tzinfo=ZURICH)
DAY_BEFORE = datetime(2027, 1, 22, 9, 0, tzinfo=ZURICH)


@pytest.fixture
def davos(now):
    storyline = make_storyline(slug="gaza-ceasefire")
    item = make_milestone(now=now, when=day_when(date(2027, 1, 23), tz="Europe/Zurich"), storylines=[storyline],
                          title="Board of Peace meets at Davos")
    services.process_changes(now=now)
    return item


def states(item):
    return {row.lead: row.state for row in ReminderDue.objects.filter(item_id=item.pk)}


def test_each_lead_fires_at_its_time_to_the_subscriptions_wanting_it(davos, now, email_channel):
    subscribe("week-and-day@example.org", now=now, storyline="gaza-ceasefire", lead_times=["7d", "1d"])
    subscribe("day-only@example.org", now=now, storyline="gaza-ceasefire", lead_times=["1d"])

    assert services.fire_due_reminders(now=WEEK_BEFORE - timedelta(minutes=1)).fired == 0
    assert services.fire_due_reminders(now=WEEK_BEFORE).fired == 1
    send_due(WEEK_BEFORE)
    assert [o.address for o in email_channel.sent] == ["week-and-day@example.org"]
    assert email_channel.sent[0].news[0].headline == "Reminder: in 1 week: Board of Peace meets at Davos"
    assert email_channel.sent[0].news[0].cause == "reminder"

    assert services.fire_due_reminders(now=DAY_BEFORE).fired == 1
    send_due(DAY_BEFORE)
    assert sorted(o.address for o in email_channel.sent[1:]) == ["day-only@example.org", "week-and-day@example.org"]
    assert states(davos) == {WEEK: "fired", DAY: "fired"}


def test_after_downtime_only_the_latest_missed_lead_is_sent(davos, now, email_channel):
    subscribe(now=now, storyline="gaza-ceasefire")  # 7 days and 1 day

    # Nothing ran from before the week-ahead reminder until after the day-ahead one.
    back = DAY_BEFORE + timedelta(hours=3)
    result = services.fire_due_reminders(now=back)
    send_due(back)

    assert (result.fired, result.skipped) == (1, 1)
    assert states(davos) == {WEEK: "skipped", DAY: "fired"}
    assert [n.headline for o in email_channel.sent for n in o.news] == [
        "Reminder: in 1 day: Board of Peace meets at Davos"
    ]


def test_none_is_sent_once_the_window_has_opened(davos, now, email_channel):
    subscribe(now=now, storyline="gaza-ceasefire")

    result = services.fire_due_reminders(now=datetime(2027, 1, 23, 8, 0, tzinfo=ZURICH))

    assert (result.fired, result.skipped) == (0, 2)
    assert states(davos) == {WEEK: "skipped", DAY: "skipped"}
    assert not Notification.objects.exists()


def test_fan_out_reads_the_subscriptions_active_when_it_fires(davos, now):
    early = subscribe("early@example.org", now=now, storyline="gaza-ceasefire", lead_times=["1d"])
    services.subscription_unsubscribe(subscription=early, now=now)
    subscribe("late@example.org", now=DAY_BEFORE - timedelta(hours=1), storyline="gaza-ceasefire", lead_times=["1d"])

    services.fire_due_reminders(now=DAY_BEFORE)

    assert list(Notification.objects.values_list("endpoint__address", flat=True)) == ["late@example.org"]


def test_firing_twice_sends_once(davos, now):
    subscribe(now=now, storyline="gaza-ceasefire", lead_times=["1d"])
    services.fire_due_reminders(now=DAY_BEFORE)
    services.fire_due_reminders(now=DAY_BEFORE + timedelta(minutes=1))
    assert Notification.objects.count() == 1
    cause = Notification.objects.get().cause
    assert cause == f"reminder:v{davos.schedule_version}:86400s"
