"""parse_when: "N weeks / months / years ago", counted back from as_of in the
unit the writer chose (the package docstring). Added for the temporal tagger
(reading/timex), which reads such phrases in news text through the parser."""

from datetime import date

import pytest

from timeline.exceptions import WhenParseError
from timeline.whenparse import parse_when

from .test_when_parse import assert_reads, case

SAT = date(2026, 1, 10)
CASES = [
    case("two weeks ago", "2025-12-22", "2025-12-29", "week", kind="event", as_of=SAT),
    case("a week ago", "2025-12-29", "2026-01-05", "week", kind="event", as_of=SAT, id="across the year end"),
    case("three months ago", "2025-10-01", "2025-11-01", "month", kind="event", as_of=SAT),
    case("a month ago", "2025-12-01", "2026-01-01", "month", as_of=SAT, id="for a milestone too"),
    case("a year ago", "2025-01-01", "2026-01-01", "year", kind="event", as_of=SAT),
    case("42 years ago", "1984-01-01", "1985-01-01", "year", kind="event", as_of=SAT),
    case("six months ago", "2024-09-01", "2024-10-01", "month", kind="event", as_of=date(2025, 3, 31),
         id="from the end of a month"),
    case("about two years ago", "2024-01-01", "2025-01-01", "year", True, kind="event", as_of=SAT),
]


@pytest.mark.parametrize("phrase, kind, tz, as_of, start, end, precision, approx", CASES)
def test_units_ago(phrase, kind, tz, as_of, start, end, precision, approx):
    assert_reads(phrase, kind, tz, as_of, start, end, precision, approx)


@pytest.mark.parametrize("phrase", ["99999999 weeks ago", "99999999 months ago", "99999999 years ago"])
def test_far_beyond_the_calendar_is_refused(phrase):
    with pytest.raises(WhenParseError, match="out of range"):
        parse_when(phrase, as_of=SAT, kind="event")


@pytest.mark.parametrize("phrase, as_of", [
    ("99999999 days ago", SAT),
    ("in 99999999 days", SAT),
    ("next Friday", date(9999, 12, 31)),
])
def test_arithmetic_beyond_the_calendar_is_a_parse_error_not_a_crash(phrase, as_of):
    with pytest.raises(WhenParseError, match="beyond the calendar"):
        parse_when(phrase, as_of=as_of, kind="milestone")
