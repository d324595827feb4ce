"""How a milestone's outcome settles the open expectations about it (BRIEF, "Flags").

Windows are half-open. `met` when actual.end <= target.end and, for `on` and
`during`, actual.start >= target.start; `met_late` when actual.start >=
target.end; anything else is left to an editor (undecided_reason set, listed).
`cancelled` makes them `missed`.
"""

from datetime import date, datetime, timedelta, timezone

import pytest

from tests.builders import day_when, make_expectation, make_milestone, window_when
from timeline import selectors, services
from timeline.models import Expectation
from timeline.when import When

from .helpers import changes_of, month_when, reload

pytestmark = pytest.mark.django_db

UTC = timezone.utc
JANUARY = month_when(2027, 1, text="in January")
DAVOS_DAY = day_when(date(2027, 1, 23), tz="Europe/Zurich", text="on Jan. 23")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


# (target kind, target When, actual When, expected status or None for "an editor decides")
CASES = [
    # during: the actual window must lie inside the target.
    ("during", JANUARY, day_when(date(2027, 1, 20)), "met"),
    ("during", JANUARY, day_when(date(2027, 1, 1)), "met"),  # starts exactly at the target's start
    ("during", JANUARY, day_when(date(2027, 1, 31)), "met"),  # ends exactly at the target's (exclusive) end
    ("during", JANUARY, day_when(date(2027, 2, 1)), "met_late"),  # starts exactly at the target's end
    ("during", JANUARY, month_when(2027, 3), "met_late"),
    ("during", JANUARY, window_when(utc(2027, 1, 30), utc(2027, 2, 3)), None),  # straddles the end
    ("during", JANUARY, window_when(utc(2026, 12, 30), utc(2027, 1, 3)), None),  # straddles the start
    ("during", JANUARY, day_when(date(2026, 12, 15)), None),  # before the window opened
    # on: the same rule, with a one-day target in the place's zone.
    ("on", DAVOS_DAY, day_when(date(2027, 1, 23), tz="Europe/Zurich"), "met"),
    ("on", DAVOS_DAY, window_when(utc(2027, 1, 23, 9), utc(2027, 1, 23, 12)), "met"),
    ("on", DAVOS_DAY, day_when(date(2027, 1, 24), tz="Europe/Zurich"), "met_late"),
    ("on", DAVOS_DAY, day_when(date(2027, 1, 22), tz="Europe/Zurich"), None),
    # The UTC day of Jan. 23 starts an hour after Zurich's and ends an hour
    # after it: it straddles the end of the target day.
    ("on", DAVOS_DAY, day_when(date(2027, 1, 23)), None),
    # by: only the deadline (the window's end) matters; early is fine.
    ("by", JANUARY, day_when(date(2026, 12, 15)), "met"),
    ("by", JANUARY, day_when(date(2027, 1, 31)), "met"),
    ("by", JANUARY, day_when(date(2027, 2, 1)), "met_late"),
    ("by", JANUARY, window_when(utc(2027, 1, 30), utc(2027, 2, 3)), None),
]


@pytest.mark.parametrize("target_kind, target, actual, expected", CASES)
def test_verdict_for_actual(now, target_kind, target, actual, expected):
    expectation = make_expectation(now=now, when=target, target_kind=target_kind)
    status, why = services.verdict_for_actual(expectation, actual)
    assert status == expected
    assert why, "every outcome says why"


def test_an_undated_target_decides_nothing(now):
    expectation = make_expectation(now=now, when=When.undated())
    assert services.verdict_for_actual(expectation, day_when(date(2027, 1, 2))) == (
        None, "The expectation has no target date to compare with.")


@pytest.fixture
def january_milestone(now, storyline):
    return make_milestone(now=now, when=JANUARY, storylines=[storyline], title="Phase two is announced")


def about(milestone, now, *, target_kind="during", when=None, **fields):
    return make_expectation(now=now, when=when or milestone.when, about_milestone=milestone,
                            target_kind=target_kind, storylines=list(milestone.storylines.all()), **fields)


def test_happening_in_the_window_settles_it_met_with_the_event_as_evidence(january_milestone, editor, now, later):
    expectation = about(january_milestone, now)

    services.milestone_mark_happened(milestone=january_milestone, by=editor, now=later,
                                     actual=day_when(date(2027, 1, 15), text="on Jan. 15"))

    fresh = reload(expectation)
    assert fresh.status == "met"
    assert fresh.decided_by == "system"
    assert fresh.decided_by_user is None
    assert fresh.evidence_event == reload(january_milestone).happened_event
    # Written for the permanent record: dates as shown, never the words of the day.
    assert fresh.verdict_note == "It happened on 15 Jan 2027, within the target window (January 2027)."
    change = changes_of(expectation, "settled").get()
    assert change.by_label == "system"
    assert change.public is True


def test_happening_after_the_window_is_met_late(january_milestone, editor, now, later):
    expectation = about(january_milestone, now, target_kind="by")
    services.milestone_mark_happened(milestone=january_milestone, by=editor, now=later,
                                     actual=day_when(date(2027, 2, 10)))
    assert reload(expectation).status == "met_late"


def test_a_straddling_date_is_left_to_an_editor_and_listed(january_milestone, editor, now, later):
    expectation = about(january_milestone, now)

    services.milestone_mark_happened(milestone=january_milestone, by=editor, now=later,
                                     actual=window_when(utc(2027, 1, 28), utc(2027, 2, 4), text="around the turn of the month"))

    fresh = reload(expectation)
    assert fresh.status == "open"
    assert fresh.decided_by == ""
    assert fresh.undecided_reason == (
        "It happened during 28 Jan – 3 Feb 2027, a date that straddles an edge of the target window "
        "(January 2027); an editor decides."
    )
    change = changes_of(expectation, "edited").get()
    assert change.by_label == "system"
    assert change.public is False, "no verdict yet: nothing to tell subscribers"
    entries = selectors.due_report(now=later, within=timedelta(days=7))
    assert [(e.item.pk, e.section, e.reason) for e in entries] == [
        (expectation.pk, "needs_verdict", fresh.undecided_reason),
    ]


def test_an_editor_can_then_settle_the_undecided_one(january_milestone, editor, now, later):
    expectation = about(january_milestone, now)
    services.milestone_mark_happened(milestone=january_milestone, by=editor, now=later,
                                     actual=window_when(utc(2027, 1, 28), utc(2027, 2, 4)))
    event = reload(january_milestone).happened_event

    services.expectation_settle(expectation=reload(expectation), by=editor, now=later, status="met",
                                evidence_event=event, note="Announced on Jan. 30.")

    fresh = reload(expectation)
    assert (fresh.status, fresh.undecided_reason) == ("met", "")
    assert selectors.due_report(now=later, within=timedelta(days=7)) == []


def test_cancelling_makes_every_open_expectation_about_it_missed(january_milestone, editor, now, later):
    during = about(january_milestone, now)
    by = about(january_milestone, now, target_kind="by")

    services.milestone_cancel(milestone=january_milestone, by=editor, now=later, reason="The talks collapsed.")

    for expectation in (during, by):
        fresh = reload(expectation)
        assert fresh.status == "missed"
        assert fresh.decided_by == "system"
        assert fresh.verdict_note == "The milestone was cancelled: The talks collapsed."


def test_only_open_expectations_about_this_milestone_are_settled(january_milestone, editor, now, later):
    already = about(january_milestone, now)
    services.expectation_settle(expectation=already, by=editor, now=now, status="void", note="Withdrawn claim.")
    dormant = about(january_milestone, now, expectation_type="conditional", condition="If Hamas agrees")
    unrelated = make_expectation(now=now, when=JANUARY)

    services.milestone_mark_happened(milestone=january_milestone, by=editor, now=later,
                                     actual=day_when(date(2027, 1, 15)))

    assert reload(already).status == "void"
    assert reload(dormant).status == "dormant"
    assert reload(unrelated).status == "open"
    assert Expectation.objects.get(pk=already.pk).decided_by == "editor"
