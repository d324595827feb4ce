"""The daily digest: one delivery per endpoint at the subscriber's hour in the
subscriber's zone, gathering everything owed since the last one; where an
immediate and a digest subscription both match, immediate wins."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.builders import day_when, make_actor, make_milestone, make_storyline
from tests.watch.support import send_due, subscribe
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services
from watch.models import Delivery, Endpoint, Notification

pytestmark = pytest.mark.django_db

ZURICH = ZoneInfo("Europe/Zurich")


@pytest.fixture
def items(now):
    storyline = make_storyline(slug="gaza-ceasefire")
    actor = make_actor(slug="donald-trump")
    made = [
        make_milestone(now=now, when=day_when(date(2027, 1, 20 + n), tz="Europe/Zurich"), storylines=[storyline],
                       actors=[actor] if n == 0 else [])
        for n in range(3)
    ]
    services.process_changes(now=now)
    return made


def digest_subscribe(now, **target):
    return services.subscription_create(
        now=now, email="night@example.org", cadence="digest", digest_hour=7, tz="Europe/Zurich", confirmed=True,
        news=["moves"], **target,
    ).subscription


def confirm_all(items, now):
    for item in items:
        timeline.milestone_confirm(milestone=item, by=SYSTEM, now=now)
    services.process_changes(now=now)


def test_the_digest_is_due_at_the_subscribers_hour_in_their_zone(items, now):
    digest_subscribe(now, storyline="gaza-ceasefire")  # now is 2026-11-25 12:00 UTC = 13:00 Zurich
    endpoint = Endpoint.objects.get()
    assert endpoint.next_digest_at == datetime(2026, 11, 26, 7, 0, tzinfo=ZURICH)
    assert services.next_digest_at(endpoint.subscriber, after=datetime(2027, 3, 28, 4, 59, tzinfo=ZoneInfo("UTC"))) \
        == datetime(2027, 3, 28, 7, 0, tzinfo=ZURICH)  # the DST morning: still 07:00 local


def test_news_waits_for_the_digest_and_goes_out_in_one_delivery(items, now, email_channel):
    digest_subscribe(now, storyline="gaza-ceasefire")
    confirm_all(items, now)

    assert Delivery.objects.count() == 0
    assert Notification.objects.filter(delivery__isnull=True).count() == 3

    morning = datetime(2026, 11, 26, 7, 0, tzinfo=ZURICH)
    assert services.send_digests(now=morning - timedelta(minutes=1)) == 0
    assert services.send_digests(now=morning) == 1
    assert services.send_digests(now=morning) == 0  # once per day, however often the sweep runs

    assert send_due(morning) == ["sent"]
    [digest] = email_channel.sent
    assert digest.is_digest
    assert [n.headline for n in digest.news] == [f"Confirmed: {item.title}" for item in items]
    assert Endpoint.objects.get().next_digest_at == datetime(2026, 11, 27, 7, 0, tzinfo=ZURICH)


def test_the_next_digest_holds_only_what_came_since(items, now, email_channel):
    digest_subscribe(now, storyline="gaza-ceasefire")
    confirm_all(items[:2], now)
    first_morning = datetime(2026, 11, 26, 7, 0, tzinfo=ZURICH)
    services.send_digests(now=first_morning)
    send_due(first_morning)

    confirm_all(items[2:], first_morning + timedelta(hours=1))
    second_morning = first_morning + timedelta(days=1)
    services.send_digests(now=second_morning)
    send_due(second_morning)

    assert [len(o.news) for o in email_channel.sent] == [2, 1]
    assert email_channel.sent[1].news[0].item_public_id == str(items[2].public_id)


def test_a_day_without_news_sends_no_digest(items, now, email_channel):
    digest_subscribe(now, storyline="gaza-ceasefire")
    services.send_digests(now=datetime(2026, 11, 26, 7, 0, tzinfo=ZURICH))
    assert not Delivery.objects.exists()


def test_immediate_wins_over_digest_for_the_same_endpoint(items, now, email_channel):
    digest_subscribe(now, storyline="gaza-ceasefire")
    subscribe("night@example.org", now=now, actor="donald-trump", news=["moves"])  # immediate, covers items[0]
    confirm_all(items, now)

    # items[0] goes out now, on its own...
    assert send_due(now) == ["sent"]
    assert [n.item_public_id for n in email_channel.sent[0].news] == [str(items[0].public_id)]
    # ...and the digest carries only the other two: no duplicate.
    morning = datetime(2026, 11, 26, 7, 0, tzinfo=ZURICH)
    services.send_digests(now=morning)
    send_due(morning)
    assert [n.item_public_id for n in email_channel.sent[1].news] == [str(i.public_id) for i in items[1:]]
    assert Notification.objects.count() == 3


def test_after_downtime_one_digest_gathers_everything_owed(items, now, email_channel):
    digest_subscribe(now, storyline="gaza-ceasefire")
    confirm_all(items, now)
    three_days_later = datetime(2026, 11, 29, 10, 0, tzinfo=ZURICH)

    assert services.send_digests(now=three_days_later) == 1
    send_due(three_days_later)
    assert len(email_channel.sent) == 1 and len(email_channel.sent[0].news) == 3
    assert Endpoint.objects.get().next_digest_at == datetime(2026, 11, 30, 7, 0, tzinfo=ZURICH)
