"""Calendar arithmetic: a window as local dates (a Span), before it becomes
instants in a zone, and the spans of a day, week, month, season, quarter,
half and year, and their early / mid / late parts (conventions: the package
docstring)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from ..when import DAY, HALF, MONTH, QUARTER, RANGE, SEASON, SEASON_FIRST_MONTH, WEEK, YEAR, months_between
from .errors import Unreadable

# Years we accept: four digits, keeping one year clear of each end of
# Python's calendar, so that a window's exclusive end (1 January of the next
# year) and its instant in UTC (a local midnight east of Greenwich is the day
# before in UTC) both exist.
MIN_YEAR, MAX_YEAR = 2, 9998


@dataclass(frozen=True)
class Span:
    start: date
    end: date  # exclusive
    precision: str
    # Set by words that are vague by themselves ("in two weeks", "within
    # days"); "~" and "around" set the When's flag at the phrase level.
    approximate: bool = False


def check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Unreadable(f"the year {year} is out of range")


def add_months(d: date, n: int) -> date:
    """d moved by n calendar months, the day clamped to the month's end."""
    total = d.year * 12 + (d.month - 1) + n
    year, month = divmod(total, 12)
    month += 1
    check_year(year)
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def month_span(year: int, month: int) -> Span:
    check_year(year)
    start = date(year, month, 1)
    return Span(start, add_months(start, 1), MONTH)


def year_span(year: int) -> Span:
    check_year(year)
    return Span(date(year, 1, 1), date(year + 1, 1, 1), YEAR)


def months_span(year: int, first_month: int, count: int, precision: str) -> Span:
    check_year(year)
    start = date(year, first_month, 1)
    return Span(start, add_months(start, count), precision)


def monday(d: date) -> date:
    """The Monday that starts d's ISO week."""
    return d - timedelta(days=d.weekday())


def week_span(first_day: date) -> Span:
    """The ISO week that starts on first_day (a Monday)."""
    return Span(first_day, first_day + timedelta(days=7), WEEK)


def week_containing(d: date) -> Span:
    """The ISO week, Monday to Sunday, that holds day d."""
    return week_span(monday(d))


def weekend_span(first_day: date) -> Span:
    """Saturday and Sunday of the ISO week that starts on first_day."""
    saturday = first_day + timedelta(days=5)
    return Span(saturday, saturday + timedelta(days=2), RANGE)


def day_span(d: date) -> Span:
    return Span(d, d + timedelta(days=1), DAY)


def season_span(year: int, index: int) -> Span:
    """index 0..3: spring, summer, autumn, winter of the year it starts in."""
    return months_span(year, SEASON_FIRST_MONTH[index], 3, SEASON)


def quarter_span(year: int, quarter: int) -> Span:
    return months_span(year, 3 * (quarter - 1) + 1, 3, QUARTER)


def half_span(year: int, half: int) -> Span:
    return months_span(year, 6 * (half - 1) + 1, 6, HALF)


PARTS = ("early", "mid", "late")


def apply_part(span: Span, part: str) -> Span:
    """early / mid / late of a span (see the package's conventions)."""
    i = PARTS.index(part)
    if span.precision in (WEEK, DAY):
        return span  # too short to split: keep the whole
    months = months_between(span.start, span.end)
    if months == 1:
        first = span.start.replace(day=(1, 11, 21)[i])
        end = span.end if i == 2 else span.start.replace(day=(11, 21)[i])
        return Span(first, end, RANGE)
    if months and months % 3 == 0:
        third = months // 3
        start = add_months(span.start, i * third)
        return Span(start, add_months(start, third), MONTH if third == 1 else RANGE)
    raise Unreadable("early / mid / late apply to a month, a season, a quarter, a half, a year or a week")


MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def check_day(month: int, day: int) -> None:
    """Refuse a day no year has (Jan. 32, Feb. 30); Feb. 29 is checked with
    its year."""
    if not 1 <= day <= MONTH_DAYS[month - 1]:
        raise Unreadable(f"{calendar.month_name[month]} has no day {day}")


def make_date(year: int, month: int, day: int) -> date:
    check_year(year)
    check_day(month, day)
    if month == 2 and day == 29 and not calendar.isleap(year):
        raise Unreadable(f"{year} is not a leap year: February has no day 29")
    return date(year, month, day)
