"""EDTF (the exchange format) in and out, and the step every reading ends
with: a Span of local dates becomes a When of instants that carries its EDTF.

- EDTF input needs a zone. Forms read: YYYY, YYYY-MM, YYYY-MM-DD, level 1
  unspecified digits (201X, 20XX, 2026-XX, 2026-01-XX), sub-year groupings
  21-41 (21-24 and 25-28 northern seasons, 29-32 southern seasons, 33-36
  quarters, 37-39 thirds of a year, 40-41 halves), the qualifiers ?, ~, %,
  intervals A/B of those (no open ends), and date-times
  (2026-01-23T15:00:00+01:00, or naive ones, taken in the zone). An empty EDTF
  string (what to_edtf writes for an undated When) reads back as undated.
  EDTF's "?" (uncertain) and "%" also set `approximate`, the only such flag a
  When has.
- EDTF output: day, month, year as themselves; seasons as 2026-21..24;
  quarters and halves as 2026-33..36 and 2026-40/41 so that their precision
  survives a round trip; an ISO week as its Monday/Sunday interval (read back
  as a week); any other window, or one that does not fit its precision (a "by"
  deadline), as an interval of months or days; an exact time as an ISO
  date-time with its offset, without "~" (EDTF allows no qualifier there); an
  undated When as "".
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..exceptions import WhenParseError
from ..when import (
    DAY, HALF, MONTH, QUARTER, RANGE, SEASON, SEASON_FIRST_MONTH, TIME, WEEK, LocalDays, When, day_start, local_days,
    localize, months_between, precision_fits, window_days, zone,
)
from .errors import Unreadable
from .instants import TIME_WINDOW, after
from .spans import MIN_YEAR, Span, add_months, check_year, day_span, make_date, month_span, months_span, year_span
from .vocabulary import read_year

# ---------------------------------------------------------------------------
# A Span as a When.


def when_of(text: str, span: Span, z: ZoneInfo, tz: str, approximate: bool) -> When:
    """The When of a span of local dates: local midnight to local midnight in
    z, approximate when the words around it or the span itself say so."""
    start, end = day_start(span.start, z), day_start(span.end, z)
    approximate = approximate or span.approximate
    # The EDTF is worked out before the When is built, so that every reading
    # builds (and validates) one When, not a second one to carry its EDTF.
    # day_start returns its instant in z, so when both instants still fall
    # on the span's own dates they are the local midnights local_days would
    # find again; only a zone that skips a whole day (Pacific/Apia, 30
    # December 2011) moves them, and then window_days says what it says of
    # any When.
    if start.date() == span.start and end.date() == span.end:
        local = LocalDays(span.start, span.end, span.end - timedelta(days=1))
    else:
        local = window_days(start, end, z)
    edtf = _edtf(span.precision, approximate, start, z, local)
    return When(text=text, start=start, end=end, precision=span.precision, approximate=approximate, tz=tz, edtf=edtf)


def with_edtf(when: When) -> When:
    return replace(when, edtf=to_edtf(when))


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
EDTF_VALUE = re.compile(
    rf"{_EDTF_DATETIME}|{_EDTF_PART}|(?:{_EDTF_PART}|\.\.)?/(?:{_EDTF_PART}|\.\.)?", re.IGNORECASE
)
_EDTF_DATETIME_RE = re.compile(_EDTF_DATETIME, re.IGNORECASE)
# EDTF forms this parser does not read: sets, long years, unspecified dates.
_EDTF_NOT_READ = re.compile(r"[XY?~%-]+.*|.*[\[\]{}^].*", re.IGNORECASE)
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


def edtf_part(part: str) -> tuple[Span, bool]:
    """One EDTF value (not an interval) as a span, and whether it is qualified."""
    m = _EDTF_PART_RE.fullmatch(part)
    if not m:
        raise Unreadable(f"{part!r} is not an EDTF date this parser reads")
    y, mo, d = m.group("y").upper(), (m.group("m") or "").upper(), (m.group("d") or "").upper()
    approximate = bool(m.group("q"))
    if "X" in y:
        if mo or d:
            raise Unreadable("an unspecified year cannot have a month or a day")
        first = int(y.replace("X", "0"))
        last = int(y.replace("X", "9"))
        check_year(max(first, MIN_YEAR))
        check_year(last)
        return Span(date(max(first, MIN_YEAR), 1, 1), date(last + 1, 1, 1), RANGE), approximate
    year = read_year(y)
    if not mo or mo == "XX":
        if d and d != "XX":
            raise Unreadable("an unspecified month cannot have a day")
        return year_span(year), approximate
    month = int(mo)
    if month in _EDTF_GROUPS:
        if d:
            raise Unreadable(f"the sub-year grouping {month} cannot have a day")
        first_month, count, precision = _EDTF_GROUPS[month]
        return months_span(year, first_month, count, precision), approximate
    if not 1 <= month <= 12:
        raise Unreadable(f"there is no month {month}")
    if not d or d == "XX":
        return month_span(year, month), approximate
    return day_span(make_date(year, month, int(d))), approximate


def from_edtf(edtf: str, z: ZoneInfo, tz: str, text: str) -> When:
    value = edtf.strip()
    if not value:
        return When.undated(text, tz=tz)
    if _EDTF_DATETIME_RE.fullmatch(value):
        return _edtf_datetime(value, z, tz, text)
    if "/" in value:
        a, _, b = value.partition("/")
        if a in ("", "..") or b in ("", ".."):
            raise Unreadable("an open or unknown interval end has no window")
        (first, qa), (last, qb) = edtf_part(a), edtf_part(b)
        if last.end <= first.start:
            raise Unreadable("the interval ends before it starts")
        precision = RANGE
        # EDTF has no week: to_edtf writes an ISO week as Monday/Sunday, so
        # such an interval of two days reads back as that week.
        if first.precision == DAY and last.precision == DAY and first.start.weekday() == 0 \
                and last.end == first.start + timedelta(days=7):
            precision = WEEK
        span = Span(first.start, last.end, precision)
        return when_of(text, span, z, tz, qa or qb)
    if _EDTF_NOT_READ.fullmatch(value):
        raise Unreadable("EDTF sets, long years and fully unspecified dates are not read")
    span, approximate = edtf_part(value)
    return when_of(text, span, z, tz, approximate)


def _edtf_datetime(value: str, z: ZoneInfo, tz: str, text: str) -> When:
    try:
        moment = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        raise Unreadable(f"{value!r} is not a valid date-time")
    check_year(moment.year)
    if moment.tzinfo is None:
        start = localize(moment, z)  # a naive date-time is the item's local clock
    else:
        start = moment.astimezone(z)
    return with_edtf(When(text=text, start=start, end=after(start, TIME_WINDOW), precision=TIME, tz=tz))


def when_from_edtf(edtf: str, *, tz: str, text: str = "") -> When:
    """Read an EDTF value (see the module's list of forms) in zone tz. text is
    the phrase as reported, the EDTF value itself when empty."""
    z = zone(tz)
    value = (edtf or "").strip()
    try:
        return from_edtf(value, z, tz, text or value)
    except Unreadable as error:
        raise WhenParseError(edtf, error.detail) from None


# ---------------------------------------------------------------------------
# EDTF out: from the window seen as local dates (timeline.when.local_days).


# The text f"{d:%Y-%m}" and f"{d:%Y-%m-%d}" give, written from the fields:
# strftime costs ten times more, and every reading writes one or two. Like
# strftime's %Y (glibc's), the year is not padded: years below 1000 come out
# as "998-01-05", unlike the {year:04d} of the other forms below.
def _month_text(d: date) -> str:
    return f"{d.year}-{d.month:02d}"


def _day_text(d: date) -> str:
    return f"{d.year}-{d.month:02d}-{d.day:02d}"


def _edtf_simple(precision: str, s: date) -> str:
    """The single EDTF value of a window that fits its precision."""
    if precision == DAY:
        return _day_text(s)
    if precision == MONTH:
        return _month_text(s)
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
    return _edtf(when.precision, when.approximate, when.start, when.zoneinfo, local_days(when))


def _edtf(precision: str, approximate: bool, start: datetime, z: ZoneInfo, local: LocalDays | None) -> str:
    """to_edtf of a dated When, from its parts and its local days."""
    q = "~" if approximate else ""
    if precision == TIME or local is None:
        if precision != TIME:
            return ""  # a day-or-coarser When whose window is not whole days has no EDTF form
        # EDTF puts no qualifier on a date-time, so an approximate time loses its "~".
        return start.astimezone(z).isoformat(timespec="seconds")
    s = local.start
    if precision_fits(precision, local) and precision != WEEK:  # EDTF has no week: an interval below
        return _edtf_simple(precision, s) + q
    months = months_between(local.start, local.end)
    if months:
        last_month = add_months(local.start, months - 1)
        if months % 12 == 0 and s.month == 1:
            return f"{s.year:04d}{q}/{last_month.year:04d}{q}"
        return f"{_month_text(s)}{q}/{_month_text(last_month)}{q}"
    return f"{_day_text(s)}{q}/{_day_text(local.last)}{q}"
