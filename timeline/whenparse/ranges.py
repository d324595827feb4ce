"""Ranges: "between Jan. 10 and Jan. 20", "from March to May 2026",
"March-May 2026", "10-20 Jan 2026", "Jan. 23-24", "late December to early
January", "Monday to Friday" (conventions: the package docstring)."""

from __future__ import annotations

import re

from ..when import RANGE
from .errors import NoRule, Unreadable
from .grammar import period
from .names import Ctx, Named, candidates, cycles, near_cycles, pick, resolve, wanted
from .spans import Span, check_day
from .vocabulary import strip_lead

_RANGE_INTRO = re.compile(r"between (?P<a>.+?) and (?P<b>.+)|from (?P<c>.+)")
_RANGE_SEPARATORS = (" to ", " through ", " thru ", " until ", " till ", "-")


def _inherit(a: Named, b: Named) -> tuple[Named, Named]:
    """A bare day on one end of a range takes the month (and year) of the
    other: "10-20 Jan 2026", "Jan. 10-20"."""
    if a.unit == "bareday" and b.unit == "bareday":
        raise Unreadable("a range of bare day numbers needs a month")
    if a.unit == "bareday":
        a = _dated_like(a, b)
    if b.unit == "bareday":
        b = _dated_like(b, a)
    return a, b


def _dated_like(bare: Named, other: Named) -> Named:
    """A bare day number as a day of the other end's month and year."""
    if other.unit != "day":
        raise Unreadable("a bare day number needs a month beside it")
    check_day(other.month, bare.day)
    return Named("day", year=bare.year or other.year, month=other.month, day=bare.day)


def _crosses_new_year(first: Span, last: Span) -> bool:
    """May a range whose ends share a year wrap into the next year? Only when
    it runs from a later month to an earlier one ("December to February");
    "Jan. 20 to Jan. 10" is a mistake, not a year-long range."""
    return first.start.month > last.start.month


def _range_named(a: Named, b: Named, ctx: Ctx) -> tuple[Span, Span]:
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
    # No year at all: the range is resolved as a whole, like a single name,
    # and like one (names.nearest) only the cycles near as_of are read when
    # one of them holds the range; otherwise every cycle is, for the error.
    if not week:
        for k in near_cycles(ctx.as_of, ctx.mode):
            try:
                first, last = _pair_at(a, b, k, week, ctx)
            except Unreadable:
                continue
            if wanted(Span(first.start, last.end, RANGE), ctx.as_of, ctx.mode):
                return first, last
    pairs, error = [], None
    for k in cycles(week, ctx.as_of):
        try:
            pairs.append(_pair_at(a, b, k, week, ctx))
        except Unreadable as e:
            error = error or e
    if not pairs:
        raise error or Unreadable("no such range")
    joined = [Span(f.start, l.end, RANGE) for f, l in pairs]
    return pairs[joined.index(pick(joined, ctx.as_of, ctx.mode))]


def _pair_at(a: Named, b: Named, k: int, week: bool, ctx: Ctx) -> tuple[Span, Span]:
    """The two ends of a range without a year, in cycle k; the end moves to
    the next cycle when the range runs over the week's or the year's end."""
    first, last = a.span_at(k, ctx.as_of), b.span_at(k, ctx.as_of)
    if last.end <= first.start and (week or _crosses_new_year(first, last)):
        last = b.span_at(k + 1, ctx.as_of)
    return first, last


def _range(a: Span | Named, b: Span | Named, ctx: Ctx) -> Span:
    """The window from the start of a to the end of b."""
    if isinstance(a, Named) and isinstance(b, Named):
        a, b = _inherit(a, b)
        if a.cycle != b.cycle:
            raise Unreadable("a range from a weekday must end on a weekday")
        first, last = _range_named(a, b, ctx)
        first, last = a.check_weekday(first), b.check_weekday(last)
    elif isinstance(a, Named):
        # "from Jan. 10 to next week": the last such name that starts before b ends.
        last = b
        if a.year is not None:
            first = resolve(a, ctx)
        else:
            options = [s for s in candidates(a, ctx.as_of) if s.start < b.end]
            if not options:
                raise Unreadable("the range ends before it starts")
            first = a.check_weekday(options[-1])
    elif isinstance(b, Named):
        first = a
        if b.year is not None:
            last = resolve(b, ctx)
        else:
            options = [s for s in candidates(b, ctx.as_of) if s.end > a.start]
            if not options:
                raise Unreadable("the range ends before it starts")
            last = b.check_weekday(options[0])
    else:
        first, last = a, b
    if last.end <= first.start:
        raise Unreadable("the range ends before it starts")
    return Span(first.start, last.end, RANGE, approximate=first.approximate or last.approximate)


def read_range(s: str, ctx: Ctx) -> Span | None:
    """Read s as "between A and B", "from A to B", "A to B" or "A-B"; None
    when no split of it reads as two periods. Once both ends read, an
    impossible range (it ends before it starts, Feb. 27-30) is an error."""
    m = _RANGE_INTRO.fullmatch(s)
    if m and m.group("a"):
        return _range(period(strip_lead(m.group("a")), ctx), period(strip_lead(m.group("b")), ctx), ctx)
    body = m.group("c") if m else s
    for sep in _RANGE_SEPARATORS:
        at = body.find(sep)
        while at != -1:
            left, right = body[:at].strip(), body[at + len(sep):].strip()
            at = body.find(sep, at + 1)
            if not left or not right:
                continue
            try:
                a, b = period(left, ctx), period(strip_lead(right), ctx)
            except NoRule:
                continue  # not a split between two periods; try the next one
            return _range(a, b, ctx)
    if m:
        raise Unreadable("'from' needs two dates: 'from March to May 2026'")
    return None
