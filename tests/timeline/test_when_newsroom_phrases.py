"""parse_when: phrases newsrooms write about the near future and the recent past
("in two weeks", "in the coming weeks", "within days", "later this month", "by
mid-January", "before the end of the first quarter", "the week of Jan. 19",
"Jan. 23-24", "over the weekend"), each with several source dates, an event
and a milestone reading where the kind matters, and a month or year boundary.

The conventions are in timeline/whenparse/__init__.py. Saturday 10 January
2026 is the reference date; windows are local dates in the item's zone, end
exclusive. No database is needed.
"""

from datetime import date

import pytest

from timeline.exceptions import WhenParseError
from timeline.when import display
from timeline.whenparse import parse_when, to_edtf, when_from_edtf

from .test_when_parse import assert_reads, case

SAT = date(2026, 1, 10)  # a Saturday
SUN = date(2026, 1, 11)
MON = date(2026, 1, 12)
THU = date(2026, 1, 8)
ZURICH = "Europe/Zurich"

CASES = [
    # "in N weeks": ~the ISO week that holds as_of + N weeks.
    case("in two weeks", "2026-01-19", "2026-01-26", "week", True, as_of=SAT),
    case("in two weeks", "2026-01-26", "2026-02-02", "week", True, as_of=MON, id="from a Monday: that Monday's week"),
    case("in two weeks", "2026-01-19", "2026-01-26", "week", True, as_of=SUN, tz=ZURICH),
    case("in two weeks", "2025-12-29", "2026-01-05", "week", True, as_of=date(2025, 12, 20),
         id="across the year end"),
    case("in two weeks", "2026-02-02", "2026-02-09", "week", True, kind="expectation", as_of=date(2026, 1, 25),
         id="across a month end"),
    case("in a week", "2026-01-12", "2026-01-19", "week", True, as_of=SAT),
    case("in a fortnight", "2026-01-19", "2026-01-26", "week", True, as_of=SAT),
    case("two weeks from now", "2026-01-19", "2026-01-26", "week", True, as_of=SAT),
    case("in two weeks' time", "2026-01-19", "2026-01-26", "week", True, as_of=SAT),
    case("in 3 weeks", "2026-01-26", "2026-02-02", "week", True, as_of=SAT),
    # Vague windows from as_of: "weeks" reach 6 weeks, "days" 7 days.
    case("in the coming weeks", "2026-01-10", "2026-02-21", "range", True, as_of=SAT),
    case("in the coming weeks", "2025-12-30", "2026-02-10", "range", True, as_of=date(2025, 12, 30),
         id="coming weeks across the year end"),
    case("in coming weeks", "2026-01-10", "2026-02-21", "range", True, kind="expectation", as_of=SAT),
    case("over the next few weeks", "2026-01-12", "2026-02-23", "range", True, as_of=MON),
    case("within weeks", "2026-01-10", "2026-02-21", "range", True, as_of=SAT),
    case("in the weeks ahead", "2026-01-10", "2026-02-21", "range", True, as_of=SAT, tz=ZURICH),
    case("expected in the coming weeks", "2026-01-10", "2026-02-21", "range", True, as_of=SAT),
    case("within days", "2026-01-10", "2026-01-17", "range", True, as_of=SAT),
    case("within days", "2025-12-28", "2026-01-04", "range", True, as_of=date(2025, 12, 28),
         id="days across the year end"),
    case("in the coming days", "2026-01-28", "2026-02-04", "range", True, as_of=date(2026, 1, 28),
         id="days across a month end"),
    case("within a few days", "2026-01-10", "2026-01-17", "range", True, kind="expectation", as_of=SAT),
    case("in the next few days", "2026-01-12", "2026-01-19", "range", True, as_of=MON),
    # "later this month": [as_of, 1st of next month), whatever the kind.
    case("later this month", "2026-01-10", "2026-02-01", "range", as_of=SAT),
    case("later this month", "2026-01-10", "2026-02-01", "range", kind="event", as_of=SAT),
    case("later this month", "2026-01-31", "2026-02-01", "range", as_of=date(2026, 1, 31), id="on the last day"),
    case("later this month", "2025-12-15", "2026-01-01", "range", as_of=date(2025, 12, 15),
         id="later this month across the year end"),
    # "by mid-January": [as_of, 21 January), the end of the middle third.
    case("by mid-January", "2026-01-10", "2026-01-21", "range", as_of=SAT),
    case("by mid-January", "2025-12-20", "2026-01-21", "range", as_of=date(2025, 12, 20),
         id="by mid-January across the year end"),
    case("by mid-January", "2026-01-15", "2026-01-21", "range", kind="expectation", as_of=date(2026, 1, 15),
         id="inside mid-January"),
    case("by mid-January", "2026-01-21", "2027-01-21", "range", as_of=date(2026, 1, 21),
         id="once mid-January is over, the next one"),
    # "before the end of the first quarter": [as_of, 1 April), precision of Q1.
    case("before the end of the first quarter", "2026-01-10", "2026-04-01", "quarter", as_of=SAT),
    case("before the end of the first quarter", "2025-11-15", "2026-04-01", "quarter", kind="expectation",
         as_of=date(2025, 11, 15), id="Q1 of the coming year"),
    case("before the end of the first quarter", "2026-03-31", "2026-04-01", "quarter", as_of=date(2026, 3, 31),
         id="on the last day of Q1"),
    case("by the end of the first quarter", "2026-01-10", "2026-04-01", "quarter", as_of=SAT),
    # "the week of Jan. 19": the ISO week that holds the day, Monday to Sunday.
    case("the week of Jan. 19", "2026-01-19", "2026-01-26", "week", as_of=SAT),
    case("the week of Jan. 19", "2025-01-13", "2025-01-20", "week", kind="event", as_of=SAT,
         id="event: the last such week begun"),
    case("the week of Jan. 19", "2026-01-19", "2026-01-26", "week", as_of=date(2026, 1, 20),
         id="milestone: the week is not over, though its day is"),
    case("the week of Jan. 21", "2026-01-19", "2026-01-26", "week", kind="event", as_of=date(2026, 1, 20),
         id="event: the week has begun, though its day has not"),
    case("the week of Dec. 31", "2025-12-29", "2026-01-05", "week", as_of=date(2025, 12, 15),
         id="a week across the year end"),
    # "Jan. 23-24": two days, end exclusive.
    case("Jan. 23-24", "2026-01-23", "2026-01-25", "range", as_of=SAT),
    case("Jan. 23-24", "2025-01-23", "2025-01-25", "range", kind="event", as_of=SAT),
    case("Jan. 23-24", "2026-01-23", "2026-01-25", "range", as_of=date(2026, 1, 24), id="on its second day"),
    case("Jan. 23-24", "2027-01-23", "2027-01-25", "range", as_of=date(2026, 1, 25), id="once over, next year's"),
    case("Jan. 23-24", "2026-01-23", "2026-01-25", "range", kind="event", as_of=date(2026, 1, 23),
         id="event on its first day"),
    case("Jan. 23-24", "2026-01-23", "2026-01-25", "range", as_of=SAT, tz=ZURICH),
    case("Jan. 31-Feb. 1", "2026-01-31", "2026-02-02", "range", as_of=SAT),
    case("Dec. 31-Jan. 1", "2025-12-31", "2026-01-02", "range", as_of=date(2025, 12, 20)),
    # "over the weekend": the nearest weekend, by the kind.
    case("over the weekend", "2026-01-10", "2026-01-12", "range", as_of=SAT, id="milestone on a Saturday"),
    case("over the weekend", "2026-01-10", "2026-01-12", "range", kind="event", as_of=SAT, id="event on a Saturday"),
    case("over the weekend", "2026-01-10", "2026-01-12", "range", as_of=SUN, id="milestone on a Sunday"),
    case("over the weekend", "2026-01-10", "2026-01-12", "range", kind="event", as_of=MON, id="event on a Monday"),
    case("over the weekend", "2026-01-17", "2026-01-19", "range", as_of=MON, id="milestone on a Monday"),
    case("over the weekend", "2026-01-03", "2026-01-05", "range", kind="event", as_of=THU, id="event on a Thursday"),
    case("over the weekend", "2026-01-10", "2026-01-12", "range", kind="expectation", as_of=THU,
         id="expectation on a Thursday"),
    case("over the weekend", "2025-12-27", "2025-12-29", "range", kind="event", as_of=date(2026, 1, 1),
         id="event: the weekend of the year before"),
    case("over the weekend", "2026-01-03", "2026-01-05", "range", as_of=date(2026, 1, 1),
         id="milestone: the weekend of the new year"),
    case("over the weekend", "2026-01-31", "2026-02-02", "range", as_of=date(2026, 1, 29),
         id="a weekend across a month end"),
    case("during the weekend", "2026-01-10", "2026-01-12", "range", kind="event", as_of=MON, tz=ZURICH),
    case("at the weekend", "2026-01-17", "2026-01-19", "range", as_of=MON),
    case("around over the weekend", "2026-01-17", "2026-01-19", "range", True, as_of=MON),
]


@pytest.mark.parametrize("phrase, kind, tz, as_of, start, end, precision, approx", CASES)
def test_phrase_window(phrase, kind, tz, as_of, start, end, precision, approx):
    assert_reads(phrase, kind, tz, as_of, start, end, precision, approx)


@pytest.mark.parametrize(
    "phrase, kind, as_of, detail",
    [
        # Forward from the source's date: an event has happened.
        ("in two weeks", "event", SAT, "cannot place an event"),
        ("in the coming weeks", "event", SAT, "cannot place an event"),
        ("within days", "event", SAT, "cannot place an event"),
        ("by mid-January", "event", SAT, "cannot place an event"),
        ("before the end of the first quarter", "event", SAT, "cannot place an event"),
        # Near misses.
        ("in six months", "milestone", SAT, "within"),
        ("in two years", "milestone", SAT, "within"),
        ("after two weeks", "milestone", SAT, "does not name"),
        ("two weeks later", "milestone", SAT, "does not name"),
        ("in a few weeks", "milestone", SAT, "in the coming weeks"),
        ("in 0 weeks", "milestone", SAT, "zero length"),
        ("in the coming months", "milestone", SAT, "too vague"),
        ("in the next several weeks", "milestone", SAT, "too vague"),
        ("the weekend", "milestone", SAT, "over the weekend"),
        ("weekend", "event", SAT, "over the weekend"),
        ("over the weekends", "milestone", SAT, "not a date phrase"),
        ("before the end of the last quarter", "milestone", SAT, "ambiguous"),
        ("the week of January", "milestone", SAT, "needs a single day"),
        ("the week of Jan. 32", "milestone", SAT, "no day 32"),
        ("Jan. 24-23", "milestone", SAT, "ends before it starts"),
        ("Jan. 23-32", "milestone", SAT, "has a day 32"),
        ("Feb. 28-29, 2026", "milestone", SAT, "not a leap year"),
        ("later this decade", "milestone", SAT, "not a date phrase"),
        ("by the middle of last month", "milestone", SAT, "had passed"),
    ],
)
def test_refused_with_a_reason_naming_the_phrase(phrase, kind, as_of, detail):
    with pytest.raises(WhenParseError, match=detail) as excinfo:
        parse_when(phrase, as_of=as_of, tz=ZURICH, kind=kind)
    assert excinfo.value.phrase == phrase
    assert repr(phrase) in str(excinfo.value)


@pytest.mark.parametrize(
    "phrase, as_of, shown, edtf",
    [
        ("in two weeks", SAT, "~Week of 19 Jan 2026", "2026-01-19~/2026-01-25~"),
        ("in the coming weeks", SAT, "~10 Jan – 20 Feb 2026", "2026-01-10~/2026-02-20~"),
        ("within days", SAT, "~10–16 Jan 2026", "2026-01-10~/2026-01-16~"),
        ("over the weekend", MON, "17–18 Jan 2026", "2026-01-17/2026-01-18"),
        ("Jan. 23-24", SAT, "23–24 Jan 2026", "2026-01-23/2026-01-24"),
        ("by mid-January", SAT, "10–20 Jan 2026", "2026-01-10/2026-01-20"),
    ],
)
def test_shown_and_exchanged(phrase, as_of, shown, edtf):
    when = parse_when(phrase, as_of=as_of, tz=ZURICH)
    assert display(when) == shown
    assert to_edtf(when) == edtf == when.edtf


def test_in_two_weeks_survives_an_edtf_round_trip_as_an_approximate_week():
    when = parse_when("in two weeks", as_of=SAT, tz=ZURICH)
    again = when_from_edtf(when.edtf, tz=ZURICH, text=when.text)
    assert (again.start, again.end, again.precision, again.approximate) == (when.start, when.end, "week", True)
