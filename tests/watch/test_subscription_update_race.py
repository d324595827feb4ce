"""Changing a subscription is one UPDATE filtered on the version the writer
read: of two overlapping writes the second matches no row and is refused, so
nobody acts on a subscription that is no longer as they read it.

The races run on PostgreSQL with real transactions on connections of their
own: the first writer holds its row lock until the second is seen waiting on
it (pg_stat_activity), so every iteration truly overlaps; the second then
re-evaluates its WHERE clause against the committed row and finds nothing.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from core.errors import TransitionNotAllowed
from tests.api.races import wait_for_lock_waiters
from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import subscribe
from watch import services
from watch.models import ReminderDue, Subscription

ITERATIONS = 10
TIMEOUT = 10


class Writer(threading.Thread):
    """Loads the subscription on its own connection, waits for `go`, writes.
    With `hold`, keeps its transaction open after writing until `hold` is set."""

    def __init__(self, pk, write, *, go: threading.Event, hold: threading.Event | None = None):
        super().__init__(daemon=True)
        self.pk, self.write, self.go, self.hold = pk, write, go, hold
        self.loaded, self.wrote = threading.Event(), threading.Event()
        self.result = self.error = None

    def run(self):
        try:
            copy = Subscription.objects.get(pk=self.pk)
            self.loaded.set()
            assert self.go.wait(TIMEOUT)
            with transaction.atomic():
                self.result = self.write(copy)
                self.wrote.set()
                if self.hold is not None:
                    assert self.hold.wait(TIMEOUT)
        except BaseException as exc:  # reported by the test, in the main thread
            self.error = exc
        finally:
            self.loaded.set()
            self.wrote.set()
            connections.close_all()


def race(pk, first, second):
    """Both load the row; `first` writes and holds its lock; `second` writes,
    waits on that lock; then `first` commits. Returns both writers."""
    release, first_go, second_go = threading.Event(), threading.Event(), threading.Event()
    a = Writer(pk, first, go=first_go, hold=release)
    b = Writer(pk, second, go=second_go)
    a.start()
    b.start()
    try:
        assert a.loaded.wait(TIMEOUT) and b.loaded.wait(TIMEOUT)
        first_go.set()
        assert a.wrote.wait(TIMEOUT)
        if a.error is None:
            second_go.set()
            wait_for_lock_waiters(1, timeout=TIMEOUT)
    finally:
        release.set()
        second_go.set()
        a.join(TIMEOUT)
        b.join(TIMEOUT)
    assert not a.is_alive() and not b.is_alive(), "a writer hung"
    return a, b


def update(now, **change):
    return lambda s: services.subscription_update(subscription=s, now=now, **change)


@pytest.fixture
def followed(now):
    """A confirmed subscription to a storyline with a milestone weeks ahead."""
    storyline = make_storyline(slug="race")
    make_milestone(now=now, when=day_when(date(2027, 3, 1)), storylines=[storyline])
    return lambda: subscribe(now=now, storyline="race", lead_times=["7d"], news=["reminders", "moves"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_two_overlapping_updates_the_second_is_refused(followed, now):
    for _ in range(ITERATIONS):
        Subscription.objects.all().delete()
        subscription = followed()

        a, b = race(subscription.pk, update(now, cadence="digest"), update(now, cadence="immediate", lead_times=["1d"]))

        assert a.error is None
        assert isinstance(b.error, services.SubscriptionChanged), repr(b.error)
        assert (b.error.expected, b.error.current) == (1, 2)
        fresh = Subscription.objects.get(pk=subscription.pk)
        assert (fresh.version, fresh.cadence, fresh.lead_times) == (2, "digest", [7 * 86400]), \
            "only the first write went through"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_update_overlapping_an_unsubscribe_is_refused_and_schedules_nothing(followed, now):
    for _ in range(ITERATIONS):
        Subscription.objects.all().delete()
        ReminderDue.objects.all().delete()
        subscription = followed()
        reminders_before = set(ReminderDue.objects.values_list("lead", flat=True))

        a, b = race(subscription.pk, lambda s: services.subscription_unsubscribe(subscription=s, now=now),
                    update(now, lead_times=["2d"]))

        assert (a.error, a.result) == (None, True)
        assert isinstance(b.error, TransitionNotAllowed), repr(b.error)
        fresh = Subscription.objects.get(pk=subscription.pk)
        assert fresh.unsubscribed_at is not None
        assert fresh.lead_times == [7 * 86400]
        # The refused update read an active subscription, but ensured no
        # reminders for the lead time it would have added.
        assert set(ReminderDue.objects.values_list("lead", flat=True)) == reminders_before
        assert timedelta(days=2) not in reminders_before


@pytest.mark.django_db
def test_an_update_from_a_copy_read_before_another_write_is_refused(followed, now):
    subscription = followed()
    stale = Subscription.objects.get(pk=subscription.pk)
    services.subscription_update(subscription=subscription, now=now, news=["moves"])

    with pytest.raises(services.SubscriptionChanged) as refused:
        services.subscription_update(subscription=stale, now=now, lead_times=["1d"])

    assert "read it again" in refused.value.message
    fresh = Subscription.objects.get(pk=subscription.pk)
    assert (fresh.version, fresh.lead_times, fresh.wants_reminders) == (2, [7 * 86400], False)
    # The winner's copy is current again, so its owner can go on writing.
    assert subscription.version == 2
    services.subscription_update(subscription=subscription, now=now, lead_times=["1d"])
    assert Subscription.objects.get(pk=subscription.pk).version == 3


@pytest.mark.django_db
def test_every_write_of_a_subscription_moves_its_version(followed, now):
    subscription = followed()
    assert subscription.version == 1
    # Subscribing again to the same target changes the same subscription.
    subscribe(now=now, storyline="race", lead_times=["1d"])
    assert Subscription.objects.get(pk=subscription.pk).version == 2
    services.subscription_unsubscribe(subscription=subscription, now=now)
    assert Subscription.objects.get(pk=subscription.pk).version == 3


@pytest.mark.django_db
def test_the_update_is_filtered_on_the_version_read(followed, now):
    subscription = followed()

    with CaptureQueriesContext(connection) as queries:
        services.subscription_update(subscription=subscription, now=now, cadence="digest")

    [write, *_] = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert write.startswith('UPDATE "watch_subscription"')
    assert '"watch_subscription"."version" = 1' in write
    assert '"watch_subscription"."unsubscribed_at" IS NULL' in write
    assert not any(q["sql"].startswith('SELECT') and "FOR UPDATE" in q["sql"] for q in queries.captured_queries)
