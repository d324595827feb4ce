"""timeline.tasks.sweep_overdue: the beat's task calls the sweep with the given clock.

The task function runs here, in the test's process (a real worker is tested in
tests/integration/).
"""

from datetime import date, datetime, timedelta, timezone

import pytest

from tests.builders import day_when, make_expectation, make_milestone
from timeline.exceptions import InvalidInput
from timeline.models import Change
from timeline.tasks import sweep_overdue

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(now):
    """A milestone and an expectation whose day, October 1st, is long over."""
    when = day_when(date(2026, 10, 1))
    return make_milestone(now=now, when=when), make_expectation(now=now, when=when)


def test_the_task_sweeps_with_the_given_now(overdue, now):
    milestone, expectation = overdue

    assert sweep_overdue.run(now=now.isoformat()) == {"noticed": 2, "missed": 1}

    noticed = Change.objects.filter(kind="overdue_noticed").order_by("item_id")
    assert [(c.item_id, c.at) for c in noticed] == [(milestone.pk, now), (expectation.pk, now)]
    assert Change.objects.get(kind="settled").at == now


def test_the_given_now_decides_what_is_due(overdue):
    before_the_window_ended = datetime(2026, 10, 1, 12, 0, tzinfo=timezone.utc)
    assert sweep_overdue.run(now=before_the_window_ended.isoformat()) == {"noticed": 0, "missed": 0}
    within_grace = datetime(2026, 10, 3, tzinfo=timezone.utc)
    assert sweep_overdue.run(now=within_grace.isoformat()) == {"noticed": 2, "missed": 0}


def test_apply_runs_it_as_a_worker_would(overdue, now):
    result = sweep_overdue.apply(kwargs={"now": "2026-11-25T12:00:00Z"})
    assert result.successful()
    assert result.get() == {"noticed": 2, "missed": 1}


def test_without_now_it_reads_the_clock(now):
    # Two days ago by the real clock: overdue today, whatever day the suite runs.
    yesterday = datetime.now(timezone.utc).date() - timedelta(days=2)
    milestone = make_milestone(now=now, when=day_when(yesterday))
    assert sweep_overdue.run() == {"noticed": 1, "missed": 0}
    assert Change.objects.filter(item_id=milestone.pk, kind="overdue_noticed").count() == 1


@pytest.mark.parametrize("bad", ["yesterday", "2026-11-25T12:00:00", "2026-13-01T00:00:00+00:00"])
def test_a_bad_now_is_a_clear_error(bad):
    with pytest.raises(InvalidInput) as excinfo:
        sweep_overdue.run(now=bad)
    assert repr(bad) in excinfo.value.message
