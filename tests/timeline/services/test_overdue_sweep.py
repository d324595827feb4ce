"""items_notice_overdue / sweep_overdue: each overdue spell is noticed once."""

from datetime import date, timedelta

import pytest

from tests.builders import day_when, make_event, make_expectation, make_milestone
from timeline import services
from timeline.models import Change
from timeline.when import When

from .helpers import changes_of, month_when, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_milestone(now):
    """A milestone whose day (October 1st) is long over."""
    return make_milestone(now=now - timedelta(days=90), when=day_when(date(2026, 10, 1)))


def test_an_overdue_item_is_noticed_once_even_when_the_sweep_runs_twice(overdue_milestone, now, later):
    assert services.sweep_overdue(now=now) == {"noticed": 1, "missed": 0}
    assert services.sweep_overdue(now=later) == {"noticed": 0, "missed": 0}

    fresh = reload(overdue_milestone)
    assert fresh.overdue_noticed_at == now
    assert fresh.status == "scheduled", "overdue is not a status"
    assert fresh.revision == 2
    assert fresh.schedule_version == 1, "noticing moves nothing on the schedule"
    [change] = changes_of(overdue_milestone, "overdue_noticed")
    assert (change.by_user, change.by_label, change.at) == (None, "system", now)
    assert change.reason == (
        "The window ended on 2026-10-02 00:00 UTC with no outcome recorded: due now, needs a verdict."
    )
    assert change.public is False, "editors are told, subscribers are not"


def test_postponing_clears_the_notice_so_the_next_overdue_spell_is_noticed_again(overdue_milestone, editor, now):
    services.sweep_overdue(now=now)
    services.milestone_postpone(milestone=reload(overdue_milestone), by=editor, now=now,
                                when=day_when(date(2026, 12, 1)))
    assert reload(overdue_milestone).overdue_noticed_at is None
    assert services.sweep_overdue(now=now + timedelta(days=1)) == {"noticed": 0, "missed": 0}, "not overdue yet"

    next_spell = now + timedelta(days=7)
    assert services.sweep_overdue(now=next_spell) == {"noticed": 1, "missed": 0}

    assert reload(overdue_milestone).overdue_noticed_at == next_spell
    assert [c.at for c in changes_of(overdue_milestone, "overdue_noticed")] == [now, next_spell]


def test_the_window_is_over_at_its_exclusive_end(now):
    milestone = make_milestone(now=now, when=day_when(date(2026, 11, 25)))
    end = milestone.when_end
    assert services.items_notice_overdue(now=end - timedelta(microseconds=1)) == 0
    assert services.items_notice_overdue(now=end) == 1


def test_open_expectations_are_noticed_too(now):
    expectation = make_expectation(now=now, when=day_when(date(2026, 11, 24)))
    assert services.items_notice_overdue(now=now) == 1
    assert changes_of(expectation, "overdue_noticed").count() == 1


def test_what_is_closed_undated_or_not_open_is_never_overdue(now, editor):
    past = day_when(date(2026, 10, 1))
    happened = make_milestone(now=now, when=past)
    services.milestone_mark_happened(milestone=happened, by=editor, now=now, actual=past)
    cancelled = make_milestone(now=now, when=past)
    services.milestone_cancel(milestone=cancelled, by=editor, now=now, reason="Called off.")
    settled = make_expectation(now=now, when=past)
    services.expectation_settle(expectation=settled, by=editor, now=now, status="missed", note="No.")
    make_event(now=now, when=past)
    make_expectation(now=now, when=past, expectation_type="conditional", condition="If X")  # dormant
    make_milestone(now=now, when=When.undated())
    before = Change.objects.count()

    assert services.items_notice_overdue(now=now) == 0
    assert Change.objects.count() == before


def test_a_retracted_item_is_left_alone(overdue_milestone, editor, now):
    services.item_retract(item=overdue_milestone, by=editor, now=now, reason="Wrong article.")
    assert services.sweep_overdue(now=now) == {"noticed": 0, "missed": 0}
    assert reload(overdue_milestone).overdue_noticed_at is None


def test_a_draft_is_noticed_for_its_editors(now):
    draft = make_milestone(now=now, when=month_when(2026, 9), published=False)
    assert services.items_notice_overdue(now=now) == 1
    assert changes_of(draft, "overdue_noticed").get().public is False


def test_the_limit_caps_one_run_and_the_next_run_catches_up(now):
    for day in (1, 2, 3):
        make_milestone(now=now, when=day_when(date(2026, 10, day)))
    assert services.items_notice_overdue(now=now, limit=2) == 2
    assert services.items_notice_overdue(now=now, limit=2) == 1
    assert Change.objects.filter(kind="overdue_noticed").count() == 3
