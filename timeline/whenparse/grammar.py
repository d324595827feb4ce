"""The grammar of a single period: a day, a week, a month, a season, a
quarter, a half, a year, a relative word, or a part of one of them.

Each rule is a regular expression matched against the whole (normalised)
period and a function that returns a Span (a window already placed) or a
Named (a calendar name still to resolve against as_of and the kind). `period`
tries the rules in the order of RULES, at the bottom of this module; the
comment there says why that order. The phrase level (deadlines, windows from
as_of, ranges, approximations) is phrases.py; the conventions are in the
package docstring.

The module stays a little over 400 lines on purpose: it is one grammar, and
RULES names every rule so that the order (and the reason for it) can be
checked in one place; rules in other modules would hide an overlap.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from ..when import DAY, MONTH, QUARTER, RANGE, YEAR
from .edtf import edtf_part
from .errors import NoRule, Unreadable
from .names import Ctx, Named, candidates, forward_only, pick, resolve
from .spans import (
    Span, add_months, apply_part, check_day, day_span, monday, week_containing, week_span, weekend_span, year_span,
)
from .vocabulary import (
    DAYNUM_RE, MONTH_RE, NUMBER_RE, ORDINALS, SEASON_RE, SEASONS, WEEKDAY_RE, WEEKDAYS, YEAR_RE, alternation,
    named_group, number, read_month, read_year, strip_lead,
)


def period(s: str, ctx: Ctx) -> Span | Named:
    """Read one period, or NoRule with a helpful detail."""
    s = s.strip()
    first = _ANY_RULE.fullmatch(s)
    if first is None:
        raise NoRule(s)
    pattern, fn = _COMPILED[int(first.lastgroup[len("rule"):])]
    return fn(pattern.fullmatch(s), ctx)


# Relative words -------------------------------------------------------------

_RELATIVE_DAYS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "tomorrow": 1, "tomorrow morning": 1, "tomorrow afternoon": 1, "tomorrow evening": 1,
    "tomorrow night": 1, "the day after tomorrow": 2, "yesterday": -1, "yesterday morning": -1,
    "yesterday afternoon": -1, "yesterday evening": -1, "last night": -1, "the day before yesterday": -2,
}
_RELATIVE_DAY = alternation(_RELATIVE_DAYS)


def _relative_day(m, ctx):
    return day_span(ctx.as_of + timedelta(days=_RELATIVE_DAYS[m.group(0)]))


_DAYS_OFFSET = (
    rf"in {NUMBER_RE} days?|{named_group(NUMBER_RE, 'n', 'later')} days? from now"
    rf"|{named_group(NUMBER_RE, 'n', 'ago')} days? ago"
)


def _days_offset(m, ctx):
    if m.group("ago"):
        return day_span(ctx.as_of - timedelta(days=number(m.group("ago"))))
    return day_span(ctx.as_of + timedelta(days=number(m.group("n") or m.group("later"))))


_UNITS_AGO = rf"{NUMBER_RE} (?P<unit>weeks?|months?|years?) ago"


def _units_ago(m, ctx):
    # "two weeks ago", "three months ago", "a year ago": the week, month or
    # year that held the day N units before as_of (as "two days ago" is that
    # day), in the unit the writer chose.
    n = number(m.group("n"))
    unit = m.group("unit").rstrip("s")
    if unit == "week":
        try:
            return week_containing(ctx.as_of - timedelta(days=7 * n))
        except OverflowError:
            raise Unreadable(f"{n} weeks ago is out of range") from None
    if unit == "month":
        first = add_months(ctx.as_of.replace(day=1), -n)
        return Span(first, add_months(first, 1), MONTH)
    return year_span(ctx.as_of.year - n)


_WEEKS_UNIT = r"(?P<unit>weeks?|fortnights?)"
_WEEKS_AHEAD = (
    rf"in {NUMBER_RE} {_WEEKS_UNIT}(?:'?s?'? time)?"
    rf"|{named_group(NUMBER_RE, 'n', 'later')} {named_group(_WEEKS_UNIT, 'unit', 'unit2')} from (?:now|today)"
)


def _weeks_ahead(m, ctx):
    # "in two weeks": about the day two weeks on, so the ISO week that holds
    # it, approximate (the package docstring says why).
    forward_only(ctx, f"{m.group(0)!r} (counted from the source's date)")
    n = number(m.group("n") or m.group("later"))
    if n < 1:
        raise Unreadable("a window of zero length")
    days = 14 if (m.group("unit") or m.group("unit2")).startswith("fortnight") else 7
    return replace(week_containing(ctx.as_of + timedelta(days=n * days)), approximate=True)


_SHIFT = {"this": 0, "the current": 0, "next": 1, "last": -1, "the previous": -1}
SHIFT_RE = r"(?P<shift>this|the current|next|last|the previous)"
_RELATIVE_WEEK = rf"{SHIFT_RE} week|the week after next|the week before last"


def _relative_week(m, ctx):
    shift = {"the week after next": 2, "the week before last": -2}.get(m.group(0))
    if shift is None:
        shift = _SHIFT[m.group("shift")]
    return week_span(monday(ctx.as_of) + timedelta(days=7 * shift))


_RELATIVE_WEEKEND = rf"{SHIFT_RE} weekend"


def _relative_weekend(m, ctx):
    return weekend_span(monday(ctx.as_of) + timedelta(days=7 * _SHIFT[m.group("shift")]))


_RELATIVE_MONTH = rf"{SHIFT_RE} month|the month"


def _relative_month(m, ctx):
    shift = _SHIFT[m.group("shift")] if m.group("shift") else 0
    first = add_months(ctx.as_of.replace(day=1), shift)
    return Span(first, add_months(first, 1), MONTH)


_RELATIVE_QUARTER = rf"{SHIFT_RE} quarter|the quarter"


def _relative_quarter(m, ctx):
    shift = _SHIFT[m.group("shift")] if m.group("shift") else 0
    first = ctx.as_of.replace(month=3 * ((ctx.as_of.month - 1) // 3) + 1, day=1)
    start = add_months(first, 3 * shift)
    return Span(start, add_months(start, 3), QUARTER)


_RELATIVE_YEAR = rf"{SHIFT_RE} year|the year|the current year"


def _relative_year(m, ctx):
    shift = _SHIFT[m.group("shift")] if m.group("shift") else 0
    return year_span(ctx.as_of.year + shift)


_EARLIER_LATER = r"(?P<which>earlier|later) (?:this|in the) (?P<unit>week|month|year)"


def _earlier_later(m, ctx):
    whole = {
        "week": lambda: week_containing(ctx.as_of),
        "month": lambda: Span(ctx.as_of.replace(day=1), add_months(ctx.as_of.replace(day=1), 1), MONTH),
        "year": lambda: year_span(ctx.as_of.year),
    }[m.group("unit")]()
    if m.group("which") == "earlier":
        return Span(whole.start, ctx.as_of + timedelta(days=1), RANGE)
    return Span(ctx.as_of, whole.end, RANGE)


# Weeks ----------------------------------------------------------------------

_ISO_WEEK = rf"{YEAR_RE}-?w(?P<week>\d{{1,2}})|(?:the )?week (?P<week2>\d{{1,2}})(?:,| of)? (?P<year2>\d{{4}})"


def _iso_week(m, ctx):
    year = read_year(m.group("year") or m.group("year2"))
    week = int(m.group("week") or m.group("week2"))
    try:
        return week_span(date.fromisocalendar(year, week, 1))
    except ValueError:
        raise Unreadable(f"{year} has no ISO week {week}")


_WEEK_OF = r"(?:the )?week of (?P<rest>.+)"


def _week_of(m, ctx):
    thing = period(m.group("rest"), ctx)
    if isinstance(thing, Named) and thing.unit == "day" and thing.year is None:
        # The week is what the kind resolves, not its day: for a milestone,
        # "the week of Jan. 19" read on Jan. 20 is this week, not next year's.
        days = candidates(thing, ctx.as_of)
        weeks = [week_containing(d.start) for d in days]
        day = thing.check_weekday(days[weeks.index(pick(weeks, ctx.as_of, ctx.mode))])
    else:
        day = resolve(thing, ctx)
    if day.precision != DAY:
        raise Unreadable("'the week of' needs a single day")
    return week_containing(day.start)


# Days -----------------------------------------------------------------------

_PART_OF_DAY = r"(?: (?:morning|afternoon|evening|night))?"
_MONTH_DAY = rf"(?:{WEEKDAY_RE},? )?{MONTH_RE} (?:the )?{DAYNUM_RE}(?:,? {YEAR_RE})?{_PART_OF_DAY}"
_DAY_MONTH = rf"(?:{WEEKDAY_RE},? )?(?:the )?{DAYNUM_RE}(?: of)? {MONTH_RE}(?:,? {YEAR_RE})?{_PART_OF_DAY}"


def _day(m, ctx):
    month, day = read_month(m), int(m.group("day"))
    check_day(month, day)
    weekday = WEEKDAYS[m.group("weekday")] if m.group("weekday") else None
    year = read_year(m.group("year")) if m.group("year") else None
    named = Named("day", year=year, month=month, day=day, weekday=weekday)
    if year is not None:
        named.check_weekday(named.span_at(year, ctx.as_of))  # fail early on Feb. 29 of a common year
    return named


_WEEKDAY = rf"(?:(?P<shift>this|this coming|this past|next|last) )?{WEEKDAY_RE}{_PART_OF_DAY}"


def _weekday(m, ctx):
    named = Named("weekday", index=WEEKDAYS[m.group("weekday")])
    shift = m.group("shift")
    if shift in ("next", "this coming"):
        return resolve(named, ctx, "next")
    if shift in ("last", "this past"):
        return resolve(named, ctx, "last")
    return named


_BARE_DAY = rf"(?:the )?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,? {YEAR_RE})?"


def _bare_day(m, ctx):
    # Only meaningful as one end of a range ("10-20 Jan 2026", "Jan. 10-20,
    # 2026"); resolve refuses it on its own.
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        raise Unreadable(f"no month has a day {day}")
    return Named("bareday", day=day, year=read_year(m.group("year")) if m.group("year") else None)


# Months, seasons, quarters, halves, years -----------------------------------

_MONTH_NAME = rf"{MONTH_RE}(?:,? (?:of )?{YEAR_RE})?"


def _month_name(m, ctx):
    year = read_year(m.group("year")) if m.group("year") else None
    return Named("month", year=year, month=read_month(m))


_SHIFTED = {"this": None, "next": "next", "last": "last"}
_SHIFTED_MONTH = rf"(?P<shift>this|next|last) {MONTH_RE}"


def _shifted_month(m, ctx):
    return resolve(Named("month", month=read_month(m)), ctx, _SHIFTED[m.group("shift")])


_SEASON = (
    rf"(?:the )?{SEASON_RE}(?:,? (?:of )?{YEAR_RE}(?:\s*[-/]\s*(?P<next>\d{{2}}|\d{{4}}))?)?"
    rf"|{named_group(YEAR_RE, 'year', 'year2')}-(?P<timex>sp|su|fa|wi)"
)


def _season(m, ctx):
    if m.group("timex"):  # TIMEX3 value forms: 1998-SU
        index = ("sp", "su", "fa", "wi").index(m.group("timex"))
        return Named("season", year=read_year(m.group("year2")), index=index)
    index = SEASONS[m.group("season")]
    year = read_year(m.group("year")) if m.group("year") else None
    if m.group("next"):
        following = m.group("next")
        following = int(following) if len(following) == 4 else (year // 100) * 100 + int(following)
        if index != 3 or following != year + 1:
            raise Unreadable("a season over two years must be a winter of consecutive years, e.g. winter 2025-26")
    return Named("season", year=year, index=index)


_SHIFTED_SEASON = rf"(?P<shift>this|next|last) {SEASON_RE}"


def _shifted_season(m, ctx):
    return resolve(Named("season", index=SEASONS[m.group("season")]), ctx, _SHIFTED[m.group("shift")])


def _year_of(rest: str | None, ctx: Ctx) -> int | None:
    """The year of "... of 2026" / "... of next year"; None when absent."""
    if not rest:
        return None
    thing = period(rest, ctx)
    if isinstance(thing, Named) and thing.unit == "year" and not thing.part:
        return thing.year
    if isinstance(thing, Span) and thing.precision == YEAR:
        return thing.start.year
    raise Unreadable("a quarter or a half must be of a year")


def _numbered_pattern(letter: str, numbers: str, ordinals: str, noun: str) -> str:
    """The forms "Q3", "Q3 2026", "2026-Q3" and "the third quarter (of 2026)",
    and the same of halves with "H"."""
    return (
        rf"{letter}(?P<{letter}>[{numbers}])(?:,? (?:of )?{YEAR_RE})?"
        rf"|{named_group(YEAR_RE, 'year', 'year2')}[- ]?{letter}(?P<{letter}2>[{numbers}])"
        rf"|(?:the )?(?P<ord>{ordinals}){noun}(?:,?(?: of)? (?P<rest>.+))?"
    )


def _numbered(m, letter: str, ctx: Ctx) -> tuple[int, int | None]:
    """The number and year of "Q3 2026", "2026-Q3", "H2" ("q" or "h")."""
    n = int(m.group(letter) or m.group(letter + "2"))
    y = m.group("year") or m.group("year2")
    return n, (read_year(y) if y else None)


_QUARTER = _numbered_pattern("q", "1-4", "first|second|third|fourth|1st|2nd|3rd|4th|last|final", "[- ]quarter")


def _quarter(m, ctx):
    if m.group("ord"):
        if m.group("ord") in ("last", "final") and not m.group("rest"):
            # "the last quarter" alone: the previous quarter, or the fourth?
            raise Unreadable(
                "'the last quarter' is ambiguous; write 'last quarter', 'Q4' or 'the last quarter of 2026'"
            )
        quarter = 4 if m.group("ord") in ("last", "final") else ORDINALS[m.group("ord")]
        year = _year_of(m.group("rest"), ctx)
    else:
        quarter, year = _numbered(m, "q", ctx)
    return Named("quarter", year=year, index=quarter)


_HALF = _numbered_pattern("h", "12", "first|second|1st|2nd|latter", " half")


def _half(m, ctx):
    if m.group("ord"):
        half = 2 if m.group("ord") == "latter" else ORDINALS[m.group("ord")]
        year = _year_of(m.group("rest"), ctx)
    else:
        half, year = _numbered(m, "h", ctx)
    return Named("half", year=year, index=half)


_YEAR_NUMBER = rf"(?:the year )?{YEAR_RE}"


def _year_number(m, ctx):
    return Named("year", year=read_year(m.group("year")))


_EDTF_PERIOD = r"\d{4}-(?:\d{2}|xx)(?:-(?:\d{2}|xx))?|\d{3}x|\d{2}xx"


def _edtf_period(m, ctx):
    # An EDTF / ISO value inside a phrase: "by 2026-03", "from 2026-01-10 to 2026-01-20".
    return edtf_part(m.group(0))[0]


# Parts: early / mid / late ---------------------------------------------------

_PART_WORDS = {
    "early": "early", "beginning": "early", "start": "early", "mid": "mid", "middle": "mid",
    "late": "late", "end": "late", "close": "late",
}
_PART = (
    r"(?:the )?(?P<part>beginning|start|middle|end|close) of (?P<rest>.+)"
    r"|(?P<part2>early|mid|late)(?:-| )(?P<rest2>.+)"
)


def _part(m, ctx):
    part = _PART_WORDS[m.group("part") or m.group("part2")]
    rest = strip_lead(m.group("rest") or m.group("rest2"))  # "late in the year"
    thing = period(rest, ctx)
    if isinstance(thing, Named):
        if thing.part:
            raise Unreadable("early / mid / late cannot be nested")
        if thing.unit == "bareday":
            raise Unreadable("a bare day number needs a month beside it")
        named = replace(thing, part=part)
        if named.year is not None:
            named.span_at(named.year, ctx.as_of)  # fail early on a span that cannot be split
        return named
    return apply_part(thing, part)


# ---------------------------------------------------------------------------
# The order in which `period` tries the rules. The first rule whose pattern
# matches the whole period reads it; a rule that matches and then finds the
# date impossible (Feb. 30) raises, and the rules after it are not tried. So
# wherever two patterns match the same words, the earlier rule decides:
#
# - "last quarter" matches both _relative_quarter (the quarter before as_of's)
#   and _quarter's ordinals ("the last quarter of 2026"; alone it refuses
#   "the last quarter" as ambiguous). A reporter's "last quarter" is the
#   previous one, so _relative_quarter comes first. (This is the one overlap
#   among the phrases of the test tables, test_when_parse.py and
#   test_when_newsroom_phrases.py: a new rule must be checked against the
#   patterns before it in the same way.)
# - The calendar units around as_of ("this / next / last week, weekend,
#   month, quarter, year") come before the name rules that also take "this /
#   next / last" (_weekday, _shifted_month, _shifted_season), so that a unit
#   word can never be read as a name resolved by the kind.
# - _part comes last: it reads "(early|mid|late) <anything>" and "the end of
#   <anything>" by calling `period` on the rest, so it is the most general
#   pattern and the one to try when nothing more specific matched.
#
# Otherwise the order follows how often newsrooms write each form (relative
# words first), because every period costs a try of each rule's pattern
# before the one that reads it (one branch of _ANY_RULE each;
# benchmarks/test_when_parser.py times that).
RULES = (
    (_RELATIVE_DAY, _relative_day),
    (_DAYS_OFFSET, _days_offset),
    (_UNITS_AGO, _units_ago),
    (_WEEKS_AHEAD, _weeks_ahead),
    (_RELATIVE_WEEK, _relative_week),
    (_RELATIVE_WEEKEND, _relative_weekend),
    (_RELATIVE_MONTH, _relative_month),
    (_RELATIVE_QUARTER, _relative_quarter),
    (_RELATIVE_YEAR, _relative_year),
    (_EARLIER_LATER, _earlier_later),
    (_ISO_WEEK, _iso_week),
    (_WEEK_OF, _week_of),
    (_MONTH_DAY, _day),
    (_DAY_MONTH, _day),
    (_WEEKDAY, _weekday),
    (_BARE_DAY, _bare_day),
    (_MONTH_NAME, _month_name),
    (_SHIFTED_MONTH, _shifted_month),
    (_SEASON, _season),
    (_SHIFTED_SEASON, _shifted_season),
    (_QUARTER, _quarter),
    (_HALF, _half),
    (_YEAR_NUMBER, _year_number),
    (_EDTF_PERIOD, _edtf_period),
    (_PART, _part),
)
_COMPILED = tuple((re.compile(pattern), fn) for pattern, fn in RULES)
# Every rule's pattern in one alternation, in the order of RULES, so that a
# single match finds the rule that reads a period instead of one match per
# rule tried: an alternation tries its branches in order, so the first that
# matches the whole period is the branch of the first rule that does. The
# branches' own groups are made non-capturing (the names repeat from rule to
# rule, and only the branch's name is wanted); the rule's pattern then reads
# its groups.
_ANY_RULE = re.compile("|".join(
    f"(?P<rule{i}>{re.sub(r'[(][?]P<[a-z0-9_]+>', '(?:', pattern)})" for i, (pattern, _) in enumerate(RULES)
))
