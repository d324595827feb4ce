"""The sweeps do set-based work per batch: the same number of queries for a
batch of 2 rows as for a batch of 40 (change processing, reminder firing, the
overdue notice), and a batch that comes back full is drained by the task."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import subscribe
from timeline import services as timeline
from timeline.models import SYSTEM, Change, Milestone
from watch import services
from watch.models import Delivery, Notification, ReminderDue

pytestmark = pytest.mark.django_db

SIZES = [2, 40]
# The most queries one batch may send, whatever its size (transaction and
# savepoint statements included), on PostgreSQL, where the figures count. On
# SQLite the fan-out writes through bulk inserts, which Django splits at 999
# parameters a statement (about 60 notifications or deliveries): a batch
# of 40 reminders, 80 notifications and 80 deliveries, sends up to three more.
SQLITE_SPLIT = 3 if connection.vendor == "sqlite" else 0
MAX_CHANGES = 20 + SQLITE_SPLIT
MAX_REMINDERS = 14 + SQLITE_SPLIT
MAX_NOTICE = 6


def followed_milestones(now, count, *, days_apart=1):
    storyline = make_storyline(slug="gaza-ceasefire")
    items = [
        make_milestone(now=now, when=day_when(date(2027, 1, 1) + timedelta(days=n * days_apart)),
                       storylines=[storyline],
                       title=f"Milestone {n}")
        for n in range(count)
    ]
    subscribe("a@example.org", now=now, storyline="gaza-ceasefire", lead_times=["7d"])
    subscribe("b@example.org", now=now, storyline="gaza-ceasefire", lead_times=["7d", "1d"])
    services.process_changes(now=now)
    return items


@pytest.mark.parametrize("size", SIZES)
def test_change_processing_sends_the_same_queries_for_any_batch(now, size, django_assert_max_num_queries):
    items = followed_milestones(now, size)
    for item in items:
        timeline.milestone_postpone(milestone=Milestone.objects.get(pk=item.pk), by=SYSTEM, now=now,
                                    when=day_when(item.when_start.date() + timedelta(days=30)), reason="moved")

    with django_assert_max_num_queries(MAX_CHANGES):
        processed, written = services.process_changes(now=now)

    assert processed == size
    assert written.notifications == written.deliveries == 2 * size
    assert Notification.objects.filter(kind="moved").count() == 2 * size
    # The moved items' reminders were rewritten: the old version withdrawn, the new one pending.
    assert not ReminderDue.objects.filter(state="pending", schedule_version=1).exists()
    assert ReminderDue.objects.filter(state="pending", schedule_version=2).count() == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_reminder_firing_sends_the_same_queries_for_any_batch(now, size, django_assert_max_num_queries):
    followed_milestones(now, size, days_apart=0)  # all on one day: their 7-day reminders are due together
    due = ReminderDue.objects.filter(state="pending", lead=timedelta(days=7))
    fire_at = max(due.values_list("due_at", flat=True))
    # Only the 7-day reminders are due: the 1-day ones lie later.
    assert not ReminderDue.objects.filter(state="pending", lead=timedelta(days=1), due_at__lte=fire_at).exists()

    with django_assert_max_num_queries(MAX_REMINDERS):
        fired = services.fire_due_reminders(now=fire_at)

    assert (fired.fired, fired.skipped, fired.withdrawn) == (size, 0, 0)
    assert fired.fanout.deliveries == Delivery.objects.filter(notifications__kind="reminder").count() == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_the_overdue_notice_sends_the_same_queries_for_any_batch(now, size, django_assert_max_num_queries):
    for n in range(size):
        make_milestone(now=now - timedelta(days=90), when=day_when(date(2026, 9, 1) + timedelta(days=n)))

    with django_assert_max_num_queries(MAX_NOTICE):
        assert timeline.items_notice_overdue(now=now) == size

    assert Change.objects.filter(kind="overdue_noticed").count() == size
    assert timeline.items_notice_overdue(now=now) == 0


def test_query_counts_are_equal_at_both_sizes(now):
    """The two sizes above share a ceiling; here the counts themselves are
    compared for the change processing, the busiest of the three."""
    storyline = make_storyline(slug="gaza-ceasefire")
    subscribe("a@example.org", now=now, storyline="gaza-ceasefire", lead_times=["7d"])
    counts = []
    for size in SIZES:
        items = [make_milestone(now=now, when=day_when(date(2027, 1, 1) + timedelta(days=n)), storylines=[storyline],
                                title=f"Size {size}, milestone {n}") for n in range(size)]
        services.process_changes(now=now)
        for item in items:
            timeline.milestone_postpone(milestone=Milestone.objects.get(pk=item.pk), by=SYSTEM, now=now,
                                        when=day_when(item.when_start.date() + timedelta(days=30)), reason="moved")
        with CaptureQueriesContext(connection) as queries:
            assert services.process_changes(now=now)[0] == size
        counts.append(len(queries))
    assert counts[0] + SQLITE_SPLIT >= counts[1] >= counts[0]
