"""After downtime there is more due than one batch: a sweep task drains batch
after batch while they come back full, instead of one batch per minute."""

from datetime import timedelta

import pytest

from core.drain import drain
from tests.builders import day_when, make_milestone, make_storyline
from timeline.models import Change, Item
from timeline.tasks import sweep_overdue
from watch.tasks import process_changes


def test_drain_stops_at_the_first_batch_that_is_not_full():
    sizes = iter([3, 3, 1, 3])
    assert drain(lambda: next(sizes), is_full=lambda n: n >= 3, budget_seconds=60) == [3, 3, 1]


def test_drain_stops_when_the_budget_is_spent():
    calls = []
    assert drain(lambda: calls.append(1) or 3, is_full=lambda n: n >= 3, budget_seconds=0) == [3]


@pytest.mark.django_db
def test_the_overdue_sweep_task_notices_more_than_one_batch(now, settings):
    settings.TIMELINE_SWEEP_LIMIT = 2
    storyline = make_storyline()
    for offset in range(5):
        make_milestone(now=now - timedelta(days=30), when=day_when((now - timedelta(days=10 + offset)).date()),
                       storylines=[storyline])

    counts = sweep_overdue.run(now=now.isoformat())

    assert counts["noticed"] == 5
    assert not Item.objects.filter(status="scheduled", overdue_noticed_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_change_log_task_processes_more_than_one_batch(now, settings):
    settings.WATCH_SWEEP_LIMIT = 2
    storyline = make_storyline()
    for _ in range(3):
        make_milestone(now=now, when=day_when((now + timedelta(days=40)).date()), storylines=[storyline])
    unprocessed = Change.objects.filter(processed_at__isnull=True).count()
    assert unprocessed >= 3

    assert process_changes.run(now=now.isoformat()) == unprocessed
    assert not Change.objects.filter(processed_at__isnull=True).exists()
