"""Reading date phrases ("in January", "on Jan. 23", "early 2026") into a When.

Public functions:

- parse_when(text, *, as_of, tz="UTC", kind="milestone") -> When
- when_from_edtf(edtf, *, tz, text="") -> When
- to_edtf(when) -> str
- display(when, *, reader_tz=None) -> str

The parser is a small grammar of regular expressions (no dateutil: its fuzzy
mode invents a day). It never guesses: a phrase it cannot read, or one that is
ambiguous, raises WhenParseError naming the phrase; an unknown zone or kind is
InvalidInput.

Windows are half-open [start, end) of aware datetimes in the item's zone. A
day-or-coarser window runs from local midnight to local midnight, so "on Jan.
23" in Europe/Zurich is 2026-01-23T00:00+01:00 to 2026-01-24T00:00+01:00, and
a day on which the clocks change lasts 23 or 25 hours. (Python subtracts two
datetimes of the same zone by their wall clocks; convert to UTC to measure.)

What it reads (case-insensitive; "Jan", "Jan." and "January", "Sep", "Sept."):

- days: "Jan. 23", "January 23, 2026", "23 January", "23 Jan. 2026", "the
  23rd of January", "Friday, Jan. 23" (the weekday is checked), "2026-01-23",
  "today", "tonight", "tomorrow", "yesterday", "the day after tomorrow", "in 3
  days", "3 days from now", "two days ago", "Monday", "next / last / this
  Monday", "this past Sunday", "Monday morning";
- exact times with a day: "Jan. 23 at 3 p.m.", "3pm on Jan. 23", "Jan. 23,
  15:00", "Monday at noon", "Jan. 23 at 3 p.m. ET", ISO date-times
  "2026-01-23T15:00:00+01:00" and naive ones "2026-01-23T15:00" (in tz);
- weeks: "this / next / last week", "the week after next", "the week of Jan.
  7", "2026-W01", "week 1 of 2026"; weekends: "this / next / last weekend";
- months: "in January", "January 2026", "Sept. 2026", "next / last / this
  January", "this / next / last month", "2026-01";
- seasons: "spring 2026", "the spring of 2026", "fall 2026", "winter 2025-26",
  "this / next / last summer", "spring", "1998-SU" (TIMEX3);
- quarters and halves: "Q1 2026", "2026 Q1", "2026-Q1", "the first quarter of
  2026", "third-quarter", "Q3", "this / next / last quarter", "the first half
  of 2026", "H2 2026", "the second half of next year";
- years: "2026", "the year 2026", "this / next / last year";
- parts: "early 2026", "mid-2026", "late January", "the end of 2026", "the
  beginning of next year", "late spring 2026", "early next week", "earlier this
  month", "later this year";
- deadlines: "by March 2026", "by Jan. 23", "by the end of the year", "no later
  than June", "before Jan. 23";
- windows from as_of: "within six months", "within 90 days", "in the next two
  weeks", "over the next three months", "within a week";
- ranges: "between Jan. 10 and Jan. 20", "from March to May 2026", "March-May
  2026", "10-20 Jan 2026", "Jan. 10-20, 2026", "late December to early
  January", "2026-2028", "Monday to Friday";
- approximations: "~Jan. 23", "Jan. 23~", "around / about / roughly / circa /
  approximately X", "X or so";
- EDTF (below), and "undated", "TBD", "no date", "no deadline".

Conventions (BRIEF.md, "The record", When), and the decisions taken where
the brief left a choice:

- early / mid / late of a month: days 1-10 / 11-20 / 21-end; of a year:
  January-April / May-August / September-December. "the beginning / start
  of X" reads as early X, "the middle of X" as mid X, "the end of X" as late X
  (so "the end of 2026" is September-December 2026: the wider window that
  surely holds what the writer meant, not a guessed December). Of a season,
  quarter or half, early / mid / late are its first / second / last third (a
  month of a season or quarter, two months of a half). A week is too short to
  split by any convention, so "early next week" keeps the whole week; likewise
  "late Monday" is the whole Monday. These windows have precision `range`,
  except a third that is exactly one month (precision `month`).
- Seasons are meteorological and northern: spring March-May, summer
  June-August, autumn (fall) September-November, winter December-February. A
  season belongs to the year in which it starts: "winter 2026" is
  1 December 2026 - 1 March 2027, the same as EDTF 2026-24, so the four
  seasons of a year tile [1 March, 1 March next year). "winter 2025-26" (or
  2025/26) is the winter that starts in December 2025.
- Weeks are ISO, Monday to Sunday. "this / next / last week" is the ISO week of
  as_of, the one after, the one before. A weekend is Saturday-Sunday of that
  ISO week (a bare "the weekend" is refused: past or coming depends on tense).
- Relative names without a year ("June", "Jan. 23", "spring", "Q3", "Monday",
  "between Jan. 10 and Jan. 20") resolve by the item's kind: for an event, the
  most recent one that has begun by as_of (the current one included); for a
  milestone or an expectation, the first one not already over (the current one
  included). "next X" is the first X that begins after as_of, "last X" the last
  one that ended before as_of; "this X" follows the kind. "this / next / last
  week, month, quarter, year" are the calendar unit of as_of and its
  neighbours, whatever the kind; "the year" / "the month" are as_of's.
- A deadline, "by X" (also "no later than X", "before the end of X", "by the
  end of X"), is [as_of, end of X) with the precision of X: "by the end of the
  year" is [as_of, 1 January next), precision `year`. "before X" is [as_of,
  start of X), precision `range`. X resolves forward from as_of whatever the
  kind. A deadline that had passed on as_of, or a deadline for an event, is an
  error.
- "within N units", "in / over the next N units", "in the coming N units":
  [as_of, as_of + N units), precision `range`; months and years are calendar
  months and years (day clamped to the month's end). "in N days" is the single
  day as_of + N and "N days ago" the day as_of - N; "in two weeks" or "in six
  months" is an error (a vague point, not a window: write "within").
- "earlier this week / month / year" is [start of it, as_of + 1 day) and
  "later this week / month / year" [as_of, its end): both `range`.
- An exact time ("3 p.m.", "3pm", "15:00", "noon") has precision `time` and
  the window [t, t + 1 minute): an instant, widened to the smallest unit a
  reporter writes. "midnight" is refused (start or end of the day?). A time
  needs a single day ("Jan. 23 at 3 p.m."; "at 3 p.m." alone is an error). A
  wall time the clocks skip is moved forward by the gap; a repeated one is its
  first occurrence. The US zone words ET/EST/EDT, CT, MT, PT (and their S/D
  forms) mean that region's local clock; GMT, UTC and Z mean UTC; CET/CEST
  central Europe; BST London. The When keeps the item's zone.
- Approximate: a leading or trailing "~", or "around", "about", "roughly",
  "circa", "c.", "ca.", "approximately", "or so". EDTF's "?" (uncertain) and
  "%" also set `approximate`, the only such flag a When has.
- Refused as ambiguous or vague: all-numeric dates other than ISO
  ("23/01/2026", "01.02.2026", "23-01-2026": day/month order), "the 23rd"
  without a month, "the last quarter" without a year, "as early as ...",
  "soon", "in recent weeks", "in the coming weeks", fiscal years.
- Ranges run from the start of the first named period to the end of the last
  (end exclusive: "between Jan. 10 and Jan. 20" ends at the start of Jan. 21),
  precision `range`. A year stated on one end applies to both; the start moves
  to the year before only when the range runs from a later month to an earlier
  one ("from December to February 2027"); "Jan. 20 - Jan. 10, 2026" is an
  error. A range without a year resolves as a whole by the kind.
- EDTF input needs a zone. Forms read: YYYY, YYYY-MM, YYYY-MM-DD, level 1
  unspecified digits (201X, 20XX, 2026-XX, 2026-01-XX), sub-year groupings
  21-41 (21-24 and 25-28 northern seasons, 29-32 southern seasons, 33-36
  quarters, 37-39 thirds of a year, 40-41 halves), the qualifiers ?, ~, %,
  intervals A/B of those (no open ends), and date-times
  (2026-01-23T15:00:00+01:00, or naive ones, taken in the zone). An empty EDTF
  string (what to_edtf writes for an undated When) reads back as undated.
- EDTF output: day, month, year as themselves; seasons as 2026-21..24;
  quarters and halves as 2026-33..36 and 2026-40/41 so that their precision
  survives a round trip; an ISO week as its Monday/Sunday interval (read back
  as a week); any other window, or one that does not fit its precision (a "by"
  deadline), as an interval of months or days; an exact time as an ISO
  date-time with its offset, without "~" (EDTF allows no qualifier there); an
  undated When as "".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from .exceptions import InvalidInput, WhenParseError
from .when import (
    DAY, HALF, MONTH, QUARTER, RANGE, SEASON, SEASON_FIRST_MONTH, TIME, WEEK, YEAR, When, day_start, display,
    fits, local_days, localize, months_between, zone,
)

KINDS = ("event", "milestone", "expectation")

# The smallest unit a reporter writes for an exact time.
TIME_WINDOW = timedelta(minutes=1)

# Years we accept: four digits, keeping one year clear of each end of
# Python's calendar, so that a window's exclusive end (1 January of the next
# year) and its instant in UTC (a local midnight east of Greenwich is the day
# before in UTC) both exist.
MIN_YEAR, MAX_YEAR = 2, 9998


class _Unreadable(Exception):
    """Raised deep in the grammar; parse_when turns it into a WhenParseError
    naming the whole phrase the caller gave."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class _NoRule(_Unreadable):
    """No rule of the grammar reads the words (as opposed to a rule that
    reads them and finds the date impossible, e.g. Feb. 30): the phrase may
    still read as a range "A to B"."""


# ---------------------------------------------------------------------------
# Spans: a window as local dates, before it becomes instants in a zone.


@dataclass(frozen=True)
class Span:
    start: date
    end: date  # exclusive
    precision: str


def _add_months(d: date, n: int) -> date:
    """d moved by n calendar months, the day clamped to the month's end."""
    total = d.year * 12 + (d.month - 1) + n
    year, month = divmod(total, 12)
    month += 1
    _check_year(year)
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Unreadable(f"the year {year} is out of range")


def _month_span(year: int, month: int) -> Span:
    _check_year(year)
    start = date(year, month, 1)
    return Span(start, _add_months(start, 1), MONTH)


def _year_span(year: int) -> Span:
    _check_year(year)
    return Span(date(year, 1, 1), date(year + 1, 1, 1), YEAR)


def _months_span(year: int, first_month: int, count: int, precision: str) -> Span:
    _check_year(year)
    start = date(year, first_month, 1)
    return Span(start, _add_months(start, count), precision)


def _week_span(monday: date) -> Span:
    return Span(monday, monday + timedelta(days=7), WEEK)


def _day_span(d: date) -> Span:
    return Span(d, d + timedelta(days=1), DAY)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


# Seasons: index 0..3 = spring, summer, autumn, winter (SEASON_FIRST_MONTH).

def _season_span(year: int, index: int) -> Span:
    return _months_span(year, SEASON_FIRST_MONTH[index], 3, SEASON)


def _quarter_span(year: int, quarter: int) -> Span:
    return _months_span(year, 3 * (quarter - 1) + 1, 3, QUARTER)


def _half_span(year: int, half: int) -> Span:
    return _months_span(year, 6 * (half - 1) + 1, 6, HALF)


PARTS = ("early", "mid", "late")


def _apply_part(span: Span, part: str) -> Span:
    """early / mid / late of a span (see the module's conventions)."""
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
        start = _add_months(span.start, i * third)
        return Span(start, _add_months(start, third), MONTH if third == 1 else RANGE)
    raise _Unreadable("early / mid / late apply to a month, a season, a quarter, a half, a year or a week")


# ---------------------------------------------------------------------------
# Named: a calendar name that may lack its year ("January", "Jan. 23",
# "spring", "Q3") or a weekday. It is resolved against as_of and the kind.


@dataclass(frozen=True)
class Named:
    unit: str  # day, month, season, quarter, half, year, weekday, bareday
    year: int | None = None
    month: int | None = None
    day: int | None = None
    index: int | None = None  # season 0-3, quarter 1-4, half 1-2, weekday 0-6
    part: str | None = None  # early / mid / late
    weekday: int | None = None  # a weekday stated beside a date, to check

    @property
    def cycle(self) -> str:
        # Weekdays repeat every week, everything else every year.
        return "week" if self.unit == "weekday" else "year"

    def span_at(self, k: int, as_of: date) -> Span:
        """The span for cycle k: a year, or for a weekday a week offset from
        as_of's week."""
        if self.unit == "weekday":
            span = _day_span(_monday(as_of) + timedelta(days=7 * k + self.index))
        elif self.unit == "day":
            span = _day_span(_make_date(k, self.month, self.day))
        elif self.unit == "month":
            span = _month_span(k, self.month)
        elif self.unit == "season":
            span = _season_span(k, self.index)
        elif self.unit == "quarter":
            span = _quarter_span(k, self.index)
        elif self.unit == "half":
            span = _half_span(k, self.index)
        elif self.unit == "year":
            span = _year_span(k)
        else:
            raise _Unreadable("a bare day number needs a month beside it")
        return _apply_part(span, self.part) if self.part else span

    def check_weekday(self, span: Span) -> Span:
        """A weekday stated beside a date ("Friday, Jan. 23") must be that
        date's. It is checked after resolving, not used to pick a year."""
        if self.weekday is not None and span.start.weekday() != self.weekday:
            raise _Unreadable(
                f"{span.start.day} {span.start:%B %Y} is a {calendar.day_name[span.start.weekday()]},"
                f" not a {calendar.day_name[self.weekday]}"
            )
        return span


MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _check_day(month: int, day: int) -> None:
    """Refuse a day no year has (Jan. 32, Feb. 30); Feb. 29 is checked with
    its year."""
    if not 1 <= day <= MONTH_DAYS[month - 1]:
        raise _Unreadable(f"{calendar.month_name[month]} has no day {day}")


def _make_date(year: int, month: int, day: int) -> date:
    _check_year(year)
    _check_day(month, day)
    if month == 2 and day == 29 and not calendar.isleap(year):
        raise _Unreadable(f"{year} is not a leap year: February has no day 29")
    return date(year, month, day)


def _candidates(named: Named, as_of: date) -> list[Span]:
    """Every span the name can mean near as_of, in order. Invalid ones
    (Feb. 29 of a common year) are skipped."""
    ks = range(-3, 4) if named.cycle == "week" else range(as_of.year - 9, as_of.year + 10)
    spans, first_error = [], None
    for k in ks:
        try:
            spans.append(named.span_at(k, as_of))
        except _Unreadable as error:
            first_error = first_error or error
    if not spans:
        raise first_error or _Unreadable("no such date")
    return spans


def _pick(spans: list[Span], as_of: date, mode: str) -> Span:
    """The span a relative name means. mode: past (an event's), future (a
    milestone's), next, last; see the module's conventions."""
    if mode == "past":
        chosen = [s for s in spans if s.start <= as_of][-1:]
    elif mode == "future":
        chosen = [s for s in spans if s.end > as_of][:1]
    elif mode == "next":
        chosen = [s for s in spans if s.start > as_of][:1]
    else:
        chosen = [s for s in spans if s.end <= as_of][-1:]
    if not chosen:
        raise _Unreadable("no such date near the source's date")
    return chosen[0]


# ---------------------------------------------------------------------------
# The context of one parse.


@dataclass(frozen=True)
class _Ctx:
    as_of: date
    zone: ZoneInfo
    kind: str

    @property
    def mode(self) -> str:
        return "past" if self.kind == "event" else "future"


def _resolve(thing: Span | Named, ctx: _Ctx, mode: str | None = None) -> Span:
    if isinstance(thing, Span):
        return thing
    if thing.unit == "bareday":
        raise _Unreadable("a bare day number needs a month beside it")
    if thing.year is not None:
        return thing.check_weekday(thing.span_at(thing.year, ctx.as_of))
    return thing.check_weekday(_pick(_candidates(thing, ctx.as_of), ctx.as_of, mode or ctx.mode))


# ---------------------------------------------------------------------------
# Vocabulary.

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
SEASONS = {"spring": 0, "summer": 1, "autumn": 2, "fall": 2, "winter": 3}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
}


def _alternation(words) -> str:
    # Longest first, so "sept" is tried before "sep".
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


MONTH_RE = rf"(?P<month>{_alternation(MONTHS)})\.?"
WEEKDAY_RE = rf"(?P<weekday>{_alternation(WEEKDAYS)})\.?"
DAYNUM_RE = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
YEAR_RE = r"(?P<year>\d{4})"
SEASON_RE = rf"(?P<season>{_alternation(SEASONS)})"
NUMBER_RE = rf"(?P<n>\d+|{_alternation(NUMBERS)})"
UNIT_RE = r"(?P<unit>days?|weeks?|fortnights?|months?|years?)"


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word]


def _year(text: str) -> int:
    year = int(text)
    _check_year(year)
    return year


def _month(m) -> int:
    return MONTHS[m.group("month")]


# ---------------------------------------------------------------------------
# The grammar of a single period. Each rule is a regex matched against the
# whole (normalised) phrase and a function returning a Span or a Named.

_RULES: list[tuple[re.Pattern, object]] = []


def rule(pattern: str):
    def register(fn):
        _RULES.append((re.compile(pattern), fn))
        return fn

    return register


def _period(s: str, ctx: _Ctx) -> Span | Named:
    """Read one period: a day, a month, a season, a week, a year, a relative
    word, or a part of one of them."""
    s = s.strip()
    for pattern, fn in _RULES:
        m = pattern.fullmatch(s)
        if m:
            return fn(m, ctx)
    raise _NoRule(_why_not(s))


_VAGUE = {
    "soon", "shortly", "recently", "lately", "eventually", "imminently", "the future", "the near future",
    "the coming days", "the coming weeks", "the coming months", "the coming years", "recent days",
    "recent weeks", "recent months", "recent years", "the past", "a few days", "a few weeks", "a few months",
    "days", "weeks", "months", "years",
}


def _why_not(s: str) -> str:
    """A helpful detail for a phrase no rule reads."""
    if re.fullmatch(r"\d{1,4}\s*[/.]\s*\d{1,2}(\s*[/.]\s*\d{2,4})?|\d{1,2}-\d{1,2}-\d{2,4}", s):
        return "all-numeric dates like 23/01/2026 are ambiguous (day/month order); write 2026-01-23 or 23 January 2026"
    if re.fullmatch(rf"(?:in |after )?{NUMBER_RE} (?:weeks?|fortnights?|months?|years?)(?: from now| later| time)?", s):
        return "a vague point in time; write 'within N weeks' for the window up to it"
    if "midnight" in s:
        return "'midnight' is ambiguous (the start or the end of the day?); write 00:00 or 23:59"
    vague = re.sub(r"^(?:in|over|during|within) ", "", s)
    if vague in _VAGUE or re.fullmatch(r"(?:the )?(?:next|coming|past|last) (?:few|several) \w+", vague):
        return "too vague to place in a window"
    return "not a date phrase this parser knows"


# Relative words -------------------------------------------------------------

_RELATIVE_DAYS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "tomorrow": 1, "tomorrow morning": 1, "tomorrow afternoon": 1, "tomorrow evening": 1,
    "tomorrow night": 1, "the day after tomorrow": 2, "yesterday": -1, "yesterday morning": -1,
    "yesterday afternoon": -1, "yesterday evening": -1, "last night": -1, "the day before yesterday": -2,
}


@rule(_alternation(_RELATIVE_DAYS))
def _relative_day(m, ctx):
    return _day_span(ctx.as_of + timedelta(days=_RELATIVE_DAYS[m.group(0)]))


@rule(
    rf"in {NUMBER_RE} days?|{NUMBER_RE.replace('?P<n>', '?P<later>')} days? from now"
    rf"|{NUMBER_RE.replace('?P<n>', '?P<ago>')} days? ago"
)
def _days_offset(m, ctx):
    if m.group("ago"):
        return _day_span(ctx.as_of - timedelta(days=_number(m.group("ago"))))
    return _day_span(ctx.as_of + timedelta(days=_number(m.group("n") or m.group("later"))))


_SHIFT = {"this": 0, "the current": 0, "next": 1, "last": -1, "the previous": -1}
SHIFT_RE = r"(?P<shift>this|the current|next|last|the previous)"


@rule(rf"{SHIFT_RE} week|the week after next|the week before last")
def _relative_week(m, ctx):
    shift = {"the week after next": 2, "the week before last": -2}.get(m.group(0))
    if shift is None:
        shift = _SHIFT[m.group("shift")]
    return _week_span(_monday(ctx.as_of) + timedelta(days=7 * shift))


# A bare "the weekend" is not read: past or coming depends on the tense.
@rule(rf"{SHIFT_RE} weekend")
def _relative_weekend(m, ctx):
    shift = _SHIFT[m.group("shift")]
    saturday = _monday(ctx.as_of) + timedelta(days=7 * shift + 5)
    return Span(saturday, saturday + timedelta(days=2), RANGE)


@rule(rf"{SHIFT_RE} month|the month")
def _relative_month(m, ctx):
    shift = _SHIFT[m.group("shift")] if m.group("shift") else 0
    first = _add_months(ctx.as_of.replace(day=1), shift)
    return Span(first, _add_months(first, 1), MONTH)


@rule(rf"{SHIFT_RE} quarter|the quarter")
def _relative_quarter(m, ctx):
    shift = _SHIFT[m.group("shift")] if m.group("shift") else 0
    first = ctx.as_of.replace(month=3 * ((ctx.as_of.month - 1) // 3) + 1, day=1)
    start = _add_months(first, 3 * shift)
    return Span(start, _add_months(start, 3), QUARTER)


@rule(rf"{SHIFT_RE} year|the year|the current year")
def _relative_year(m, ctx):
    shift = _SHIFT[m.group("shift")] if m.group("shift") else 0
    return _year_span(ctx.as_of.year + shift)


@rule(r"(?P<which>earlier|later) (?:this|in the) (?P<unit>week|month|year)")
def _earlier_later(m, ctx):
    whole = {
        "week": lambda: _week_span(_monday(ctx.as_of)),
        "month": lambda: Span(ctx.as_of.replace(day=1), _add_months(ctx.as_of.replace(day=1), 1), MONTH),
        "year": lambda: _year_span(ctx.as_of.year),
    }[m.group("unit")]()
    if m.group("which") == "earlier":
        return Span(whole.start, ctx.as_of + timedelta(days=1), RANGE)
    return Span(ctx.as_of, whole.end, RANGE)


# Weeks ----------------------------------------------------------------------


@rule(rf"{YEAR_RE}-?w(?P<week>\d{{1,2}})|(?:the )?week (?P<week2>\d{{1,2}})(?:,| of)? (?P<year2>\d{{4}})")
def _iso_week(m, ctx):
    year = _year(m.group("year") or m.group("year2"))
    week = int(m.group("week") or m.group("week2"))
    try:
        return _week_span(date.fromisocalendar(year, week, 1))
    except ValueError:
        raise _Unreadable(f"{year} has no ISO week {week}")


@rule(r"(?:the )?week of (?P<rest>.+)")
def _week_of(m, ctx):
    day = _resolve(_period(m.group("rest"), ctx), ctx)
    if day.precision != DAY:
        raise _Unreadable("'the week of' needs a single day")
    return _week_span(_monday(day.start))


# Days -----------------------------------------------------------------------

_PART_OF_DAY = r"(?: (?:morning|afternoon|evening|night))?"


@rule(rf"(?:{WEEKDAY_RE},? )?(?:the )?{DAYNUM_RE}(?: of)? {MONTH_RE}(?:,? {YEAR_RE})?{_PART_OF_DAY}")
@rule(rf"(?:{WEEKDAY_RE},? )?{MONTH_RE} (?:the )?{DAYNUM_RE}(?:,? {YEAR_RE})?{_PART_OF_DAY}")
def _day(m, ctx):
    month, day = _month(m), int(m.group("day"))
    _check_day(month, day)
    weekday = WEEKDAYS[m.group("weekday")] if m.group("weekday") else None
    year = _year(m.group("year")) if m.group("year") else None
    named = Named("day", year=year, month=month, day=day, weekday=weekday)
    if year is not None:
        named.check_weekday(named.span_at(year, ctx.as_of))  # fail early on Feb. 29 of a common year
    return named


@rule(rf"(?:(?P<shift>this|this coming|this past|next|last) )?{WEEKDAY_RE}{_PART_OF_DAY}")
def _weekday(m, ctx):
    named = Named("weekday", index=WEEKDAYS[m.group("weekday")])
    shift = m.group("shift")
    if shift in ("next", "this coming"):
        return _resolve(named, ctx, "next")
    if shift in ("last", "this past"):
        return _resolve(named, ctx, "last")
    return named


@rule(rf"(?:the )?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,? {YEAR_RE})?")
def _bare_day(m, ctx):
    # Only meaningful as one end of a range ("10-20 Jan 2026", "Jan. 10-20,
    # 2026"); _resolve refuses it on its own.
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        raise _Unreadable(f"no month has a day {day}")
    return Named("bareday", day=day, year=_year(m.group("year")) if m.group("year") else None)


# Months, seasons, quarters, halves, years -----------------------------------


@rule(rf"{MONTH_RE}(?:,? (?:of )?{YEAR_RE})?")
def _month_name(m, ctx):
    year = _year(m.group("year")) if m.group("year") else None
    return Named("month", year=year, month=_month(m))


@rule(rf"(?P<shift>this|next|last) {MONTH_RE}")
def _shifted_month(m, ctx):
    named = Named("month", month=_month(m))
    return _resolve(named, ctx, {"this": None, "next": "next", "last": "last"}[m.group("shift")])


@rule(
    rf"(?:the )?{SEASON_RE}(?:,? (?:of )?{YEAR_RE}(?:\s*[-/]\s*(?P<next>\d{{2}}|\d{{4}}))?)?"
    rf"|{YEAR_RE.replace('?P<year>', '?P<year2>')}-(?P<timex>sp|su|fa|wi)"
)
def _season(m, ctx):
    if m.group("timex"):  # TIMEX3 value forms: 1998-SU
        index = ("sp", "su", "fa", "wi").index(m.group("timex"))
        return Named("season", year=_year(m.group("year2")), index=index)
    index = SEASONS[m.group("season")]
    year = _year(m.group("year")) if m.group("year") else None
    if m.group("next"):
        following = m.group("next")
        following = int(following) if len(following) == 4 else (year // 100) * 100 + int(following)
        if index != 3 or following != year + 1:
            raise _Unreadable("a season over two years must be a winter of consecutive years, e.g. winter 2025-26")
    return Named("season", year=year, index=index)


@rule(rf"(?P<shift>this|next|last) {SEASON_RE}")
def _shifted_season(m, ctx):
    named = Named("season", index=SEASONS[m.group("season")])
    return _resolve(named, ctx, {"this": None, "next": "next", "last": "last"}[m.group("shift")])


def _year_of(rest: str | None, ctx: _Ctx) -> int | None:
    """The year of "... of 2026" / "... of next year"; None when absent."""
    if not rest:
        return None
    thing = _period(rest, ctx)
    if isinstance(thing, Named) and thing.unit == "year" and not thing.part:
        return thing.year
    if isinstance(thing, Span) and thing.precision == YEAR:
        return thing.start.year
    raise _Unreadable("a quarter or a half must be of a year")


@rule(
    rf"q(?P<q>[1-4])(?:,? (?:of )?{YEAR_RE})?"
    rf"|{YEAR_RE.replace('?P<year>', '?P<year2>')}[- ]?q(?P<q2>[1-4])"
    rf"|(?:the )?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|last|final)[- ]quarter(?:,?(?: of)? (?P<rest>.+))?"
)
def _quarter(m, ctx):
    if m.group("ord"):
        if m.group("ord") in ("last", "final") and not m.group("rest"):
            # "the last quarter" alone: the previous quarter, or the fourth?
            raise _Unreadable(
                "'the last quarter' is ambiguous; write 'last quarter', 'Q4' or 'the last quarter of 2026'"
            )
        quarter = 4 if m.group("ord") in ("last", "final") else ORDINALS[m.group("ord")]
        year = _year_of(m.group("rest"), ctx)
    else:
        quarter = int(m.group("q") or m.group("q2"))
        y = m.group("year") or m.group("year2")
        year = _year(y) if y else None
    return Named("quarter", year=year, index=quarter)


@rule(
    rf"h(?P<h>[12])(?:,? (?:of )?{YEAR_RE})?"
    rf"|{YEAR_RE.replace('?P<year>', '?P<year2>')}[- ]?h(?P<h2>[12])"
    rf"|(?:the )?(?P<ord>first|second|1st|2nd|latter) half(?:,?(?: of)? (?P<rest>.+))?"
)
def _half(m, ctx):
    if m.group("ord"):
        half = 2 if m.group("ord") == "latter" else ORDINALS[m.group("ord")]
        year = _year_of(m.group("rest"), ctx)
    else:
        half = int(m.group("h") or m.group("h2"))
        y = m.group("year") or m.group("year2")
        year = _year(y) if y else None
    return Named("half", year=year, index=half)


@rule(rf"(?:the year )?{YEAR_RE}")
def _year_number(m, ctx):
    return Named("year", year=_year(m.group("year")))


@rule(r"\d{4}-(?:\d{2}|xx)(?:-(?:\d{2}|xx))?|\d{3}x|\d{2}xx")
def _edtf_period(m, ctx):
    # An EDTF / ISO value inside a phrase: "by 2026-03", "from 2026-01-10 to 2026-01-20".
    return _edtf_part(m.group(0))[0]


# Parts: early / mid / late ---------------------------------------------------

_PART_WORDS = {
    "early": "early", "beginning": "early", "start": "early", "mid": "mid", "middle": "mid",
    "late": "late", "end": "late", "close": "late",
}


@rule(
    r"(?:the )?(?P<part>beginning|start|middle|end|close) of (?P<rest>.+)"
    r"|(?P<part2>early|mid|late)(?:-| )(?P<rest2>.+)"
)
def _part(m, ctx):
    part = _PART_WORDS[m.group("part") or m.group("part2")]
    rest = _strip_lead(m.group("rest") or m.group("rest2"))  # "late in the year"
    thing = _period(rest, ctx)
    if isinstance(thing, Named):
        if thing.part:
            raise _Unreadable("early / mid / late cannot be nested")
        if thing.unit == "bareday":
            raise _Unreadable("a bare day number needs a month beside it")
        named = replace(thing, part=part)
        if named.year is not None:
            named.span_at(named.year, ctx.as_of)  # fail early on a span that cannot be split
        return named
    return _apply_part(thing, part)


# ---------------------------------------------------------------------------
# Phrase level: deadlines, windows from as_of, ranges, approximations.

_APPROX_PREFIX = re.compile(
    r"(?:~\s*|(?:some ?time |sometime )?(?:around|about|roughly|circa|approximately|ca\.|c\.)\s+)"
)
_APPROX_SUFFIX = re.compile(r"(?:\s*~|,? or so)$")
# Words around a date that do not change its window. "in" is kept before a
# number ("in 3 days" is a day; "in the next two weeks" a window).
_LEAD_WORDS = re.compile(
    r"(?:as recently as|just|only|sometime|some time|scheduled for|set for|slated for"
    rf"|expected|due|planned for|on|in(?! {NUMBER_RE} )|during|at|for)\s+"
)
_UNDATED = {
    "undated", "no date", "date unknown", "unknown", "unknown date", "no deadline", "tbd", "tba",
    "to be determined", "to be announced", "not yet scheduled",
}
_DEADLINE = re.compile(
    r"(?P<how>by the end of|by the close of|by|no later than|not later than|before the end of|before)\s+(?P<rest>.+)"
)
_WITHIN = re.compile(
    rf"within(?: the)?(?: next| coming)? {NUMBER_RE} {UNIT_RE}"
    rf"|(?:in|over) the (?:next|coming) {NUMBER_RE.replace('?P<n>', '?P<n2>')}"
    rf" {UNIT_RE.replace('?P<unit>', '?P<unit2>')}"
    rf"|within (?:the )?(?:next|coming) (?P<unit3>day|week|fortnight|month|year)"
)
_RANGE_INTRO = re.compile(r"between (?P<a>.+?) and (?P<b>.+)|from (?P<c>.+)")
_RANGE_SEPARATORS = (" to ", " through ", " thru ", " until ", " till ", "-")


def _normalise(text: str) -> str:
    s = text.strip().lower()
    s = s.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    s = re.sub(r"\s+", " ", s)
    s = s.rstrip(",;:!")
    # A final full stop (the end of a sentence, or of "Jan.") carries no
    # meaning, except in "p.m.", which the time grammar reads with it.
    if not re.search(r"\b[ap]\.m\.$", s):
        s = s.rstrip(".")
    return s.strip()


def _strip_approx(s: str) -> tuple[str, bool]:
    approximate = False
    while True:
        m = _APPROX_PREFIX.match(s)
        if m and s[m.end():]:
            s, approximate = s[m.end():], True
            continue
        m = _APPROX_SUFFIX.search(s)
        if m and s[: m.start()]:
            s, approximate = s[: m.start()], True
            continue
        return s.strip(), approximate


def _strip_lead(s: str) -> str:
    while (m := _LEAD_WORDS.match(s)) and s[m.end():]:
        s = s[m.end():]
    return s


def _deadline(m, ctx: _Ctx) -> Span:
    """by X: [as_of, end of X) with X's precision; before X: [as_of, start of X)."""
    if ctx.kind == "event":
        raise _Unreadable("a deadline ('by ...') cannot place an event; give when it happened")
    how, rest = m.group("how"), _strip_lead(m.group("rest"))
    if how != "before":
        # "by the end of March" and "by March" name the same deadline.
        rest = re.sub(r"^(?:the )?(?:end|close) of ", "", rest)
    target = _resolve(_period(rest, ctx), ctx, "future")
    end = target.start if how == "before" else target.end
    if end <= ctx.as_of:
        last_day = end - timedelta(days=1)
        raise _Unreadable(f"the deadline ({last_day.day} {last_day:%B %Y}) had passed by {ctx.as_of.isoformat()}")
    return Span(ctx.as_of, end, RANGE if how == "before" else target.precision)


def _within(m, ctx: _Ctx) -> Span:
    """[as_of, as_of + N units)."""
    if m.group("unit3"):
        n, unit = 1, m.group("unit3")
    else:
        n, unit = _number(m.group("n") or m.group("n2")), m.group("unit") or m.group("unit2")
    if n < 1:
        raise _Unreadable("a window of zero length")
    unit = unit.rstrip("s")
    if unit in ("day", "week", "fortnight"):
        end = ctx.as_of + timedelta(days=n * {"day": 1, "week": 7, "fortnight": 14}[unit])
    else:
        end = _add_months(ctx.as_of, n * (12 if unit == "year" else 1))
    return Span(ctx.as_of, end, RANGE)


def _inherit(a: Named, b: Named) -> tuple[Named, Named]:
    """A bare day on one end of a range takes the month (and year) of the
    other: "10-20 Jan 2026", "Jan. 10-20"."""
    if a.unit == "bareday" and b.unit == "bareday":
        raise _Unreadable("a range of bare day numbers needs a month")
    if a.unit == "bareday":
        if b.unit != "day":
            raise _Unreadable("a bare day number needs a month beside it")
        _check_day(b.month, a.day)
        a = Named("day", year=a.year or b.year, month=b.month, day=a.day)
    if b.unit == "bareday":
        if a.unit != "day":
            raise _Unreadable("a bare day number needs a month beside it")
        _check_day(a.month, b.day)
        b = Named("day", year=b.year or a.year, month=a.month, day=b.day)
    return a, b


def _crosses_new_year(first: Span, last: Span) -> bool:
    """May a range whose ends share a year wrap into the next year? Only when
    it runs from a later month to an earlier one ("December to February");
    "Jan. 20 to Jan. 10" is a mistake, not a year-long range."""
    return first.start.month > last.start.month


def _range_named(a: Named, b: Named, ctx: _Ctx) -> tuple[Span, Span]:
    week = a.cycle == "week"
    if a.year is not None and b.year is not None:
        return a.span_at(a.year, ctx.as_of), b.span_at(b.year, ctx.as_of)
    if b.year is not None:
        # A year on one end applies to both ("from March to May 2026").
        last, first = b.span_at(b.year, ctx.as_of), a.span_at(b.year, ctx.as_of)
        if first.start >= last.end and _crosses_new_year(first, last):
            first = a.span_at(b.year - 1, ctx.as_of)
        return first, last
    if a.year is not None:
        first, last = a.span_at(a.year, ctx.as_of), b.span_at(a.year, ctx.as_of)
        if last.end <= first.start and _crosses_new_year(first, last):
            last = b.span_at(a.year + 1, ctx.as_of)
        return first, last
    # No year at all: the range is resolved as a whole, like a single name.
    pairs, error = [], None
    ks = range(-3, 4) if week else range(ctx.as_of.year - 9, ctx.as_of.year + 10)
    for k in ks:
        try:
            first, last = a.span_at(k, ctx.as_of), b.span_at(k, ctx.as_of)
            if last.end <= first.start and (week or _crosses_new_year(first, last)):
                last = b.span_at(k + 1, ctx.as_of)
        except _Unreadable as e:
            error = error or e
            continue
        pairs.append((first, last))
    if not pairs:
        raise error or _Unreadable("no such range")
    joined = [Span(f.start, l.end, RANGE) for f, l in pairs]
    return pairs[joined.index(_pick(joined, ctx.as_of, ctx.mode))]


def _range(a: Span | Named, b: Span | Named, ctx: _Ctx) -> Span:
    """The window from the start of a to the end of b."""
    if isinstance(a, Named) and isinstance(b, Named):
        a, b = _inherit(a, b)
        if a.cycle != b.cycle:
            raise _Unreadable("a range from a weekday must end on a weekday")
        first, last = _range_named(a, b, ctx)
        first, last = a.check_weekday(first), b.check_weekday(last)
    elif isinstance(a, Named):
        # "from Jan. 10 to next week": the last such name that starts before b ends.
        last = b
        if a.year is not None:
            first = _resolve(a, ctx)
        else:
            options = [s for s in _candidates(a, ctx.as_of) if s.start < b.end]
            if not options:
                raise _Unreadable("the range ends before it starts")
            first = a.check_weekday(options[-1])
    elif isinstance(b, Named):
        first = a
        if b.year is not None:
            last = _resolve(b, ctx)
        else:
            options = [s for s in _candidates(b, ctx.as_of) if s.end > a.start]
            if not options:
                raise _Unreadable("the range ends before it starts")
            last = b.check_weekday(options[0])
    else:
        first, last = a, b
    if last.end <= first.start:
        raise _Unreadable("the range ends before it starts")
    return Span(first.start, last.end, RANGE)


def _read_range(s: str, ctx: _Ctx) -> Span | None:
    """Read s as "between A and B", "from A to B", "A to B" or "A-B"; None
    when no split of it reads as two periods. Once both ends read, an
    impossible range (it ends before it starts, Feb. 27-30) is an error."""
    m = _RANGE_INTRO.fullmatch(s)
    if m and m.group("a"):
        return _range(_period(_strip_lead(m.group("a")), ctx), _period(_strip_lead(m.group("b")), ctx), ctx)
    body = m.group("c") if m else s
    for sep in _RANGE_SEPARATORS:
        at = body.find(sep)
        while at != -1:
            left, right = body[:at].strip(), body[at + len(sep):].strip()
            at = body.find(sep, at + 1)
            if not left or not right:
                continue
            try:
                a, b = _period(left, ctx), _period(_strip_lead(right), ctx)
            except _NoRule:
                continue  # not a split between two periods; try the next one
            return _range(a, b, ctx)
    if m:
        raise _Unreadable("'from' needs two dates: 'from March to May 2026'")
    return None


# Times ------------------------------------------------------------------------

_TIME = (
    r"(?P<h12>\d{1,2})(?:[:.](?P<m12>\d{2}))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)"
    r"|(?P<h24>\d{1,2}):(?P<m24>\d{2})(?:\s*h(?:rs)?)?"
    r"|(?P<noon>noon|midday)"
)
_TIME_ZONES = {
    "utc": "UTC", "gmt": "UTC", "z": "UTC",
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago",
    "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "cet": "Europe/Paris", "cest": "Europe/Paris", "bst": "Europe/London",
    "local time": None, "local": None,
}
_ZONE = rf"(?:\s+\(?(?P<zone>{_alternation(_TIME_ZONES)})\)?)?"
_TIME_AFTER = re.compile(rf"(?P<rest>.+?),?\s+(?:at\s+|@\s*)?(?P<time>{_TIME}){_ZONE}")
_TIME_BEFORE = re.compile(rf"(?:at\s+)?(?P<time>{_TIME}){_ZONE},?\s+(?:on\s+)?(?P<rest>.+)")
_TIME_ALONE = re.compile(rf"(?:at\s+)?(?P<time>{_TIME}){_ZONE}")


def _clock(m) -> time:
    if m.group("noon"):
        return time(12, 0)
    if m.group("ampm"):
        hour, minute = int(m.group("h12")), int(m.group("m12") or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise _Unreadable(f"no such time {m.group('time')!r}")
        hour = hour % 12 + (12 if m.group("ampm").startswith("p") else 0)
        return time(hour, minute)
    hour, minute = int(m.group("h24")), int(m.group("m24"))
    if hour > 23 or minute > 59:
        raise _Unreadable(f"no such time {m.group('time')!r}")
    return time(hour, minute)


def _timed(s: str, ctx: _Ctx) -> tuple[datetime, datetime] | None:
    """A phrase with a clock time: the minute it names, or None if no time."""
    m = _TIME_AFTER.fullmatch(s) or _TIME_BEFORE.fullmatch(s)
    if not m:
        if _TIME_ALONE.fullmatch(s):
            raise _Unreadable("a time needs a day ('Jan. 23 at 3 p.m.')")
        return None
    day = _resolve(_period(_strip_lead(m.group("rest")), ctx), ctx)
    if day.precision != DAY:
        raise _Unreadable("a time needs a single day")
    zone_name = _TIME_ZONES.get(m.group("zone") or "local")
    clock_zone = ZoneInfo(zone_name) if zone_name else ctx.zone
    start = localize(datetime.combine(day.start, _clock(m)), clock_zone).astimezone(ctx.zone)
    return start, _after(start, TIME_WINDOW)


# ---------------------------------------------------------------------------
# Instants.


def _after(moment: datetime, elapsed: timedelta) -> datetime:
    """moment + elapsed in real time. Python adds to a zoned datetime on the
    wall clock, which is an hour off across a clock change."""
    return (_utc(moment) + elapsed).astimezone(moment.tzinfo)


def _utc(moment: datetime) -> datetime:
    # Instants are compared in UTC: Python compares two datetimes of the same
    # zone by their wall clocks.
    return moment.astimezone(timezone.utc)


def _when(text: str, span: Span, z: ZoneInfo, tz: str, approximate: bool) -> When:
    start, end = day_start(span.start, z), day_start(span.end, z)
    return _with_edtf(When(text=text, start=start, end=end, precision=span.precision, approximate=approximate, tz=tz))


def _with_edtf(when: When) -> When:
    return replace(when, edtf=to_edtf(when))


# ---------------------------------------------------------------------------
# parse_when


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        message = f"Unknown kind {kind!r}; use one of {', '.join(KINDS)}."
        raise InvalidInput(message, fields={"kind": [message]})


def parse_when(text: str, *, as_of: date, tz: str = "UTC", kind: str = "milestone") -> When:
    """Read a date phrase as reported into a When, resolving relative words
    against as_of (the source's date) and the kind of item. Raises
    WhenParseError naming the phrase when it cannot be read, InvalidInput for
    an unknown zone or kind."""
    z = zone(tz)
    _check_kind(kind)
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    if not isinstance(as_of, date):
        raise InvalidInput("as_of must be a date", fields={"as_of": ["Must be a date."]})
    phrase = text if isinstance(text, str) else ""
    try:
        return _parse(phrase.strip(), _Ctx(as_of, z, kind), tz)
    except _Unreadable as error:
        raise WhenParseError(phrase, error.detail) from None


def _parse(text: str, ctx: _Ctx, tz: str) -> When:
    s = _normalise(text)
    if not s:
        raise _Unreadable("the phrase is empty")
    approximate = False
    while True:
        s, approx = _strip_approx(s)
        approximate = approximate or approx
        if s in _UNDATED:
            return When.undated(text, tz=tz)
        if _EDTF_VALUE.fullmatch(s):  # EDTF and ISO date-times, the exchange formats
            when = _from_edtf(s, ctx.zone, tz, text)
            return _with_edtf(replace(when, approximate=True)) if approximate else when
        if m := _DEADLINE.fullmatch(s):
            return _when(text, _deadline(m, ctx), ctx.zone, tz, approximate)
        if m := _WITHIN.fullmatch(s):
            return _when(text, _within(m, ctx), ctx.zone, tz, approximate)
        stripped = _strip_lead(s)
        if stripped == s:
            break
        s = stripped

    timed = _timed(s, ctx)
    if timed:
        start, end = timed
        return _with_edtf(When(text=text, start=start, end=end, precision=TIME, approximate=approximate, tz=tz))
    try:
        span = _resolve(_period(s, ctx), ctx)
    except _NoRule as no_rule:
        span = _read_range(s, ctx)
        if span is None:
            raise no_rule
    return _when(text, span, ctx.zone, tz, approximate)


# ---------------------------------------------------------------------------
# EDTF in.

_EDTF_PART = (
    r"(?:\d{4}|\d{3}X|\d{2}XX)"  # year, or level 1 unspecified digits
    r"(?:-(?:\d{2}|XX)(?:-(?:\d{2}|XX))?)?"
    r"[?~%]?"
)
_EDTF_DATETIME = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?"
# A whole phrase in EDTF: a date-time, a value, or an interval (open ends
# included, so that they get a precise error).
_EDTF_VALUE = re.compile(
    rf"{_EDTF_DATETIME}|{_EDTF_PART}|(?:{_EDTF_PART}|\.\.)?/(?:{_EDTF_PART}|\.\.)?", re.IGNORECASE
)
_EDTF_PART_RE = re.compile(
    r"(?P<y>\d{4}|\d{3}X|\d{2}XX)(?:-(?P<m>\d{2}|XX)(?:-(?P<d>\d{2}|XX))?)?(?P<q>[?~%])?", re.IGNORECASE
)

# EDTF sub-year groupings (ISO 8601-2): code -> (first month, months, precision)
# and, for seasons across the year end, the months start in December.
_EDTF_GROUPS = {
    21: (3, 3, SEASON), 22: (6, 3, SEASON), 23: (9, 3, SEASON), 24: (12, 3, SEASON),
    25: (3, 3, SEASON), 26: (6, 3, SEASON), 27: (9, 3, SEASON), 28: (12, 3, SEASON),  # northern
    29: (9, 3, SEASON), 30: (12, 3, SEASON), 31: (3, 3, SEASON), 32: (6, 3, SEASON),  # southern
    33: (1, 3, QUARTER), 34: (4, 3, QUARTER), 35: (7, 3, QUARTER), 36: (10, 3, QUARTER),
    37: (1, 4, RANGE), 38: (5, 4, RANGE), 39: (9, 4, RANGE),  # quadrimesters
    40: (1, 6, HALF), 41: (7, 6, HALF),  # semestrals
}


def _edtf_part(part: str) -> tuple[Span, bool]:
    m = _EDTF_PART_RE.fullmatch(part)
    if not m:
        raise _Unreadable(f"{part!r} is not an EDTF date this parser reads")
    y, mo, d = m.group("y").upper(), (m.group("m") or "").upper(), (m.group("d") or "").upper()
    approximate = bool(m.group("q"))
    if "X" in y:
        if mo or d:
            raise _Unreadable("an unspecified year cannot have a month or a day")
        first = int(y.replace("X", "0"))
        last = int(y.replace("X", "9"))
        _check_year(max(first, MIN_YEAR))
        _check_year(last)
        return Span(date(max(first, MIN_YEAR), 1, 1), date(last + 1, 1, 1), RANGE), approximate
    year = _year(y)
    if not mo or mo == "XX":
        if d and d != "XX":
            raise _Unreadable("an unspecified month cannot have a day")
        return _year_span(year), approximate
    month = int(mo)
    if month in _EDTF_GROUPS:
        if d:
            raise _Unreadable(f"the sub-year grouping {month} cannot have a day")
        first_month, count, precision = _EDTF_GROUPS[month]
        return _months_span(year, first_month, count, precision), approximate
    if not 1 <= month <= 12:
        raise _Unreadable(f"there is no month {month}")
    if not d or d == "XX":
        return _month_span(year, month), approximate
    return _day_span(_make_date(year, month, int(d))), approximate


def _from_edtf(edtf: str, z: ZoneInfo, tz: str, text: str) -> When:
    value = edtf.strip()
    if not value:
        return When.undated(text, tz=tz)
    if re.fullmatch(_EDTF_DATETIME, value, re.IGNORECASE):
        return _edtf_datetime(value, z, tz, text)
    if "/" in value:
        a, _, b = value.partition("/")
        if a in ("", "..") or b in ("", ".."):
            raise _Unreadable("an open or unknown interval end has no window")
        (first, qa), (last, qb) = _edtf_part(a), _edtf_part(b)
        if last.end <= first.start:
            raise _Unreadable("the interval ends before it starts")
        precision = RANGE
        # EDTF has no week: to_edtf writes an ISO week as Monday/Sunday, so
        # such an interval of two days reads back as that week.
        if first.precision == DAY and last.precision == DAY and first.start.weekday() == 0 \
                and last.end == first.start + timedelta(days=7):
            precision = WEEK
        span = Span(first.start, last.end, precision)
        return _when(text, span, z, tz, qa or qb)
    if re.fullmatch(r"[XY?~%-]+.*|.*[\[\]{}^].*", value, re.IGNORECASE):
        raise _Unreadable("EDTF sets, long years and fully unspecified dates are not read")
    span, approximate = _edtf_part(value)
    return _when(text, span, z, tz, approximate)


def _edtf_datetime(value: str, z: ZoneInfo, tz: str, text: str) -> When:
    try:
        moment = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        raise _Unreadable(f"{value!r} is not a valid date-time")
    _check_year(moment.year)
    if moment.tzinfo is None:
        start = localize(moment, z)  # a naive date-time is the item's local clock
    else:
        start = moment.astimezone(z)
    return _with_edtf(When(text=text, start=start, end=_after(start, TIME_WINDOW), precision=TIME, tz=tz))


def when_from_edtf(edtf: str, *, tz: str, text: str = "") -> When:
    """Read an EDTF value (see the module's list of forms) in zone tz. text is
    the phrase as reported, the EDTF value itself when empty."""
    z = zone(tz)
    value = (edtf or "").strip()
    try:
        return _from_edtf(value, z, tz, text or value)
    except _Unreadable as error:
        raise WhenParseError(edtf, error.detail) from None


# ---------------------------------------------------------------------------
# EDTF out and display: both start from the window seen as local dates.


def _edtf_simple(precision: str, s: date) -> str:
    """The single EDTF value of a window that fits its precision."""
    if precision == DAY:
        return f"{s:%Y-%m-%d}"
    if precision == MONTH:
        return f"{s:%Y-%m}"
    if precision == SEASON:
        return f"{s.year:04d}-{21 + SEASON_FIRST_MONTH.index(s.month)}"
    if precision == QUARTER:
        return f"{s.year:04d}-{33 + (s.month - 1) // 3}"
    if precision == HALF:
        return f"{s.year:04d}-{40 + (s.month - 1) // 6}"
    return f"{s.year:04d}"  # YEAR


def to_edtf(when: When) -> str:
    """The EDTF form of a When: "" when undated, an ISO date-time with the
    offset for an exact time."""
    if not when.is_dated:
        return ""
    q = "~" if when.approximate else ""
    local = local_days(when)
    if when.precision == TIME or local is None:
        if when.precision != TIME:
            return ""  # a day-or-coarser When whose window is not whole days has no EDTF form
        # EDTF puts no qualifier on a date-time, so an approximate time loses its "~".
        return when.start.astimezone(when.zoneinfo).isoformat(timespec="seconds")
    s = local.start
    if fits(when, local) and when.precision != WEEK:  # EDTF has no week: an interval below
        return _edtf_simple(when.precision, s) + q
    months = months_between(local.start, local.end)
    if months:
        last_month = _add_months(local.start, months - 1)
        if months % 12 == 0 and s.month == 1:
            return f"{s.year:04d}{q}/{last_month.year:04d}{q}"
        return f"{s:%Y-%m}{q}/{last_month:%Y-%m}{q}"
    return f"{s:%Y-%m-%d}{q}/{local.last:%Y-%m-%d}{q}"
