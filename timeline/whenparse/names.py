"""Calendar names that may lack their year ("January", "Jan. 23", "spring",
"Q3") or that repeat every week (a weekday), and how one is resolved against
the source's date (as_of) and the kind of item (conventions: the package
docstring, "Relative names")."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from .errors import Unreadable
from .spans import (
    Span, apply_part, day_span, half_span, make_date, monday, month_span, quarter_span, season_span, weekend_span,
    year_span,
)


@dataclass(frozen=True)
class Ctx:
    """The context of one parse: the source's date, the item's zone and kind."""

    as_of: date
    zone: ZoneInfo
    kind: str

    @property
    def mode(self) -> str:
        return "past" if self.kind == "event" else "future"


@dataclass(frozen=True)
class Named:
    unit: str  # day, month, season, quarter, half, year, weekday, weekend, bareday
    year: int | None = None
    month: int | None = None
    day: int | None = None
    index: int | None = None  # season 0-3, quarter 1-4, half 1-2, weekday 0-6
    part: str | None = None  # early / mid / late
    weekday: int | None = None  # a weekday stated beside a date, to check

    @property
    def cycle(self) -> str:
        # Weekdays and weekends repeat every week, everything else every year.
        return "week" if self.unit in ("weekday", "weekend") else "year"

    def span_at(self, k: int, as_of: date) -> Span:
        """The span for cycle k: a year, or for a weekday or a weekend a week
        offset from as_of's week."""
        if self.unit == "weekday":
            span = day_span(monday(as_of) + timedelta(days=7 * k + self.index))
        elif self.unit == "weekend":
            span = weekend_span(monday(as_of) + timedelta(days=7 * k))
        elif self.unit == "day":
            span = day_span(make_date(k, self.month, self.day))
        elif self.unit == "month":
            span = month_span(k, self.month)
        elif self.unit == "season":
            span = season_span(k, self.index)
        elif self.unit == "quarter":
            span = quarter_span(k, self.index)
        elif self.unit == "half":
            span = half_span(k, self.index)
        elif self.unit == "year":
            span = year_span(k)
        else:
            raise Unreadable("a bare day number needs a month beside it")
        return apply_part(span, self.part) if self.part else span

    def check_weekday(self, span: Span) -> Span:
        """A weekday stated beside a date ("Friday, Jan. 23") must be that
        date's. It is checked after resolving, not used to pick a year."""
        if self.weekday is not None and span.start.weekday() != self.weekday:
            raise Unreadable(
                f"{span.start.day} {span.start:%B %Y} is a {calendar.day_name[span.start.weekday()]},"
                f" not a {calendar.day_name[self.weekday]}"
            )
        return span


def cycles(week: bool, as_of: date) -> range:
    """The cycles a name without a year is looked for in: three weeks either
    side of as_of for a weekday, nine years either side for the rest."""
    return range(-3, 4) if week else range(as_of.year - 9, as_of.year + 10)


def candidates(named: Named, as_of: date) -> list[Span]:
    """Every span the name can mean near as_of, in order. Invalid ones
    (Feb. 29 of a common year) are skipped."""
    spans, first_error = [], None
    for k in cycles(named.cycle == "week", as_of):
        try:
            spans.append(named.span_at(k, as_of))
        except Unreadable as error:
            first_error = first_error or error
    if not spans:
        raise first_error or Unreadable("no such date")
    return spans


def wanted(span: Span, as_of: date, mode: str) -> bool:
    """Whether span is one that pick takes in mode: past (an event's), future
    (a milestone's), next, last."""
    if mode == "past":
        return span.start <= as_of
    if mode == "future":
        return span.end > as_of
    if mode == "next":
        return span.start > as_of
    return span.end <= as_of


def _forward(mode: str) -> bool:
    """Whether pick takes the first wanted span (else the last)."""
    return mode in ("future", "next")


def pick(spans: list[Span], as_of: date, mode: str) -> Span:
    """The span a relative name means. mode: past (an event's), future (a
    milestone's), next, last."""
    chosen = [s for s in spans if wanted(s, as_of, mode)]
    chosen = chosen[:1] if _forward(mode) else chosen[-1:]
    if not chosen:
        raise Unreadable("no such date near the source's date")
    return chosen[0]


def near_cycles(as_of: date, mode: str) -> range:
    """The yearly cycles where pick can find its span, in the order it looks.

    A yearly name's span for cycle k (a day, a month, a season, a quarter, a
    half, a year, or a part of one) starts in year k and ends by 1 March of
    k + 1 (a winter), and a range of two such names by 1 March of k + 2
    (one that runs over the new year). So no cycle before as_of's year - 2
    ends after as_of (future, next), and none after as_of's year starts on or
    before it (past, last): walking from there to the first wanted span
    finds what pick finds in the whole list, after two or three spans
    instead of nineteen."""
    every = cycles(False, as_of)
    if _forward(mode):
        return range(max(as_of.year - 2, every.start), every.stop)
    return range(min(as_of.year, every.stop - 1), every.start - 1, -1)


def nearest(named: Named, as_of: date, mode: str) -> Span:
    """pick(candidates(named, as_of), as_of, mode), computed only as far as
    needed for a yearly name. When no cycle near as_of holds a wanted span,
    the whole list is built, so that the error is the one pick or candidates
    gives."""
    if named.cycle == "year":
        for k in near_cycles(as_of, mode):
            try:
                span = named.span_at(k, as_of)
            except Unreadable:
                continue  # Feb. 29 of a common year: candidates skips it too
            if wanted(span, as_of, mode):
                return span
    return pick(candidates(named, as_of), as_of, mode)


def resolve(thing: Span | Named, ctx: Ctx, mode: str | None = None) -> Span:
    """The span a period means: a Span as it is, a Named by its year or, when
    it has none, by mode (the item's kind unless given)."""
    if isinstance(thing, Span):
        return thing
    if thing.unit == "bareday":
        raise Unreadable("a bare day number needs a month beside it")
    if thing.year is not None:
        return thing.check_weekday(thing.span_at(thing.year, ctx.as_of))
    return thing.check_weekday(nearest(thing, ctx.as_of, mode or ctx.mode))


def forward_only(ctx: Ctx, words: str) -> None:
    """Refuse, for an event, words that count forward from the source's date
    (a deadline, "in two weeks", "within days"): an event has happened, and
    in a report of one such words count from some other moment ("the truce
    collapsed within days" of being signed), which the parser cannot know."""
    if ctx.kind == "event":
        raise Unreadable(f"{words} cannot place an event; give when it happened")
