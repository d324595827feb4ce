"""Just before sending, the worker re-checks each notification: some active
subscription of that endpoint must still cover the item and that kind of news,
and the schedule version must be current; otherwise the delivery is withdrawn,
with the reason recorded."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.builders import day_when, make_milestone, make_storyline, time_when
from tests.watch.support import send_due, subscribe
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services
from watch.models import Delivery, Notification

pytestmark = pytest.mark.django_db

ZURICH = ZoneInfo("Europe/Zurich")


@pytest.fixture
def davos(now):
    storyline = make_storyline(slug="gaza-ceasefire")
    item = make_milestone(now=now, when=day_when(date(2027, 1, 23), tz="Europe/Zurich"), storylines=[storyline])
    services.process_changes(now=now)
    return item


def test_withdrawn_when_the_subscription_was_cancelled_before_sending(davos, now, email_channel):
    subscription = subscribe(now=now, storyline="gaza-ceasefire")
    timeline.milestone_confirm(milestone=davos, by=SYSTEM, now=now)
    services.process_changes(now=now)
    services.subscription_unsubscribe(subscription=subscription, now=now)

    assert send_due(now) == ["withdrawn"]
    delivery = Delivery.objects.get()
    assert "No active subscription of this endpoint covers the item" in delivery.withdrawn_reason
    assert email_channel.attempts == []


def test_withdrawn_when_the_subscription_no_longer_wants_that_news(davos, now, email_channel):
    subscription = subscribe(now=now, storyline="gaza-ceasefire")
    timeline.milestone_confirm(milestone=davos, by=SYSTEM, now=now)
    services.process_changes(now=now)
    services.subscription_update(subscription=subscription, now=now, news=["verdicts"])

    assert send_due(now) == ["withdrawn"]
    assert email_channel.attempts == []


def test_another_subscription_still_covering_the_item_keeps_it(davos, now, email_channel):
    by_storyline = subscribe(now=now, storyline="gaza-ceasefire")
    subscribe(now=now, item=str(davos.public_id))
    timeline.milestone_confirm(milestone=davos, by=SYSTEM, now=now)
    services.process_changes(now=now)
    services.subscription_unsubscribe(subscription=by_storyline, now=now)

    assert send_due(now) == ["sent"]


def test_a_reminder_for_a_date_that_moved_is_withdrawn(davos, now, email_channel):
    subscribe(now=now, storyline="gaza-ceasefire", lead_times=["1d"], news=["reminders"])
    fire_at = datetime(2027, 1, 22, 9, 0, tzinfo=ZURICH)
    services.fire_due_reminders(now=fire_at)
    # Postponed between the reminder firing and the worker sending it.
    timeline.milestone_postpone(milestone=davos, by=SYSTEM, now=fire_at, when=day_when(date(2027, 2, 6)), reason="x")

    assert send_due(fire_at) == ["withdrawn"]
    delivery = Delivery.objects.get()
    assert "schedule version" in delivery.withdrawn_reason
    assert Notification.objects.get().withdrawn_reason == delivery.withdrawn_reason
    assert email_channel.attempts == []


def test_a_reminder_whose_lead_the_subscriber_dropped_is_withdrawn(davos, now, email_channel):
    subscription = subscribe(now=now, storyline="gaza-ceasefire", lead_times=["1d"])
    fire_at = datetime(2027, 1, 22, 9, 0, tzinfo=ZURICH)
    services.fire_due_reminders(now=fire_at)
    services.subscription_update(subscription=subscription, now=fire_at, lead_times=["2d"])

    assert send_due(fire_at) == ["withdrawn"]


def test_what_is_sent_describes_the_item_for_this_recipient(davos, now, email_channel, webhook_channel,
                                                           loopback_webhooks):
    services.subscription_create(now=now, email="reader@example.org", storyline="gaza-ceasefire", tz="America/New_York",
                                 webhook_url="http://127.0.0.1:9/hook", confirmed=True)
    timeline.milestone_confirm(milestone=davos, by=SYSTEM, now=now, public_note="The WEF published its programme.")
    services.process_changes(now=now)

    assert sorted(send_due(now)) == ["sent", "sent"]
    [mail] = email_channel.sent
    [news] = mail.news
    assert (news.cause, news.headline, news.detail) == (
        "confirmed", f"Confirmed: {davos.title}", "The WEF published its programme."
    )
    assert news.when_display == "23 Jan 2027"  # a day stays in the item's zone, whoever reads it
    assert news.item_public_id == str(davos.public_id)
    assert news.schedule_version == Notification.objects.first().schedule_version
    assert mail.recipient_tz == "America/New_York"
    assert "/watch/unsubscribe/" in mail.unsubscribe_url and "/watch/manage/" in mail.manage_url
    assert mail.webhook_secrets == ()
    [hook] = webhook_channel.sent
    assert hook.address == "http://127.0.0.1:9/hook"
    assert len(hook.webhook_secrets) == 1 and hook.webhook_secrets[0].startswith("whsec_")
    assert hook.unsubscribe_url == ""
    assert hook.delivery_id != mail.delivery_id


def test_an_exact_time_is_shown_in_the_recipient_zone(now, email_channel):
    storyline = make_storyline(slug="timed")
    start = datetime(2027, 1, 23, 14, 30, tzinfo=ZURICH)
    item = make_milestone(now=now, when=time_when(start, tz="Europe/Zurich"), storylines=[storyline])
    services.subscription_create(now=now, email="ny@example.org", storyline="timed", tz="America/New_York",
                                 confirmed=True, news=["moves"])
    timeline.milestone_confirm(milestone=item, by=SYSTEM, now=now)
    services.process_changes(now=now)
    send_due(now)

    assert email_channel.sent[0].news[0].when_display == "23 Jan 2027, 08:30 EST"


def test_a_digest_drops_only_what_is_no_longer_wanted(now, email_channel):
    storyline = make_storyline(slug="digest")
    kept = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline])
    moved = make_milestone(now=now, when=day_when(date(2027, 1, 24)), storylines=[storyline])
    services.subscription_create(now=now, email="d@example.org", storyline="digest", digest_hour=8,
                                 cadence="digest", confirmed=True, news=["moves"])
    services.process_changes(now=now)
    for milestone in (kept, moved):
        timeline.milestone_confirm(milestone=milestone, by=SYSTEM, now=now)
    services.process_changes(now=now)
    timeline.milestone_postpone(milestone=moved, by=SYSTEM, now=now, when=day_when(date(2027, 3, 1)), reason="x")
    services.process_changes(now=now)

    next_morning = now + timedelta(days=1)
    services.send_digests(now=next_morning)
    assert send_due(next_morning) == ["sent"]
    headlines = [n.headline for n in email_channel.sent[0].news]
    assert headlines == [f"Confirmed: {kept.title}", f"Moved: {moved.title}"]
    assert Notification.objects.get(kind="confirmed", item_id=moved.pk).withdrawn_reason
