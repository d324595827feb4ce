"""parse_when: the phrases reporters write, read into windows [start, end).

The table gives each window as local dates in the item's zone (midnight to
midnight) or, for exact times, as local date-times; the test turns them into
instants with zoneinfo, so a Zurich day is checked as a Zurich day, not UTC.
Unless a row says otherwise it is read on Tuesday 30 December 2025 (the seed
article's date; ISO week 1 of 2026 starts on Monday 29 December 2025), as a
milestone, in UTC. No database is needed.
"""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from timeline.exceptions import InvalidInput, WhenParseError
from timeline.when import When, display
from timeline.whenparse import parse_when

AS_OF = date(2025, 12, 30)
ZURICH = "Europe/Zurich"
NEW_YORK = "America/New_York"


def case(phrase, start, end, precision, approx=False, *, kind="milestone", tz="UTC", as_of=AS_OF, id=None):
    return pytest.param(phrase, kind, tz, as_of, start, end, precision, approx, id=id or f"{kind}:{phrase}@{tz}")


def local(value: str, tz: str) -> datetime:
    """'2026-01-23' is local midnight; '2026-01-23T15:00' a local time."""
    if len(value) == 10:
        value += "T00:00"
    return datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(tz))


CASES = [
    # The seed article (Axios, 30 December 2025).
    case("in June", "2025-06-01", "2025-07-01", "month", kind="event"),
    case("as recently as September", "2025-09-01", "2025-10-01", "month", kind="event"),
    case("just last week", "2025-12-22", "2025-12-29", "week", kind="event"),
    case("on Monday", "2025-12-29", "2025-12-30", "day", kind="event"),
    case("in January", "2026-01-01", "2026-02-01", "month"),
    case("on Jan. 23", "2026-01-23", "2026-01-24", "day", tz=ZURICH),
    case("in January", "2026-01-01", "2026-02-01", "month", kind="expectation", tz=ZURICH),
    # Days.
    case("January 23, 2026", "2026-01-23", "2026-01-24", "day"),
    case("23 January", "2026-01-23", "2026-01-24", "day"),
    case("23 Jan. 2026", "2026-01-23", "2026-01-24", "day"),
    case("Jan 23rd, 2026", "2026-01-23", "2026-01-24", "day"),
    case("the 23rd of January 2026", "2026-01-23", "2026-01-24", "day"),
    case("Friday, Jan. 23", "2026-01-23", "2026-01-24", "day"),
    case("Jan. 23", "2026-01-23", "2026-01-24", "day", as_of=date(2026, 1, 23), id="milestone on its own day"),
    case("Jan. 23", "2025-01-23", "2025-01-24", "day", kind="event"),
    case("Dec. 31", "2025-12-31", "2026-01-01", "day"),
    case("Dec. 31", "2024-12-31", "2025-01-01", "day", kind="event"),
    case("2026-01-23", "2026-01-23", "2026-01-24", "day"),
    case("today", "2025-12-30", "2025-12-31", "day"),
    case("tonight", "2025-12-30", "2025-12-31", "day"),
    case("tomorrow", "2025-12-31", "2026-01-01", "day"),
    case("tomorrow", "2027-01-01", "2027-01-02", "day", as_of=date(2026, 12, 31)),
    case("yesterday", "2025-12-29", "2025-12-30", "day", kind="event"),
    case("the day after tomorrow", "2026-01-01", "2026-01-02", "day"),
    case("in 3 days", "2026-01-02", "2026-01-03", "day"),
    case("two days ago", "2025-12-28", "2025-12-29", "day", kind="event"),
    case("on Monday", "2026-01-05", "2026-01-06", "day", id="milestone: the coming Monday"),
    case("next Monday", "2026-01-05", "2026-01-06", "day"),
    case("last Monday", "2025-12-29", "2025-12-30", "day", kind="event"),
    case("this past Sunday", "2025-12-28", "2025-12-29", "day", kind="event"),
    case("Tuesday", "2025-12-30", "2025-12-31", "day", id="milestone: today is Tuesday"),
    case("Wednesday", "2025-12-24", "2025-12-25", "day", kind="event"),
    case("Wednesday", "2025-12-31", "2026-01-01", "day"),
    case("Monday morning", "2025-12-29", "2025-12-30", "day", kind="event"),
    case("late Monday", "2025-12-29", "2025-12-30", "day", kind="event"),
    # Leap days.
    case("Feb. 29, 2028", "2028-02-29", "2028-03-01", "day"),
    case("Feb. 29", "2028-02-29", "2028-03-01", "day", id="next Feb. 29 is in 2028"),
    case("2024-02-29", "2024-02-29", "2024-03-01", "day"),
    case("late February 2028", "2028-02-21", "2028-03-01", "range"),
    case("late February 2026", "2026-02-21", "2026-03-01", "range"),
    # Weeks (ISO, Monday to Sunday).
    case("this week", "2025-12-29", "2026-01-05", "week"),
    case("next week", "2026-01-05", "2026-01-12", "week"),
    case("last week", "2025-12-22", "2025-12-29", "week"),
    case("the week after next", "2026-01-12", "2026-01-19", "week"),
    case("the week of Jan. 7", "2026-01-05", "2026-01-12", "week"),
    case("2026-W01", "2025-12-29", "2026-01-05", "week"),
    case("week 1 of 2026", "2025-12-29", "2026-01-05", "week"),
    case("2026-W53", "2026-12-28", "2027-01-04", "week"),
    case("early next week", "2026-01-05", "2026-01-12", "week"),
    case("this weekend", "2026-01-03", "2026-01-05", "range"),
    case("last weekend", "2025-12-27", "2025-12-29", "range", kind="event"),
    # Months.
    case("next month", "2026-01-01", "2026-02-01", "month"),
    case("this month", "2025-12-01", "2026-01-01", "month"),
    case("last month", "2025-11-01", "2025-12-01", "month", kind="event"),
    case("in December", "2025-12-01", "2026-01-01", "month", id="milestone inside the month"),
    case("in December", "2025-12-01", "2026-01-01", "month", kind="event"),
    case("in June", "2026-06-01", "2026-07-01", "month"),
    case("May", "2026-05-01", "2026-06-01", "month"),
    case("Jan 2026", "2026-01-01", "2026-02-01", "month"),
    case("January 2026", "2026-01-01", "2026-02-01", "month"),
    case("Sept. 2026", "2026-09-01", "2026-10-01", "month"),
    case("Sep 2026", "2026-09-01", "2026-10-01", "month"),
    case("January of 2027", "2027-01-01", "2027-02-01", "month"),
    case("next January", "2026-01-01", "2026-02-01", "month"),
    case("last June", "2025-06-01", "2025-07-01", "month", kind="event"),
    case("2026-01", "2026-01-01", "2026-02-01", "month"),
    # Early / mid / late.
    case("early 2026", "2026-01-01", "2026-05-01", "range"),
    case("mid-2026", "2026-05-01", "2026-09-01", "range"),
    case("late 2026", "2026-09-01", "2027-01-01", "range"),
    case("the end of 2026", "2026-09-01", "2027-01-01", "range"),
    case("the beginning of 2026", "2026-01-01", "2026-05-01", "range"),
    case("the middle of 2026", "2026-05-01", "2026-09-01", "range"),
    case("early in 2026", "2026-01-01", "2026-05-01", "range"),
    case("early next year", "2026-01-01", "2026-05-01", "range"),
    case("late this year", "2025-09-01", "2026-01-01", "range"),
    case("early January", "2026-01-01", "2026-01-11", "range"),
    case("mid-January", "2026-01-11", "2026-01-21", "range"),
    case("late January", "2026-01-21", "2026-02-01", "range"),
    case("the end of the month", "2025-12-21", "2026-01-01", "range"),
    case("late spring 2026", "2026-05-01", "2026-06-01", "month"),
    # Seasons (meteorological, northern; a winter belongs to the year it starts in).
    case("spring 2026", "2026-03-01", "2026-06-01", "season"),
    case("summer 2026", "2026-06-01", "2026-09-01", "season"),
    case("autumn 2026", "2026-09-01", "2026-12-01", "season"),
    case("fall 2026", "2026-09-01", "2026-12-01", "season"),
    case("winter 2026", "2026-12-01", "2027-03-01", "season"),
    case("winter 2025-26", "2025-12-01", "2026-03-01", "season"),
    case("winter 2025/26", "2025-12-01", "2026-03-01", "season"),
    case("this winter", "2025-12-01", "2026-03-01", "season"),
    case("spring", "2026-03-01", "2026-06-01", "season"),
    case("summer", "2025-06-01", "2025-09-01", "season", kind="event"),
    case("next spring", "2026-03-01", "2026-06-01", "season"),
    case("the spring of 2027", "2027-03-01", "2027-06-01", "season"),
    # Quarters and halves.
    case("Q1 2026", "2026-01-01", "2026-04-01", "quarter"),
    case("the first quarter of 2026", "2026-01-01", "2026-04-01", "quarter"),
    case("2026-Q2", "2026-04-01", "2026-07-01", "quarter"),
    case("Q4", "2025-10-01", "2026-01-01", "quarter", id="milestone inside Q4"),
    case("the third quarter", "2026-07-01", "2026-10-01", "quarter"),
    case("last quarter", "2025-07-01", "2025-10-01", "quarter", kind="event"),
    case("third-quarter", "2025-07-01", "2025-10-01", "quarter", kind="event"),
    case("the final quarter of 2026", "2026-10-01", "2027-01-01", "quarter"),
    case("next quarter", "2026-01-01", "2026-04-01", "quarter"),
    case("the fourth quarter of next year", "2026-10-01", "2027-01-01", "quarter"),
    case("the first half of 2026", "2026-01-01", "2026-07-01", "half"),
    case("H2 2026", "2026-07-01", "2027-01-01", "half"),
    case("the second half of next year", "2026-07-01", "2027-01-01", "half"),
    case("the first half", "2026-01-01", "2026-07-01", "half"),
    # Years.
    case("2026", "2026-01-01", "2027-01-01", "year"),
    case("the year 2027", "2027-01-01", "2028-01-01", "year"),
    case("next year", "2026-01-01", "2027-01-01", "year"),
    case("next year", "2027-01-01", "2028-01-01", "year", as_of=date(2026, 12, 31)),
    case("this year", "2025-01-01", "2026-01-01", "year"),
    case("last year", "2024-01-01", "2025-01-01", "year", kind="event"),
    # Deadlines: [as_of, end of the named thing), with its precision.
    case("by the end of the year", "2025-12-30", "2026-01-01", "year"),
    case("by March 2026", "2025-12-30", "2026-04-01", "month"),
    case("by Jan. 23", "2025-12-30", "2026-01-24", "day"),
    case("by the end of January", "2025-12-30", "2026-02-01", "month"),
    case("no later than June", "2025-12-30", "2026-07-01", "month"),
    case("by next week", "2025-12-30", "2026-01-12", "week"),
    case("by 2027", "2025-12-30", "2028-01-01", "year"),
    case("before Jan. 23", "2025-12-30", "2026-01-23", "range"),
    case("by the end of the year", "2026-06-15", "2027-01-01", "year", kind="expectation", tz=ZURICH,
         as_of=date(2026, 6, 15)),
    # Windows from as_of.
    case("within six months", "2025-12-30", "2026-06-30", "range"),
    case("within 90 days", "2025-12-30", "2026-03-30", "range"),
    case("in the next two weeks", "2025-12-30", "2026-01-13", "range"),
    case("within a week", "2025-12-30", "2026-01-06", "range"),
    case("within two years", "2025-12-30", "2027-12-30", "range"),
    case("over the next three months", "2025-12-30", "2026-03-30", "range"),
    case("within six months", "2025-08-31", "2026-02-28", "range", as_of=date(2025, 8, 31),
         id="calendar months clamp to the month's end"),
    case("earlier this month", "2025-12-01", "2025-12-31", "range", kind="event"),
    case("later this year", "2025-12-30", "2026-01-01", "range"),
    # Ranges (end exclusive: the day after the last named day).
    case("between Jan. 10 and Jan. 20", "2026-01-10", "2026-01-21", "range"),
    case("between Jan. 10 and Jan. 20", "2025-01-10", "2025-01-21", "range", kind="event"),
    case("from March to May 2026", "2026-03-01", "2026-06-01", "range"),
    case("March-May 2026", "2026-03-01", "2026-06-01", "range"),
    case("10\u201320 Jan 2026", "2026-01-10", "2026-01-21", "range"),
    case("Jan. 10-20", "2026-01-10", "2026-01-21", "range"),
    case("Jan. 10-20, 2026", "2026-01-10", "2026-01-21", "range"),
    case("from Dec. 20 to Jan. 10", "2025-12-20", "2026-01-11", "range", id="milestone range across the year end"),
    case("from December to February 2027", "2026-12-01", "2027-03-01", "range"),
    case("late December to early January", "2025-12-21", "2026-01-11", "range"),
    case("2026-2028", "2026-01-01", "2029-01-01", "range"),
    case("from 2026-01-10 to 2026-01-20", "2026-01-10", "2026-01-21", "range"),
    case("Monday to Friday", "2025-12-29", "2026-01-03", "range"),
    # Approximate.
    case("~Jan. 23", "2026-01-23", "2026-01-24", "day", True),
    case("Jan. 23~", "2026-01-23", "2026-01-24", "day", True),
    case("around mid-January", "2026-01-11", "2026-01-21", "range", True),
    case("about 2026", "2026-01-01", "2027-01-01", "year", True),
    case("roughly March 2026", "2026-03-01", "2026-04-01", "month", True),
    case("circa 2026", "2026-01-01", "2027-01-01", "year", True),
    case("sometime around Q3 2026", "2026-07-01", "2026-10-01", "quarter", True),
    # EDTF and ISO values.
    case("2026~", "2026-01-01", "2027-01-01", "year", True),
    case("~2026-01", "2026-01-01", "2026-02-01", "month", True),
    case("2026-01?", "2026-01-01", "2026-02-01", "month", True),
    case("2026-21", "2026-03-01", "2026-06-01", "season"),
    case("2026-24", "2026-12-01", "2027-03-01", "season"),
    case("2026-01-01/2026-01-31", "2026-01-01", "2026-02-01", "range"),
    case("2026-01/2026-03", "2026-01-01", "2026-04-01", "range"),
    case("2026-33", "2026-01-01", "2026-04-01", "quarter"),
    case("2026-40", "2026-01-01", "2026-07-01", "half"),
    case("202X", "2020-01-01", "2030-01-01", "range"),
    # Exact times: [t, t + 1 minute).
    case("Jan. 23 at 3 p.m.", "2026-01-23T15:00", "2026-01-23T15:01", "time"),
    case("Jan. 23 at 3 p.m.", "2026-01-23T15:00", "2026-01-23T15:01", "time", tz=ZURICH),
    case("3pm on Jan. 23", "2026-01-23T15:00", "2026-01-23T15:01", "time"),
    case("Jan. 23, 15:00", "2026-01-23T15:00", "2026-01-23T15:01", "time"),
    case("Monday at noon", "2026-01-05T12:00", "2026-01-05T12:01", "time"),
    case("tomorrow at 9:30 a.m.", "2025-12-31T09:30", "2025-12-31T09:31", "time", tz=NEW_YORK),
    case("Jan. 23 at 12 a.m.", "2026-01-23T00:00", "2026-01-23T00:01", "time"),
    case("Jan. 23 at 3 p.m. ET", "2026-01-23T21:00", "2026-01-23T21:01", "time", tz=ZURICH,
         id="a time in another zone's clock"),
    case("2026-01-23T15:00:00+01:00", "2026-01-23T14:00", "2026-01-23T14:01", "time"),
    case("2026-01-23T15:00", "2026-01-23T15:00", "2026-01-23T15:01", "time", tz=ZURICH, id="naive ISO in tz"),
    case("2026-01-23 15:00", "2026-01-23T15:00", "2026-01-23T15:01", "time", tz=NEW_YORK),
    case("around 3 p.m. on Jan. 23", "2026-01-23T15:00", "2026-01-23T15:01", "time", True),
    # Zones: a day is midnight to midnight where the item is.
    case("on Jan. 23", "2026-01-23", "2026-01-24", "day", tz=NEW_YORK),
    case("on July 4", "2026-07-04", "2026-07-05", "day", tz=NEW_YORK),
    case("March 29, 2026", "2026-03-29", "2026-03-30", "day", tz=ZURICH, id="Zurich spring-forward day"),
    case("Oct. 25, 2026", "2026-10-25", "2026-10-26", "day", tz=ZURICH, id="Zurich fall-back day"),
    case("March 8, 2026", "2026-03-08", "2026-03-09", "day", tz=NEW_YORK, id="New York spring-forward day"),
    case("March 2026", "2026-03-01", "2026-04-01", "month", tz=ZURICH),
]


def assert_reads(phrase, kind, tz, as_of, start, end, precision, approx):
    """parse_when reads a table row's phrase into the row's window (also used
    by test_when_newsroom_phrases.py)."""
    when = parse_when(phrase, as_of=as_of, tz=tz, kind=kind)
    assert (when.start, when.end) == (local(start, tz), local(end, tz))
    assert when.precision == precision
    assert when.approximate is approx
    assert when.tz == tz
    assert when.text == phrase
    # Every dated When the parser returns carries its EDTF form.
    assert when.edtf


@pytest.mark.parametrize("phrase, kind, tz, as_of, start, end, precision, approx", CASES)
def test_phrase_window(phrase, kind, tz, as_of, start, end, precision, approx):
    assert_reads(phrase, kind, tz, as_of, start, end, precision, approx)


def test_the_table_is_big_enough():
    assert len(CASES) >= 110


def test_instants_are_in_the_items_zone():
    when = parse_when("on Jan. 23", as_of=AS_OF, tz=ZURICH)
    assert when.start.isoformat() == "2026-01-23T00:00:00+01:00"
    assert when.end.isoformat() == "2026-01-24T00:00:00+01:00"
    # Davos's day starts an hour before the UTC day.
    assert when.start == datetime.fromisoformat("2026-01-22T23:00:00+00:00")


def elapsed(when) -> timedelta:
    # Python subtracts two datetimes that share a tzinfo by their wall clocks
    # (always 24 h for a day); real elapsed time needs UTC.
    return when.end.astimezone(timezone.utc) - when.start.astimezone(timezone.utc)


@pytest.mark.parametrize(
    "phrase, tz, hours",
    [
        ("March 29, 2026", ZURICH, 23),
        ("Oct. 25, 2026", ZURICH, 25),
        ("March 28, 2026", ZURICH, 24),
        ("March 8, 2026", NEW_YORK, 23),
        ("Nov. 1, 2026", NEW_YORK, 25),
    ],
)
def test_days_on_clock_changes_are_not_24_hours(phrase, tz, hours):
    when = parse_when(phrase, as_of=AS_OF, tz=tz)
    assert elapsed(when) == timedelta(hours=hours)


def test_a_day_whose_midnight_does_not_exist_starts_at_its_first_instant():
    # Chile moves its clocks from 00:00 to 01:00 on 6 September 2026.
    when = parse_when("Sept. 6, 2026", as_of=AS_OF, tz="America/Santiago")
    assert when.start.isoformat() == "2026-09-06T01:00:00-03:00"
    assert when.end.isoformat() == "2026-09-07T00:00:00-03:00"
    assert elapsed(when) == timedelta(hours=23)


def test_a_wall_time_skipped_by_the_clocks_moves_forward():
    when = parse_when("March 8, 2026 at 2:30 a.m.", as_of=AS_OF, tz=NEW_YORK)
    assert when.start.isoformat() == "2026-03-08T03:30:00-04:00"


def test_a_repeated_wall_time_is_its_first_occurrence():
    when = parse_when("Nov. 1, 2026 at 1:30 a.m.", as_of=AS_OF, tz=NEW_YORK)
    assert when.start.isoformat() == "2026-11-01T01:30:00-04:00"


def test_undated_phrases():
    when = parse_when("undated", as_of=AS_OF, tz=ZURICH)
    assert when.precision == "undated"
    assert (when.start, when.end, when.edtf, when.tz) == (None, None, "", ZURICH)
    assert parse_when("TBD", as_of=AS_OF).precision == "undated"


def test_as_of_may_be_a_datetime():
    assert parse_when("tomorrow", as_of=datetime(2025, 12, 30, 23, 59), tz="UTC").start == local("2025-12-31", "UTC")


# ---------------------------------------------------------------------------
# What it refuses: never a guess.

UNREADABLE = [
    ("", "milestone"),
    ("   ", "milestone"),
    ("soon", "milestone"),
    ("in recent weeks", "event"),
    ("in the coming weeks", "event"),  # read for a milestone: test_when_newsroom_phrases.py
    ("blah", "milestone"),
    ("Jan. 32", "milestone"),
    ("the 13th month", "milestone"),
    ("Feb 30", "milestone"),
    ("Feb. 29, 2026", "milestone"),
    ("2026-02-29", "milestone"),
    ("23/01/2026", "milestone"),
    ("01/02/2026", "milestone"),
    ("01.02.2026", "milestone"),
    ("23-01-2026", "milestone"),
    ("2025-W53", "milestone"),
    ("2026-13", "milestone"),
    ("in two weeks", "event"),  # read for a milestone: test_when_newsroom_phrases.py
    ("in six months", "milestone"),
    ("at 3 p.m.", "milestone"),
    ("noon", "milestone"),
    ("midnight on Jan. 23", "milestone"),
    ("Jan. 23 at 13 p.m.", "milestone"),
    ("Jan. 23 at 25:00", "milestone"),
    ("Monday, Jan. 23, 2026", "milestone"),
    ("Jan. 20 - Jan. 10, 2026", "milestone"),
    ("Feb. 27-30, 2026", "milestone"),
    ("the 23rd", "milestone"),
    ("2026-01-01/..", "milestone"),
    ("../2026", "milestone"),
    ("2026-01-23/2026-01-20", "milestone"),
    ("by June", "event"),
    ("by last week", "milestone"),
    ("by yesterday", "expectation"),
    ("next Blursday", "milestone"),
    ("0000", "milestone"),
    ("winter 2025-27", "milestone"),
    ("early", "milestone"),
    ("between Jan. 10", "milestone"),
    ("from March", "milestone"),
    ("fiscal 2026", "milestone"),
    ("as early as next week", "milestone"),
    ("the weekend", "event"),
    ("the last quarter", "milestone"),
]


@pytest.mark.parametrize("phrase, kind", UNREADABLE)
def test_unreadable_phrases_raise_naming_the_phrase(phrase, kind):
    with pytest.raises(WhenParseError) as excinfo:
        parse_when(phrase, as_of=AS_OF, tz=ZURICH, kind=kind)
    error = excinfo.value
    assert error.phrase == phrase
    assert repr(phrase) in str(error)
    assert error.fields == {"when": [str(error)]}


@pytest.mark.parametrize(
    "phrase, detail",
    [
        ("Feb. 29, 2026", "2026 is not a leap year"),
        ("Jan. 32", "January has no day 32"),
        ("23/01/2026", "ambiguous"),
        ("Monday, Jan. 23, 2026", "is a Friday, not a Monday"),
        ("in six months", "within"),
        ("at 3 p.m.", "a time needs a day"),
        ("by last week", "had passed"),
        ("Jan. 20 - Jan. 10, 2026", "ends before it starts"),
        ("soon", "too vague"),
    ],
)
def test_errors_say_why(phrase, detail):
    with pytest.raises(WhenParseError, match=detail):
        parse_when(phrase, as_of=AS_OF, tz="UTC")


def test_unknown_zone_and_kind_are_invalid_input():
    with pytest.raises(InvalidInput, match="Mars/Olympus"):
        parse_when("in June", as_of=AS_OF, tz="Mars/Olympus")
    with pytest.raises(InvalidInput, match="thing"):
        parse_when("in June", as_of=AS_OF, kind="thing")


# ---------------------------------------------------------------------------
# display


@pytest.mark.parametrize(
    "phrase, tz, shown",
    [
        ("in January", "UTC", "January 2026"),
        ("on Jan. 23", ZURICH, "23 Jan 2026"),
        ("last week", "UTC", "Week of 22 Dec 2025"),
        ("spring 2026", "UTC", "Spring 2026"),
        ("winter 2026", "UTC", "Winter 2026–27"),
        ("Q1 2026", "UTC", "Q1 2026"),
        ("the first half of 2026", "UTC", "First half of 2026"),
        ("H2 2026", "UTC", "Second half of 2026"),
        ("2026", "UTC", "2026"),
        ("between Jan. 10 and Jan. 20", "UTC", "10–20 Jan 2026"),
        ("early 2026", "UTC", "Jan–Apr 2026"),
        ("late December to early January", "UTC", "21 Dec 2025 – 10 Jan 2026"),
        ("from December to February 2027", "UTC", "Dec 2026 – Feb 2027"),
        ("2026-2028", "UTC", "2026–2028"),
        ("by March 2026", "UTC", "30 Dec 2025 – 31 Mar 2026"),
        ("~January 2026", "UTC", "~January 2026"),
        ("around Jan. 23", ZURICH, "~23 Jan 2026"),
        ("undated", "UTC", "Undated"),
        ("Jan. 23 at 3 p.m.", ZURICH, "23 Jan 2026, 15:00 CET"),
    ],
)
def test_display(phrase, tz, shown):
    when = parse_when(phrase, as_of=AS_OF, tz=tz)
    assert display(when) == shown
    assert when.display() == shown


def test_a_day_is_the_same_day_for_every_reader():
    when = parse_when("on Jan. 23", as_of=AS_OF, tz=ZURICH)
    assert display(when, reader_tz="America/Los_Angeles") == "23 Jan 2026"
    assert display(when, reader_tz="Pacific/Auckland") == "23 Jan 2026"


def test_an_exact_time_moves_to_the_readers_zone():
    when = parse_when("Jan. 23 at 3 p.m.", as_of=AS_OF, tz=ZURICH)
    assert display(when, reader_tz=NEW_YORK) == "23 Jan 2026, 09:00 EST"
    assert display(when, reader_tz="Pacific/Auckland") == "24 Jan 2026, 03:00 NZDT"
    assert when.display(NEW_YORK) == "23 Jan 2026, 09:00 EST"


def test_display_of_a_stored_when_survives_as_dict_and_back():
    when = parse_when("late January", as_of=AS_OF, tz=ZURICH)
    again = When.from_dict(when.as_dict())
    assert again == when
    assert display(again) == "21–31 Jan 2026"


def test_an_exact_time_lasts_one_real_minute_even_when_the_clocks_go_back():
    # 01:59 EDT on 1 November 2026 is followed, a minute later, by 01:00 EST.
    when = parse_when("Nov. 1, 2026 at 1:59 a.m.", as_of=AS_OF, tz=NEW_YORK)
    assert when.start.isoformat() == "2026-11-01T01:59:00-04:00"
    assert elapsed(when) == timedelta(minutes=1)
