"""The audience rule asked endpoint first (the re-check of a batch of
deliveries) picks exactly what the item-first form (the fan-out's) picks for
that endpoint: over every coverage path, every kind of news, lead times, and
subscriptions that do not cover the item or are not active."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from tests.builders import day_when, make_actor, make_milestone, make_storyline
from tests.watch.support import subscribe
from watch.models import Subscription
from watch.selectors import subscriptions_covering, subscriptions_covering_each

pytestmark = pytest.mark.django_db

NEWS = [None, "reminders", "moves", "verdicts", "new_items"]


@pytest.fixture
def record(now):
    covered_storyline, other_storyline = make_storyline(slug="covered"), make_storyline(slug="other")
    covered_actor, other_actor = make_actor(slug="covered-actor"), make_actor(slug="other-actor")
    item = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[covered_storyline],
                          actors=[covered_actor])
    elsewhere = make_milestone(now=now, when=day_when(date(2027, 1, 24)), storylines=[other_storyline],
                               actors=[other_actor])
    return item, elsewhere


@pytest.fixture
def subscriptions(record, now):
    item, elsewhere = record
    targets = [
        {"storyline": "covered"}, {"storyline": "other"}, {"actor": "covered-actor"}, {"actor": "other-actor"},
        {"item": str(item.public_id)}, {"item": str(elsewhere.public_id)}, {"everything": True},
    ]
    wants = [["reminders"], ["moves", "verdicts"], ["new_items", "reminders"]]
    made = []
    for n, (target, news, webhook) in enumerate(itertools.product(targets, wants, [False, True])):
        subscription = subscribe(
            f"reader{n}@example.org", now=now, news=news, lead_times=["1h", "1d"] if n % 2 else ["7d"],
            webhook_url=f"http://127.0.0.1:9/hook/{n}" if webhook else None, send_email=not webhook, **target,
        )
        made.append(subscription)
    # Some not active: those hear nothing by either form.
    Subscription.objects.filter(pk__in=[s.pk for s in made[::5]]).update(paused_at=now)
    return made


@pytest.mark.usefixtures("loopback_webhooks")
def test_endpoint_first_and_item_first_agree_for_every_endpoint(record, subscriptions):
    item, elsewhere = record
    endpoints = {s.email_endpoint_id or s.webhook_endpoint_id for s in subscriptions}
    rows, expected = [], {}
    for key, (it, news, lead, endpoint) in enumerate(
        itertools.product([item, elsewhere], NEWS, [None, 3600, 7 * 86400], sorted(endpoints))
    ):
        if lead is not None and news != "reminders":
            continue
        rows.append((key, it.pk, news, lead, endpoint))
        by_item_first = set(
            subscriptions_covering(it, news=news, lead_seconds=lead)
            .filter(pk__in=[s.pk for s in subscriptions if endpoint in (s.email_endpoint_id, s.webhook_endpoint_id)])
            .values_list("pk", flat=True)
        )
        if by_item_first:
            expected[key] = by_item_first

    assert subscriptions_covering_each(rows) == expected
    # Not a vacuous agreement: every path, both outcomes.
    assert len(expected) > 20 and len(rows) - len(expected) > 20
    heard = {pk for ids in expected.values() for pk in ids}
    assert {Subscription.objects.get(pk=pk).target for pk in heard} == {"storyline", "actor", "item", "everything"}
