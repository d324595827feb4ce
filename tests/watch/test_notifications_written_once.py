"""The same news is written once per recipient endpoint, whatever runs twice
and however many of a person's subscriptions match."""

from datetime import date, timedelta

import pytest

from tests.builders import day_when, make_actor, make_milestone, make_storyline
from tests.watch.support import subscribe
from timeline import services as timeline
from timeline.models import SYSTEM, Change
from watch import services
from watch.models import Delivery, Endpoint, Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loopback_webhooks")]


@pytest.fixture
def milestone(now):
    storyline = make_storyline(slug="gaza-ceasefire")
    actor = make_actor(slug="donald-trump")
    item = make_milestone(now=now, when=day_when(date(2027, 1, 23), tz="Europe/Zurich"),
                          storylines=[storyline], actors=[actor])
    services.process_changes(now=now)  # the "created" news, before anyone followed it
    return item


def postpone(milestone, now):
    return timeline.milestone_postpone(milestone=milestone, by=SYSTEM, now=now,
                                       when=day_when(date(2027, 2, 6), tz="Europe/Zurich"), reason="Davos moved")


def test_storyline_actor_and_item_followers_get_one_notification_per_endpoint(milestone, now):
    for target in ({"storyline": "gaza-ceasefire"}, {"actor": "donald-trump"}, {"item": str(milestone.public_id)}):
        subscribe("reader@example.org", now=now, **target)

    postpone(milestone, now)
    services.process_changes(now=now)

    notifications = Notification.objects.filter(kind="moved")
    assert notifications.count() == 1
    assert Delivery.objects.count() == 1
    notification = notifications.get()
    assert notification.endpoint.address == "reader@example.org"
    assert notification.headline == f"Moved: {milestone.title}"


def test_email_and_webhook_are_one_notification_each(milestone, now):
    subscribe("reader@example.org", now=now, storyline="gaza-ceasefire", webhook_url="http://127.0.0.1:9/hook")
    subscribe("reader@example.org", now=now, actor="donald-trump", webhook_url="http://127.0.0.1:9/hook")

    postpone(milestone, now)
    services.process_changes(now=now)

    by_channel = sorted(Notification.objects.filter(kind="moved").values_list("endpoint__kind", flat=True))
    assert by_channel == [Endpoint.Kind.EMAIL, Endpoint.Kind.WEBHOOK]
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "webhook"]


def test_processing_twice_writes_nothing_more(milestone, now):
    subscribe("reader@example.org", now=now, storyline="gaza-ceasefire")
    subscribe("other@example.org", now=now, storyline="gaza-ceasefire")
    change = postpone(milestone, now).changes.latest("id")

    processed, written = services.process_changes(now=now)
    assert processed == 1 and written.notifications == 2 and written.deliveries == 2
    rows = sorted(Notification.objects.values_list("endpoint__address", "cause", "delivery__public_id"))

    # A second sweep finds nothing to do; processing the row again by force
    # (as a crash-and-retry might) is refused by the unique constraint.
    assert services.process_changes(now=now + timedelta(minutes=1)) == (0, services.FanOut())
    Change.objects.filter(pk=change.pk).update(processed_at=None)
    processed, written = services.process_changes(now=now + timedelta(minutes=2))
    assert processed == 1 and written == services.FanOut()

    assert sorted(Notification.objects.values_list("endpoint__address", "cause", "delivery__public_id")) == rows
    assert Delivery.objects.count() == 2


def test_each_change_row_is_marked_processed(milestone, now):
    postpone(milestone, now)
    assert Change.objects.filter(processed_at__isnull=True).exists()
    services.process_changes(now=now)
    assert not Change.objects.filter(processed_at__isnull=True).exists()
    assert set(Change.objects.values_list("processed_at", flat=True)) == {now}


def test_unconfirmed_and_unsubscribed_subscriptions_get_nothing(milestone, now):
    services.subscription_create(now=now, email="pending@example.org", storyline="gaza-ceasefire")
    gone = subscribe("gone@example.org", now=now, storyline="gaza-ceasefire")
    services.subscription_unsubscribe(subscription=gone, now=now)

    postpone(milestone, now)
    services.process_changes(now=now)

    assert not Notification.objects.exists()


def test_drafts_are_not_news(now):
    storyline = make_storyline(slug="quiet")
    subscribe("reader@example.org", now=now, storyline="quiet")
    draft = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline], published=False)
    timeline.milestone_confirm(milestone=draft, by=SYSTEM, now=now)

    services.process_changes(now=now)

    assert not Notification.objects.exists()
    assert not Change.objects.filter(processed_at__isnull=True).exists()


def test_news_goes_only_to_subscriptions_that_want_that_kind(milestone, now):
    subscribe("verdicts-only@example.org", now=now, storyline="gaza-ceasefire", news=["verdicts"])
    subscribe("moves@example.org", now=now, storyline="gaza-ceasefire", news=["moves"])

    postpone(milestone, now)
    services.process_changes(now=now)

    assert list(Notification.objects.values_list("endpoint__address", flat=True)) == ["moves@example.org"]
