""""Active" is stated twice by necessity: as SQL in watch.audience (the
fan-out's INSERT ... SELECT) and as a queryset filter in
watch.selectors.subscriptions_active (pages, admin, counts). This test holds
them together over every combination of confirmed, paused and unsubscribed,
and checks that a paused subscription hears nothing from the fan-out."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import subscribe
from watch import services
from watch.models import Notification, Subscription
from watch.selectors import subscriptions_active, subscriptions_covering
from watch.services.fanout import Announcement, fanout_sweep, fanouts_open

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("loopback_webhooks")]

STATES = list(itertools.product([False, True], repeat=3))  # confirmed, paused, unsubscribed


@pytest.fixture
def milestone(now):
    storyline = make_storyline(slug="gaza-ceasefire")
    item = make_milestone(now=now, when=day_when(date(2027, 1, 23), tz="Europe/Zurich"), storylines=[storyline])
    services.process_changes(now=now)
    return item


@pytest.fixture
def subscriptions(milestone, now):
    made = {}
    for n, (confirmed, paused, unsubscribed) in enumerate(STATES):
        subscription = subscribe(f"reader{n}@example.org", now=now, storyline="gaza-ceasefire", confirmed=confirmed)
        Subscription.objects.filter(pk=subscription.pk).update(
            paused_at=now if paused else None, unsubscribed_at=now if unsubscribed else None,
        )
        made[(confirmed, paused, unsubscribed)] = subscription.pk
    return made


def test_the_sql_rule_and_the_queryset_rule_pick_the_same_subscriptions(milestone, subscriptions):
    by_queryset = set(subscriptions_active().values_list("pk", flat=True))
    by_sql = set(subscriptions_covering(milestone).values_list("pk", flat=True))
    assert by_sql == by_queryset == {subscriptions[(True, False, False)]}


def test_a_paused_subscription_hears_nothing_until_resumed(milestone, subscriptions, now):
    paused = Subscription.objects.get(pk=subscriptions[(True, True, False)])
    fanouts_open([Announcement(item_id=milestone.pk, cause="change:paused", kind="moved", news="moves",
                               schedule_version=1, headline="Moved")], now=now)
    fanout_sweep(now=now)
    heard = set(Notification.objects.values_list("endpoint__address", flat=True))
    assert paused.email_endpoint.address not in heard
    assert heard == {"reader4@example.org"}  # (True, False, False): the one active subscription

    services.subscription_resume(subscription=paused, now=now + timedelta(minutes=1))
    fanouts_open([Announcement(item_id=milestone.pk, cause="change:resumed", kind="moved", news="moves",
                               schedule_version=1, headline="Moved again")], now=now)
    fanout_sweep(now=now + timedelta(minutes=2))
    assert paused.email_endpoint.address in set(
        Notification.objects.filter(cause="change:resumed").values_list("endpoint__address", flat=True)
    )
