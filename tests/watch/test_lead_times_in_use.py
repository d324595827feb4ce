"""The lead times an item's due rows are written for: those of the active
subscriptions that cover it and want reminders, through each coverage path
(storyline, actor, the item itself, everything public). They are read by
walking an index from one distinct list of lead times to the next
(watch.audience.lead_times_sql), so this holds that walk to the audience rule:
every list is found, however many subscriptions share it, and nothing of a
subscription that would hear no reminder."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import day_when, make_actor, make_milestone, make_storyline
from tests.watch.support import subscribe
from watch.models import Subscription
from watch.selectors import lead_times_in_use, subscriptions_covering

pytestmark = pytest.mark.django_db

HOUR, DAY, WEEK, MONTH = 3600, 86400, 7 * 86400, 30 * 86400


@pytest.fixture
def davos(now):
    return make_milestone(now=now, when=day_when(date(2027, 1, 23)), title="Davos meeting",
                          storylines=[make_storyline(slug="gaza-ceasefire")], actors=[make_actor(slug="un")])


def test_each_coverage_path_brings_its_lead_times(davos, now):
    subscribe("a@example.org", now=now, storyline="gaza-ceasefire", lead_times=["7d"])
    subscribe("b@example.org", now=now, actor="un", lead_times=["1d"])
    subscribe("c@example.org", now=now, item=str(davos.public_id), lead_times=["30d"])
    subscribe("d@example.org", now=now, everything=True, lead_times=["1h"])

    assert lead_times_in_use([davos.pk]) == {davos.pk: {HOUR, DAY, WEEK, MONTH}}


def test_every_distinct_list_is_found_however_many_share_one(davos, now):
    for n in range(5):
        subscribe(f"week{n}@example.org", now=now, storyline="gaza-ceasefire", lead_times=["7d"])
    subscribe("both@example.org", now=now, storyline="gaza-ceasefire", lead_times=["7d", "1d"])
    for n in range(3):
        subscribe(f"month{n}@example.org", now=now, storyline="gaza-ceasefire", lead_times=["30d", "1h"])

    assert lead_times_in_use([davos.pk]) == {davos.pk: {HOUR, DAY, WEEK, MONTH}}


def test_subscriptions_that_hear_no_reminder_bring_none(davos, now):
    active = subscribe("active@example.org", now=now, storyline="gaza-ceasefire", lead_times=["1d"])
    subscribe("unconfirmed@example.org", now=now, storyline="gaza-ceasefire", lead_times=["30d"], confirmed=False)
    paused = subscribe("paused@example.org", now=now, actor="un", lead_times=["7d"])
    ended = subscribe("ended@example.org", now=now, everything=True, lead_times=["1h"])
    no_reminders = subscribe("moves@example.org", now=now, item=str(davos.public_id), lead_times=["7d"],
                             news=["moves"])
    Subscription.objects.filter(pk=paused.pk).update(paused_at=now)
    Subscription.objects.filter(pk=ended.pk).update(unsubscribed_at=now)

    assert lead_times_in_use([davos.pk]) == {davos.pk: {DAY}}
    # The same subscriptions as the audience of a reminder (the fan-out's rule).
    assert set(subscriptions_covering(davos, news=Subscription.REMINDERS).values_list("pk", flat=True)) == {
        active.pk}
    assert not no_reminders.wants_reminders


def test_many_items_at_once_each_get_their_own(davos, now):
    other = make_milestone(now=now, when=day_when(date(2027, 3, 1)), storylines=[make_storyline(slug="davos")])
    unfollowed = make_milestone(now=now, when=day_when(date(2027, 4, 1)))
    subscribe("a@example.org", now=now, storyline="gaza-ceasefire", lead_times=["7d"])
    subscribe("b@example.org", now=now, storyline="davos", lead_times=["1d"])
    subscribe("c@example.org", now=now, item=str(other.public_id), lead_times=["30d"])

    assert lead_times_in_use([davos.pk, other.pk, unfollowed.pk]) == {
        davos.pk: {WEEK}, other.pk: {DAY, MONTH}, unfollowed.pk: set(),
    }
