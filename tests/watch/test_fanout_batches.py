"""The fan-out writes an audience in bounded batches: every recipient once,
whatever the batch size, wherever a crash stops it, and however a person's
subscriptions overlap."""

from datetime import date, timedelta

import pytest
from django.db import transaction

from tests.builders import day_when, make_actor, make_milestone, make_storyline
from tests.watch.support import subscribe
from watch import services
from watch.models import Delivery, Endpoint, Fanout, Notification, Subscription
from watch.services.fanout import Announcement, fanout_batch, fanout_sweep, fanouts_open

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("loopback_webhooks")]

READERS = 7


@pytest.fixture
def milestone(now):
    storyline = make_storyline(slug="gaza-ceasefire")
    actor = make_actor(slug="donald-trump")
    item = make_milestone(now=now, when=day_when(date(2027, 1, 23), tz="Europe/Zurich"),
                          storylines=[storyline], actors=[actor])
    services.process_changes(now=now)  # the "created" news, before anyone followed it
    return item


def moved(item, cause="change:test") -> Announcement:
    return Announcement(item_id=item.pk, cause=cause, kind="moved", news="moves", schedule_version=1,
                        headline=f"Moved: {item.title}")


def readers(now, count=READERS, **target):
    target = target or {"storyline": "gaza-ceasefire"}
    return [subscribe(f"reader{n}@example.org", now=now, **target) for n in range(count)]


def written():
    return sorted(Notification.objects.values_list("endpoint__address", flat=True))


def test_batches_of_three_write_seven_readers_once_each(milestone, now):
    readers(now)
    [fanout_id] = fanouts_open([moved(milestone)], now=now)

    taken = []
    for _ in range(5):
        with transaction.atomic():
            result = fanout_batch([fanout_id], now=now, limit=3)
        taken.append(result.notifications)
        if not result.unfinished:
            break

    assert taken == [3, 3, 1]
    assert written() == sorted(f"reader{n}@example.org" for n in range(READERS))
    assert Delivery.objects.count() == READERS
    fanout = Fanout.objects.get(pk=fanout_id)
    assert fanout.finished_at == now
    assert fanout.cursor == Endpoint.objects.order_by("-id").values_list("id", flat=True).first()
    # Finished: another batch writes nothing.
    with transaction.atomic():
        assert fanout_batch([fanout_id], now=now, limit=3) == services.FanOut()


def test_a_batch_that_crashes_is_written_again_from_the_last_committed_cursor(milestone, now):
    readers(now)
    [fanout_id] = fanouts_open([moved(milestone)], now=now)
    with transaction.atomic():
        fanout_batch([fanout_id], now=now, limit=3)
    cursor = Fanout.objects.get(pk=fanout_id).cursor

    class Crash(Exception):
        pass

    with pytest.raises(Crash), transaction.atomic():
        fanout_batch([fanout_id], now=now, limit=3)
        raise Crash  # the worker died before the batch committed

    assert Fanout.objects.get(pk=fanout_id).cursor == cursor
    assert Notification.objects.count() == 3 and Delivery.objects.count() == 3

    while fanout_sweep(now=now, limit=3).unfinished:
        pass
    assert written() == sorted(f"reader{n}@example.org" for n in range(READERS))
    assert Delivery.objects.count() == READERS
    assert Notification.objects.filter(delivery__isnull=True).count() == 0


def test_news_announced_twice_is_one_fanout_and_written_once(milestone, now):
    readers(now, count=3)
    first = fanouts_open([moved(milestone)], now=now)
    with transaction.atomic():
        fanout_batch(first, now=now)
    assert fanouts_open([moved(milestone)], now=now) == []  # finished: nothing more to do
    assert Fanout.objects.filter(cause="change:test").count() == 1
    assert Notification.objects.count() == 3 and Delivery.objects.count() == 3


@pytest.mark.parametrize("limit", [1, 2, 100])
def test_one_message_per_news_per_channel_whatever_the_overlap(milestone, now, limit):
    hook = "http://127.0.0.1:9/hook"
    # One person follows the storyline (digest), the actor (immediate, with a
    # webhook), the item and everything: one email and one webhook call, sent
    # at once, since an immediate subscription matches.
    subscribe("reader@example.org", now=now, storyline="gaza-ceasefire", cadence="digest")
    subscribe("reader@example.org", now=now, actor="donald-trump", webhook_url=hook)
    subscribe("reader@example.org", now=now, item=str(milestone.public_id))
    subscribe("reader@example.org", now=now, everything=True, cadence="digest")
    # Someone else only on digests: a notification waiting for the digest.
    subscribe("digest@example.org", now=now, storyline="gaza-ceasefire", cadence="digest")

    fanouts_open([moved(milestone)], now=now)
    while fanout_sweep(now=now, limit=limit).unfinished:
        pass

    rows = sorted(Notification.objects.values_list("endpoint__address", "endpoint__kind", "delivery__channel"))
    assert rows == [
        ("digest@example.org", "email", None),
        (hook, "webhook", "webhook"),
        ("reader@example.org", "email", "email"),
    ]
    assert Delivery.objects.count() == 2


def test_a_large_audience_does_not_hold_back_a_small_one(milestone, now):
    readers(now, count=6)
    other = make_milestone(now=now, when=day_when(date(2027, 3, 1)), title="Small audience")
    subscribe("solo@example.org", now=now, item=str(other.public_id))
    big, small = fanouts_open([moved(milestone, "change:big"), moved(other, "change:small")], now=now)

    with transaction.atomic():
        fanout_batch([big, small], now=now, limit=3)

    assert Fanout.objects.get(pk=small).finished_at == now
    assert Fanout.objects.get(pk=big).finished_at is None
    assert Notification.objects.filter(item=other).count() == 1
    assert Notification.objects.filter(item=milestone).count() == 2


def test_unsubscribed_unconfirmed_and_unwanted_hear_nothing(milestone, now):
    subscribe("gone@example.org", now=now, storyline="gaza-ceasefire")
    subscribe("pending@example.org", now=now, storyline="gaza-ceasefire", confirmed=False)
    subscribe("no-moves@example.org", now=now, storyline="gaza-ceasefire", news=["verdicts"])
    subscribe("reader@example.org", now=now, storyline="gaza-ceasefire")
    Subscription.objects.filter(subscriber__email="gone@example.org").update(unsubscribed_at=now)

    fanouts_open([moved(milestone)], now=now)
    fanout_sweep(now=now)

    assert written() == ["reader@example.org"]


def test_a_reminder_reaches_only_subscriptions_with_that_lead_time(milestone, now):
    subscribe("week@example.org", now=now, storyline="gaza-ceasefire", lead_times=["7d"])
    subscribe("day@example.org", now=now, storyline="gaza-ceasefire", lead_times=["1d"])
    fanouts_open([Announcement(item_id=milestone.pk, cause="reminder:v1:604800s", kind="reminder",
                               news="reminders", schedule_version=1, headline="Reminder",
                               lead=timedelta(days=7))], now=now)
    fanout_sweep(now=now)

    assert written() == ["week@example.org"]
    assert Notification.objects.get().lead == timedelta(days=7)
