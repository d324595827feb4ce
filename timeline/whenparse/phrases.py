"""The phrase level, and parse_when: approximations, "undated", EDTF values,
deadlines ("by X"), windows from as_of ("within 90 days"), exact times, and
finally a single period (grammar.py) or a range of two (ranges.py).

The phrase rules (deadlines, windows) are tried in the order of
PHRASE_RULES; see the comment there. The conventions are in the package
docstring.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from ..exceptions import InvalidInput, WhenParseError
from ..when import RANGE, TIME, When, zone
from .edtf import EDTF_VALUE, from_edtf, when_of, with_edtf
from .errors import NoRule, Unreadable
from .grammar import period
from .names import Ctx, Named, forward_only, resolve
from .ranges import read_range
from .spans import Span, add_months
from .times import timed
from .vocabulary import NUMBER_RE, UNIT_RE, named_group, number, strip_lead

KINDS = ("event", "milestone", "expectation")

_APPROX_PREFIX = re.compile(
    r"(?:~\s*|(?:some ?time |sometime )?(?:around|about|roughly|circa|approximately|ca\.|c\.)\s+)"
)
_APPROX_SUFFIX = re.compile(r"(?:\s*~|,? or so)$")
_UNDATED = {
    "undated", "no date", "date unknown", "unknown", "unknown date", "no deadline", "tbd", "tba",
    "to be determined", "to be announced", "not yet scheduled",
}


_SPACES = re.compile(r"\s+")
_FINAL_AM_PM = re.compile(r"\b[ap]\.m\.$")


def _normalise(text: str) -> str:
    s = text.strip().lower()
    s = s.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    s = _SPACES.sub(" ", s)
    s = s.rstrip(",;:!")
    # A final full stop (the end of a sentence, or of "Jan.") carries no
    # meaning, except in "p.m.", which the time grammar reads with it.
    if not _FINAL_AM_PM.search(s):
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


# Deadlines -------------------------------------------------------------------

_DEADLINE = re.compile(
    r"(?P<how>by the end of|by the close of|by|no later than|not later than|before the end of|before)\s+(?P<rest>.+)"
)

_END_OF = re.compile(r"^(?:the )?(?:end|close) of ")


def _deadline(m, ctx: Ctx) -> Span:
    """by X: [as_of, end of X) with X's precision; before X: [as_of, start of X)."""
    forward_only(ctx, "a deadline ('by ...')")
    how, rest = m.group("how"), strip_lead(m.group("rest"))
    if how != "before":
        # "by the end of March" and "by March" name the same deadline.
        rest = _END_OF.sub("", rest)
    target = resolve(period(rest, ctx), ctx, "future")
    end = target.start if how == "before" else target.end
    if end <= ctx.as_of:
        last_day = end - timedelta(days=1)
        raise Unreadable(f"the deadline ({last_day.day} {last_day:%B %Y}) had passed by {ctx.as_of.isoformat()}")
    return Span(ctx.as_of, end, RANGE if how == "before" else target.precision, approximate=target.approximate)


# Windows from as_of ------------------------------------------------------------

_WITHIN = re.compile(
    rf"within(?: the)?(?: next| coming)? {NUMBER_RE} {UNIT_RE}"
    rf"|(?:in|over) the (?:next|coming) {named_group(NUMBER_RE, 'n', 'n2')}"
    rf" {named_group(UNIT_RE, 'unit', 'unit2')}"
    rf"|within (?:the )?(?:next|coming) (?P<unit3>day|week|fortnight|month|year)"
)


def _within(m, ctx: Ctx) -> Span:
    """[as_of, as_of + N units)."""
    if m.group("unit3"):
        n, unit = 1, m.group("unit3")
    else:
        n, unit = number(m.group("n") or m.group("n2")), m.group("unit") or m.group("unit2")
    return _window(ctx, n, unit)


def _window(ctx: Ctx, n: int, unit: str) -> Span:
    """[as_of, as_of + n units); months and years are calendar ones."""
    if n < 1:
        raise Unreadable("a window of zero length")
    unit = unit.rstrip("s")
    if unit in ("day", "week", "fortnight"):
        end = ctx.as_of + timedelta(days=n * {"day": 1, "week": 7, "fortnight": 14}[unit])
    else:
        end = add_months(ctx.as_of, n * (12 if unit == "year" else 1))
    return Span(ctx.as_of, end, RANGE)


# How far "days" and "weeks" reach when no number is given ("within days",
# "in the coming weeks"): the package docstring says why these.
VAGUE_HORIZONS = {"days": (7, "day"), "weeks": (6, "week")}
_VAGUE_WINDOW = re.compile(
    r"within (?:a few )?(?P<unit>days|weeks)"
    r"|(?:in|over|within) (?:the )?(?:coming|next few|coming few) (?P<unit2>days|weeks)"
    r"|in the (?P<unit3>days|weeks) ahead"
)


def _vague_window(m, ctx: Ctx) -> Span:
    """[as_of, as_of + the horizon of the unit), approximate."""
    forward_only(ctx, f"{m.group(0)!r} (counted from the source's date)")
    n, unit = VAGUE_HORIZONS[m.group("unit") or m.group("unit2") or m.group("unit3")]
    return replace(_window(ctx, n, unit), approximate=True)


# Weekends -----------------------------------------------------------------------

_NEAREST_WEEKEND = re.compile(r"(?:over|during|at) the weekend")


def _nearest_weekend(m, ctx: Ctx) -> Span:
    """The nearest weekend, past or coming by the kind (the package docstring)."""
    return resolve(Named("weekend"), ctx)


# The phrase rules. _parse tries them at each layer before it strips a
# leading word, because their first word carries the meaning that strip_lead
# would drop ("in the next two weeks" is a window, "the next two weeks" no
# phrase). The deadline's patterns start with words ("by", "before", "no
# later than") no window starts with, so its place decides nothing. A
# counted window and a vague one both start "within" / "in the" / "over
# the", but one needs a number after "next" / "coming" ("in the coming two
# weeks") and the other a bare plural ("in the coming weeks"), so no phrase
# matches both; the counted one is first only because it is far more common.
# The weekend is a phrase rule, not a period one, for the same reason: its
# preposition ("over the weekend") is what marks the idiom, and a bare "the
# weekend" stays refused.
PHRASE_RULES = (
    (_DEADLINE, _deadline),
    (_WITHIN, _within),
    (_VAGUE_WINDOW, _vague_window),
    (_NEAREST_WEEKEND, _nearest_weekend),
)


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
        return _parse(phrase.strip(), Ctx(as_of, z, kind), tz)
    except Unreadable as error:
        raise WhenParseError(phrase, error.detail) from None
    except OverflowError:
        # "in 99999999 days", or a weekday counted from 31 Dec 9999: the
        # arithmetic leaves the calendar; that is bad input, not a crash.
        raise WhenParseError(phrase, "the date it names is beyond the calendar (years 1 to 9999)") from None


def _parse(text: str, ctx: Ctx, tz: str) -> When:
    s = _normalise(text)
    if not s:
        raise Unreadable("the phrase is empty")
    approximate = False
    # Peel approximations and leading words one layer at a time, reading the
    # whole-phrase forms at each layer: "about 2026-01", "around by March".
    while True:
        s, approx = _strip_approx(s)
        approximate = approximate or approx
        if s in _UNDATED:
            return When.undated(text, tz=tz)
        if EDTF_VALUE.fullmatch(s):  # EDTF and ISO date-times, the exchange formats
            when = from_edtf(s, ctx.zone, tz, text)
            return with_edtf(replace(when, approximate=True)) if approximate else when
        for pattern, fn in PHRASE_RULES:
            if m := pattern.fullmatch(s):
                return when_of(text, fn(m, ctx), ctx.zone, tz, approximate)
        stripped = strip_lead(s, once=True)  # one word a layer: "expected in the next two weeks"
        if stripped == s:
            break
        s = stripped

    moment = timed(s, ctx)
    if moment:
        start, end = moment
        return with_edtf(When(text=text, start=start, end=end, precision=TIME, approximate=approximate, tz=tz))
    try:
        span = resolve(period(s, ctx), ctx)
    except NoRule as no_rule:
        span = read_range(s, ctx)
        if span is None:
            raise no_rule
    return when_of(text, span, ctx.zone, tz, approximate)
