"""expectations_apply_grace: overdue past its grace period, an open expectation is missed.

The grace period is the expectation's own, else the longest of its
storylines', else settings.FW_DEFAULT_GRACE_PERIOD.
"""

from datetime import date, timedelta

import pytest

from tests.builders import day_when, make_expectation, make_milestone, make_storyline, window_when
from timeline import services
from timeline.models import Change

from .helpers import changes_of, reload

pytestmark = pytest.mark.django_db

DEADLINE_DAY = date(2026, 10, 1)  # the window ends 2026-10-02 00:00 UTC


def expectation_due(now, **fields):
    return make_expectation(now=now - timedelta(days=90), when=day_when(DEADLINE_DAY), **fields)


def test_the_settings_grace_period_applies_by_default(now, settings):
    settings.FW_DEFAULT_GRACE_PERIOD = timedelta(days=7)
    expectation = expectation_due(now)
    end = expectation.when_end

    assert services.expectations_apply_grace(now=end + timedelta(days=7) - timedelta(seconds=1)) == 0
    assert reload(expectation).status == "open", "not before the grace period ends"

    assert services.expectations_apply_grace(now=end + timedelta(days=7)) == 1
    fresh = reload(expectation)
    assert fresh.status == "missed"
    assert fresh.decided_by == "system"
    assert fresh.decided_by_user is None
    assert fresh.decided_at == end + timedelta(days=7)
    assert fresh.verdict_note == (
        "No outcome was recorded by 2026-10-02 and the grace period of 7 days has passed: missed, "
        "decided by the system. An editor may overturn or review it."
    )
    change = changes_of(expectation, "settled").get()
    assert change.by_label == "system"
    assert change.public is True, "subscribers are told of the system's verdict"
    assert change.after["status"] == "missed"


def test_the_expectations_own_grace_period_wins(now, settings):
    settings.FW_DEFAULT_GRACE_PERIOD = timedelta(days=7)
    storyline = make_storyline(grace_period=timedelta(days=30))
    expectation = expectation_due(now, grace_period=timedelta(days=2), storylines=[storyline])

    assert services.grace_period_of(expectation) == timedelta(days=2)
    assert services.expectations_apply_grace(now=expectation.when_end + timedelta(days=2)) == 1


def test_else_the_longest_of_its_storylines(now, settings):
    settings.FW_DEFAULT_GRACE_PERIOD = timedelta(days=7)
    short = make_storyline(grace_period=timedelta(days=3))
    long = make_storyline(grace_period=timedelta(days=14))
    silent = make_storyline()
    expectation = expectation_due(now, storylines=[short, long, silent])

    assert services.grace_period_of(expectation) == timedelta(days=14)
    assert services.expectations_apply_grace(now=expectation.when_end + timedelta(days=13)) == 0
    assert services.expectations_apply_grace(now=expectation.when_end + timedelta(days=14)) == 1


def test_else_the_setting(now, settings):
    settings.FW_DEFAULT_GRACE_PERIOD = timedelta(hours=12)
    expectation = expectation_due(now, storylines=[make_storyline()])
    assert services.grace_period_of(expectation) == timedelta(hours=12)
    assert services.expectations_apply_grace(now=expectation.when_end + timedelta(hours=12)) == 1
    assert "the grace period of 12 hours has passed" in reload(expectation).verdict_note


def test_a_sweep_notices_first_then_applies_the_grace_rule(now):
    expectation = expectation_due(now)
    assert services.sweep_overdue(now=now) == {"noticed": 1, "missed": 1}
    assert [c.kind for c in changes_of(expectation)] == ["created", "overdue_noticed", "settled"]
    assert services.sweep_overdue(now=now) == {"noticed": 0, "missed": 0}


def test_milestones_have_no_verdict_to_miss(now):
    make_milestone(now=now, when=day_when(DEADLINE_DAY))
    assert services.expectations_apply_grace(now=now) == 0


def test_what_the_verdict_rules_left_to_an_editor_is_not_called_missed(now, editor):
    milestone = make_milestone(now=now - timedelta(days=90), when=day_when(DEADLINE_DAY))
    expectation = make_expectation(now=now, when=milestone.when, about_milestone=milestone)
    services.milestone_mark_happened(milestone=milestone, by=editor, now=now - timedelta(days=60),
                                     actual=window_when(milestone.when_start, milestone.when_end + timedelta(days=1)))
    assert reload(expectation).undecided_reason

    assert services.expectations_apply_grace(now=now) == 0
    assert reload(expectation).status == "open"


def test_a_retracted_expectation_is_left_alone(now, editor):
    expectation = expectation_due(now)
    services.item_retract(item=expectation, by=editor, now=now, reason="Misquoted.")
    assert services.expectations_apply_grace(now=now) == 0
    assert reload(expectation).status == "open"


def test_a_long_grace_on_older_expectations_does_not_hold_up_newer_ones(now, settings):
    settings.FW_DEFAULT_GRACE_PERIOD = timedelta(days=1)
    for day in (1, 2, 3):
        make_expectation(now=now, when=day_when(date(2026, 10, day)), grace_period=timedelta(days=365))
    newer = make_expectation(now=now, when=day_when(date(2026, 11, 1)))

    assert services.expectations_apply_grace(now=now, limit=1) == 1
    assert reload(newer).status == "missed"


def test_the_limit_caps_the_writes_of_one_run(now):
    for day in (1, 2, 3):
        make_expectation(now=now, when=day_when(date(2026, 10, day)))
    assert services.expectations_apply_grace(now=now, limit=2) == 2
    assert services.expectations_apply_grace(now=now, limit=2) == 1
    assert Change.objects.filter(kind="settled").count() == 3
