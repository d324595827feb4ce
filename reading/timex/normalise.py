"""Normalising a candidate span: its TIMEX3 type and value, and the When it
means. Every window is read by the When parser (timeline.whenparse), so the
tagger and the editor's When field can never disagree on what "last week" or
"the third quarter" is: each rule turns its match into a phrase the parser
reads (dropping what TIMEX3 keeps apart, such as "early" which becomes
mod=START), and values.py writes the When as a TIMEX3 value. Durations and
sets have no window; lengths.py counts them. NORMALISERS, at the bottom,
maps each rule of find.RULES to its function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from timeline.exceptions import WhenParseError
from timeline.when import When
from timeline.whenparse import parse_when

from .find import Candidate
from .holidays import HOLIDAYS
from .lengths import ADVERB_SET, APPROX_MODS, WEEKDAY_INDEX, count, duration_value
from .model import DATE, DURATION, SET, TIME, Timex
from .tense import FUTURE, PAST, tense_at
from .values import POD, value_of, with_part_of_day


@dataclass
class Context:
    """One document: its text, creation date and zone, and what the text has
    said so far that later words lean on (the quarter it reports on)."""

    text: str
    as_of: date
    zone: str
    # The last quarter named ("the third quarter" -> (1989, 3)) and where:
    # in an earnings report "a year earlier" and "the quarter" refer to it.
    quarter: tuple[int, int] | None = None
    quarter_at: int = -1
    # The last date or time named, for "that year" and "the following day".
    last: When | None = None
    last_at: int = -1


# Compiled once: re's own cache (512 patterns in Python 3.11) is shared
# with every library in the process (pysbd, our splitter until December
# 2026, emptied it article after article), and a lookup costs a call too.
_FOUR_DIGITS = re.compile(r"\d{4}")
_SPACES = re.compile(r"\s+")
_AGE = re.compile(r"(?i)[- ]old$")
_QUARTERS_OF = re.compile(r"(?i)\w-quarters?$")
_AND_A_HALF = re.compile(r"(?i)and[- ]a[- ]half")


def read(phrase: str, ctx: Context, tense: str = PAST) -> When | None:
    """The When the parser reads for phrase, or None where it refuses it."""
    try:
        return parse_when(phrase, as_of=ctx.as_of, tz=ctx.zone, kind="event" if tense == PAST else "milestone")
    except WhenParseError:
        return None


_MODS = {
    "early": "START", "the beginning of": "START", "the start of": "START", "mid": "MID", "the middle of": "MID",
    "late": "END", "the end of": "END",
}


def _mod(part: str | None) -> str:
    return _MODS.get((part or "").lower(), "")


def _timex(c: Candidate, ctx: Context, when: When | None, *, type_: str, mod: str, tense: str,
           pod: str | None) -> Timex | None:
    """The Timex for a When the parser read (None where it refused the
    phrase, or where the window is no single TIMEX3 unit)."""
    value = value_of(when) if when is not None else None
    if value is None:
        return None
    if pod:
        value, type_ = with_part_of_day(value, pod), TIME
    return Timex(c.start, c.end, ctx.text[c.start:c.end], type_, value, when, mod=mod, tense=tense, rule=c.rule)


def _dated(c: Candidate, ctx: Context, phrase: str, *, tense: str = "", type_: str = DATE, mod: str = "",
           pod: str | None = None) -> Timex | None:
    """phrase read against the DCT; a name without a year as the tense given
    (the past by default)."""
    return _timex(c, ctx, read(phrase, ctx, tense or PAST), type_=type_, mod=mod, tense=tense, pod=pod)


# How far a bare name ("Nov. 13", "January", "the third quarter") may lie in
# the direction the tense points before the nearer reading the other way wins:
# "stock of record Nov. 13" read on 2 November is the coming one, whatever
# the verbs around it; "third-quarter results" read in November the past one.
FAR_DAYS = 120


def _bare(c: Candidate, ctx: Context, phrase: str, *, mod: str = "", pod: str | None = None,
          type_: str = DATE) -> Timex | None:
    """A name without a year, read by the tense around it unless that reading
    lies far away and the other one much nearer (FAR_DAYS)."""
    tense = tense_at(ctx.text, c.start, c.end)
    other_tense = FUTURE if tense == PAST else PAST
    when, tense = _choose(ctx, (read(phrase, ctx, tense), tense), (read(phrase, ctx, other_tense), other_tense))
    return _timex(c, ctx, when, type_=type_, mod=mod, tense=tense, pod=pod)


def _choose(ctx: Context, chosen: tuple[When | None, str], other: tuple[When | None, str]) -> tuple[When | None, str]:
    """The tense's reading, or the other one where the tense's lies more than
    FAR_DAYS away and the other is less than half as far."""
    if chosen[0] is None or other[0] is None or chosen[0] == other[0]:
        return chosen

    def distance(when: When) -> int:
        start, end = when.start.astimezone(when.zoneinfo).date(), when.end.astimezone(when.zoneinfo).date()
        if start <= ctx.as_of < end:
            return 0
        return (start - ctx.as_of).days if start > ctx.as_of else (ctx.as_of - end).days + 1

    if distance(chosen[0]) > FAR_DAYS and distance(other[0]) * 2 < distance(chosen[0]):
        return other
    return chosen


def _plain(c: Candidate, ctx: Context, type_: str, value: str, mod: str = "") -> Timex:
    return Timex(c.start, c.end, ctx.text[c.start:c.end], type_, value, None, mod=mod, rule=c.rule)


# The rules -------------------------------------------------------------------------

def _time(c, ctx):
    m = c.match
    day = m.group("tday") or m.group("tday2") or "today"
    clock = m.group("clock")
    if clock.lower() == "midnight":
        # The parser refuses "midnight" (which end of the day?); TIMEX3 writes
        # T24, the end of the day, and the When is that whole day.
        when = read(day, ctx, tense_at(ctx.text, c.start, c.end))
        return when and Timex(c.start, c.end, m.group(0), TIME, value_of(when) + "T24", when, rule=c.rule)
    phrase = f"{day} at {clock}{m.group('zone') or ''}"
    if day.lower() in ("today", "tomorrow", "yesterday") or _FOUR_DIGITS.search(day):
        found = _dated(c, ctx, phrase, type_=TIME)
    else:
        found = _bare(c, ctx, phrase, type_=TIME)
    if found and m.group("zone"):
        # TIMEX3 writes the clock as written ("5 p.m. EST" is T17:00); the When
        # keeps the instant, in the document's zone.
        local = read(f"{day} at {clock}", ctx, found.tense or PAST)
        if local is not None:
            found = Timex(found.start, found.end, found.text, TIME, value_of(local), found.when, tense=found.tense,
                          rule=c.rule)
    return found


def _date(c, ctx):
    m = c.match
    phrase = ctx.text[c.start:c.end]
    if m.group("pod"):
        phrase = phrase[: m.start("pod") - c.start].strip()
    read_it = _dated if _FOUR_DIGITS.search(phrase) else _bare
    found = read_it(c, ctx, phrase, pod=m.group("pod"))
    if found is None and m.group("wd"):  # a weekday that is not the date's: trust the date
        found = read_it(c, ctx, phrase[m.end("wd") - c.start:].lstrip(", "), pod=m.group("pod"))
    return found


def _iso(c, ctx):
    return _dated(c, ctx, c.match.group(0), type_=TIME if "T" in c.match.group(0) else DATE)


def _month_year(c, ctx):
    m = c.match
    phrase = m.group(0)
    if m.group("part"):
        phrase = phrase[len(m.group("part")) + 1:]
    return _dated(c, ctx, phrase, mod=_mod(m.group("part")))


def _month(c, ctx):
    m = c.match
    shift = (m.group("shift") or "").lower()
    name = m.group("name")
    if shift == "this":  # "this September": the September of this year
        return _dated(c, ctx, f"{name} {ctx.as_of.year}")
    if not shift:
        return _bare(c, ctx, name, mod=_mod(m.group("part") or m.group("part2")))
    phrase = {"this past": f"last {name}", "this coming": f"next {name}"}.get(shift, f"{shift} {name}")
    return _dated(c, ctx, phrase, mod=_mod(m.group("part")))


def _weekday(c, ctx):
    m = c.match
    shift = (m.group("shift") or "").lower()
    part = shift if shift in ("early", "late") else ""
    shift = "" if part else shift
    # "Friday morning": TimeBank mostly tags it as the day (a DATE), so the
    # part of the day is kept out of the value.
    if not shift:
        if ctx.text.startswith("'s", c.end) and not m.group("pod"):
            # "Wednesday's ruling", "after Friday's meeting": news names a
            # day by what happened on it.
            return _dated(c, ctx, m.group("name"), tense=PAST, mod=_mod(part))
        return _bare(c, ctx, m.group("name"), mod=_mod(part))
    phrase = f"{shift} {m.group('name')}"
    return _dated(c, ctx, phrase, mod=_mod(part))


def _relday(c, ctx):
    m = c.match
    if m.group("word"):
        word, pod = m.group("word").lower(), m.group("pod")
        if word == "tonight":
            word, pod = "today", "night"
        return _dated(c, ctx, word, pod=pod)
    if m.group("this"):
        word = "today" if m.group("this").lower() == "this" else "yesterday"
        return _dated(c, ctx, word, pod=m.group("pod2"))
    return _dated(c, ctx, m.group(0))


_REFS = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF", "at present": "PRESENT_REF",
    "presently": "PRESENT_REF", "the present": "PRESENT_REF", "recently": "PAST_REF", "lately": "PAST_REF",
    "the past": "PAST_REF", "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
    "the distant future": "FUTURE_REF", "current": "PRESENT_REF", "right now": "PRESENT_REF",
}


def _ref(c, ctx):
    words = _SPACES.sub(" ", c.match.group(0).lower())
    if words.startswith("recent "):
        return _plain(c, ctx, DATE, "PAST_REF")
    return _plain(c, ctx, DATE, _REFS[words])


def _year(c, ctx):
    m = c.match
    return _dated(c, ctx, m.group("y"), mod=_mod(m.group("part")))


def _decade(c, ctx):
    m = c.match
    dec = m.group("dec")
    if dec.startswith("'"):
        century = ctx.as_of.year // 100
        if int(dec[1]) * 10 > ctx.as_of.year % 100:
            century -= 1
        dec = f"{century}{dec[1:]}"
    return _plain(c, ctx, DATE, dec[:3], mod=_mod(m.group("part")))


_ORDINAL = {"first": "first", "1st": "first", "second": "second", "2nd": "second", "third": "third",
            "3rd": "third", "fourth": "fourth", "4th": "fourth", "final": "fourth"}


def _quarter(c, ctx):
    timex = _quarter_value(c, ctx)
    m = c.match
    if timex and m.group("the") and f"{m.group('shift')}-" in m.group(0) and not m.group("qy"):
        # "the third-quarter loss": the article belongs to the noun.
        start = m.start("shift")
        timex = Timex(start, timex.end, ctx.text[start:timex.end], timex.type, timex.value, timex.when,
                      mod=timex.mod, tense=timex.tense, rule=timex.rule)
    return timex


def _quarter_value(c, ctx):
    m = c.match
    shift, unit = m.group("shift").lower() or "the", m.group("unit").lower()
    if unit == "period":
        unit = "quarter"
    year_words = (m.group("qy") or "").lower()
    if m.group("poss"):
        year_words = m.group("poss").lower().removesuffix("'s")
    if m.group("yearbefore"):
        year_words = m.group("yearbefore").lower()
        if year_words in ("year-ago", "year-earlier"):
            reported = _reported_quarter(c, ctx)
            year_words = str((reported[0] if reported else ctx.as_of.year) - 1)
    if shift in _ORDINAL and not (shift == "fourth" and unit == "half"):
        phrase = f"the {_ORDINAL[shift]} {unit}"
        if year_words:
            return _dated(c, ctx, f"{phrase} of {year_words}")
        return _bare(c, ctx, phrase)
    if unit == "half":
        if shift in ("last", "latter", "final") and year_words:
            return _dated(c, ctx, f"the second half of {year_words}")
        return None
    if shift == "current":
        return _dated(c, ctx, "this quarter")
    if shift in ("latest", "previous", "last", "the") and not year_words:
        reported = _reported_quarter(c, ctx) if shift in ("the", "latest") else None
        if reported:
            return _dated(c, ctx, f"Q{reported[1]} {reported[0]}")
        return _dated(c, ctx, "last quarter")
    if shift in ("year-ago", "year-earlier", "comparable", "same", "corresponding"):
        # The quarter a year before the one reported on (or the latest one).
        reported = _reported_quarter(c, ctx)
        if reported is None:
            last = read("last quarter", ctx)
            if last is None:
                return None
            reported = (last.start.year, (last.start.month - 1) // 3 + 1)
        return _dated(c, ctx, f"Q{reported[1]} {reported[0] - 1}")
    return None


def _looks_back(c: Candidate) -> bool:
    """A year-ago quarter is compared with, not reported on."""
    m = c.match
    return bool(m.group("yearbefore")) or m.group("shift").lower() in (
        "year-ago", "year-earlier", "comparable", "same", "corresponding", "previous")


_YEAR_WORDS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "hundred": 0,
}


def _year_words(c, ctx):
    words = c.match.group("words").lower()
    if words.startswith("two thousand"):
        rest = words.removeprefix("two thousand").removeprefix(" and ").strip()
        year = 2000 + (_YEAR_WORDS[rest] if rest else 0)
    else:
        century, _, rest = words.partition(" ")
        year = _YEAR_WORDS[century] * 100 + sum(_YEAR_WORDS[w] for w in rest.split("-"))
    m = c.match
    if m.group("month"):
        return _dated(c, ctx, f"{m.group('month')} {year}")
    if m.group("season"):
        return _dated(c, ctx, f"{m.group('season')} {year}")
    return _dated(c, ctx, str(year))


def _week_of(c, ctx):
    return _bare(c, ctx, c.match.group(0))


# How far back (characters) a named quarter is still the one the text reports on.
QUARTER_REACH = 3000


def _reported_quarter(c: Candidate, ctx: Context) -> tuple[int, int] | None:
    if ctx.quarter and c.start - ctx.quarter_at <= QUARTER_REACH:
        return ctx.quarter
    return None


_UNIT_SHIFT = {
    "this past": "last", "the full": "the", "this": "this", "last": "last", "next": "next", "the current": "this",
    "the coming": "next",
    "the previous": "last", "the latest": "last", "the same": "this", "the": "the",
}


def _unit(c, ctx):
    m = c.match
    shift, unit = _UNIT_SHIFT[m.group("shift").lower()], m.group("unit").lower()
    part = (m.group("part") or m.group("inner") or "").lower()
    mod = _mod(part)
    if shift == "the" and unit in ("month", "quarter") and m.group("shift").lower() == "the full":
        return None
    if unit == "decade":
        y = ctx.as_of.year + {"last": -10, "next": 10}.get(shift, 0)
        return _plain(c, ctx, DATE, str(y)[:3], mod=mod)
    if unit == "century":
        y = ctx.as_of.year + {"last": -100, "next": 100}.get(shift, 0)
        return _plain(c, ctx, DATE, str(y)[:2], mod=mod)
    if unit == "weekend":
        phrase = "over the weekend" if shift == "the" else f"{shift} weekend"
        tense = tense_at(ctx.text, c.start, c.end) if shift == "the" else ""
        return _dated(c, ctx, phrase, tense=tense, mod=mod)
    if part in ("earlier", "later", "the rest of", "the remainder of"):
        mod = ""
    if unit in ("fall", "autumn", "spring", "summer", "winter") and shift in ("the", "this"):
        return _bare(c, ctx, unit, mod=mod)  # "this summer", "the spring": by the tense, like a month
    if shift == "the":
        phrase = "this week" if unit == "week" else f"the {unit}"
    else:
        phrase = f"{shift} {unit}"
    return _dated(c, ctx, phrase, mod=mod)


def _century(c, ctx):
    return _plain(c, ctx, DATE, f"{int(c.match.group('n')) - 1:02d}")


_REL_STEP = {"that": 0, "that same": 0, "the same": 0, "the following": 1, "the next": 1, "the previous": -1,
             "the preceding": -1, "before": -1, "after": 1}
_POD_UNITS = {"morning", "afternoon", "evening", "night"}


def _anchored(c, ctx):
    """'that year', 'the following month', 'the next morning': the unit of the
    last date the text named, moved by the step. Without one, nothing."""
    m = c.match
    last = ctx.last
    if last is None or c.start - ctx.last_at > ANCHOR_REACH:
        return None
    unit = (m.group("unit") or m.group("unit2")).lower()
    step = _REL_STEP[_SPACES.sub(" ", (m.group("rel") or m.group("rel2")).lower())]
    day = last.start.astimezone(last.zoneinfo).date()
    if unit in _POD_UNITS:
        unit = "day"
    if unit == "day":
        if last.precision not in ("day", "time"):
            return None
        phrase = (day + timedelta(days=step)).isoformat()
    elif unit == "week":
        phrase = f"the week of {(day + timedelta(weeks=step)).isoformat()}"
    elif unit == "month":
        total = day.year * 12 + day.month - 1 + step
        phrase = f"{total // 12:04d}-{total % 12 + 1:02d}"
    elif unit == "quarter":
        q = (day.year * 4 + (day.month - 1) // 3) + step
        phrase = f"Q{q % 4 + 1} {q // 4}"
    else:
        phrase = str(day.year + step)
    return _dated(c, ctx, phrase)  # "the next morning" is that day, as TimeBank tags it


# How far back (characters) the last date named still anchors "that year".
ANCHOR_REACH = 1500


def _vague(c, ctx):
    m = c.match
    if m.group("fewago"):
        return _plain(c, ctx, DATE, "PAST_REF")
    return _plain(c, ctx, DATE, "FUTURE_REF")


def _season(c, ctx):
    m = c.match
    return _dated(c, ctx, f"{m.group('season')} {m.group('y')}", mod=_mod(m.group("part")))


def _yearend(c, ctx):
    word = c.match.group(0).lower()
    if word == "year-end":
        return _dated(c, ctx, f"Dec. 31, {ctx.as_of.year}")
    reported = _reported_quarter(c, ctx)
    if reported:  # "compared with year-earlier profit" in a report on a quarter
        return _dated(c, ctx, f"Q{reported[1]} {reported[0] - 1}")
    return _dated(c, ctx, "last year")


def _ago(c, ctx):
    m = c.match
    n, unit, direction = count(m.group("n")), m.group("unit").lower().rstrip("s"), m.group("dir").lower()
    mod = APPROX_MODS.get((m.group("approx") or "").lower(), "")
    if mod in ("MORE_THAN", "LESS_THAN", "EQUAL_OR_MORE", "EQUAL_OR_LESS"):
        mod = {"MORE_THAN": "BEFORE", "LESS_THAN": "AFTER"}.get(mod, "") if direction == "ago" else ""
    if direction in ("before", "after"):
        # "a decade after the war", "30 days before the vote": counted from
        # an event, not from the document's date; TimeML tags the length.
        end = m.end("unit")
        value = duration_value(n, m.group("unit"))
        dmod = APPROX_MODS.get((m.group("approx") or "").lower(), "")
        return Timex(c.start, end, ctx.text[c.start:end], DURATION, value, None, mod=dmod, rule=c.rule)
    if n == "X" or unit in ("second", "minute", "hour"):
        return None
    back = direction in ("ago", "earlier")
    k = int(float(n))
    if not 0 < k <= MAX_COUNT:
        return None
    if unit == "year" and k == 1 and back and (reported := _reported_quarter(c, ctx)):
        # "net rose to $108.8 million from $90.5 million a year ago": the same quarter a year before.
        return _dated(c, ctx, f"Q{reported[1]} {reported[0] - 1}", mod=mod)
    if unit == "fortnight":
        unit, k = "week", 2 * k
    if unit in ("decade", "century"):
        unit, k = "year", k * (10 if unit == "decade" else 100)
    if back:
        # The When parser reads "N days / weeks / months / years ago"; "a year
        # earlier" is counted the same way, from the document's date.
        return _dated(c, ctx, f"{k} {unit}s ago", mod=mod)
    # Forward ("two years later", "a month from now"): the parser refuses a
    # vague point months away, so the unit is named for it to read.
    if unit == "day":
        return _dated(c, ctx, (ctx.as_of + timedelta(days=k)).isoformat(), mod=mod)
    if unit == "week":
        return _dated(c, ctx, f"the week of {(ctx.as_of + timedelta(weeks=k)).isoformat()}", mod=mod)
    if unit == "month":
        total = ctx.as_of.year * 12 + ctx.as_of.month - 1 + k
        return _dated(c, ctx, f"{total // 12:04d}-{total % 12 + 1:02d}", mod=mod)
    return _dated(c, ctx, str(ctx.as_of.year + k), mod=mod)


# Counts beyond this are not read as dates ("a million years ago").
MAX_COUNT = 5000


_FRACTION_OF = re.compile(r"(?i) of (?:the|a|an|its|his|her|their|all|those|these)\b")
_RATE = re.compile(r"(?i)\b(?:once|twice|thrice|times)\s+$")
_PER = re.compile(r"(?i)(?:\d|\bmillion|\bbillion|\bcents?|\bdollars?|\bpounds?|\byen|\bshares?|\bflights?"
                  r"|\bhours?|\bdays?|%|\bpercent)\s+$")


def _duration(c, ctx):
    m = c.match
    text = m.group(0)
    if _AGE.search(text):
        return None  # an age ("a 40-year-old"), not a period
    mod = APPROX_MODS.get((m.group("approx") or "").lower(), "")
    if m.group("unit") and m.group("unit").lower().startswith("quarter") and (
            _QUARTERS_OF.search(text) or _FRACTION_OF.match(ctx.text, c.end)):
        return None  # "three-quarters of the vote", "two quarters of the shares": a fraction
    if (m.group("n") or "").lower() in ("a", "an", "one") and not m.group("det") and not m.group("approx"):
        before = ctx.text[max(0, c.start - 24):c.start]
        if _RATE.search(before):
            # "twice a week", "three times a year": a frequency.
            return Timex(c.start, c.end, ctx.text[c.start:c.end], SET, duration_value("1", m.group("unit")), None,
                         rule=c.rule)
        if _PER.search(before):
            return None  # "$500 million a year", "four flights a week": a rate, not a time
    if m.group("bare"):
        unit, n = m.group("bare"), "X"
    elif m.group("single") or m.group("fiscal"):
        unit, n = (m.group("single") or "year"), "1"
    else:
        unit, n = m.group("unit"), count(m.group("n"))
        if m.group("half") or _AND_A_HALF.search(text):
            n = str(float(n) + 0.5) if n != "X" else n
    if n in ("0",):
        return None
    start = c.start
    det = (m.group("det") or "").lower()
    if det == "the" and m.group("bare") and not m.group("ahead"):
        start = m.start("bare")  # "the years": the noun phrase's article, not the duration's
    if det == "in recent":
        start = m.start("det") + 3  # "in recent years": the preposition is not part of it
    if det in ("recent", "in recent") and n != "X":
        return None
    if det in ("recent", "in recent") and unit.lower() == "years":
        # "in recent years" reads as a time in the past rather than a length
        # (TimeBank's majority); "recent weeks" and "recent months" as lengths.
        return Timex(start, c.end, ctx.text[start:c.end], DATE, "PAST_REF", None, rule=c.rule)
    # "the 12-day war": the determiner belongs to the noun, not to the duration.
    if m.group("det") and m.group("n") and text[-len(unit) - 1:-len(unit)] == "-":
        start = m.start("n")
    value = duration_value(n, unit)
    return Timex(start, c.end, ctx.text[start:c.end], DURATION, value, None, mod=mod, rule=c.rule)


def _set(c, ctx):
    m = c.match
    if m.group("adverb"):
        return _plain(c, ctx, SET, ADVERB_SET[m.group("adverb").lower()])
    low = m.group("unit").lower()
    if low[:3] in WEEKDAY_INDEX and not low.startswith("month"):  # "every Monday"
        return _plain(c, ctx, SET, f"XXXX-WXX-{WEEKDAY_INDEX[low[:3]]}")
    if low in POD:  # "every morning"
        return _plain(c, ctx, SET, f"XXXX-XX-XXT{POD[low]}")
    n = count(m.group("n")) if m.group("n") else "1"
    if m.group("other"):
        n = "2"
    if n == "X":
        n = "1"
    return _plain(c, ctx, SET, duration_value(n, low))


def _weekdays(c, ctx):
    m = c.match
    value = f"XXXX-WXX-{WEEKDAY_INDEX[m.group('name').lower()[:3]]}"
    if m.group("pod"):
        value += f"T{POD[m.group('pod').lower().rstrip('s')]}"
    return _plain(c, ctx, SET, value)


def _holiday(c, ctx):
    """The holiday's date in the year the tense points to: the last one for
    the past, the next one for the future (the day itself counts as both),
    unless that one lies far off and the other near (_choose)."""
    day_of = HOLIDAYS[c.match.group(0).lower()]
    year = ctx.as_of.year
    try:
        this, last, next_ = day_of(year), day_of(year - 1), day_of(year + 1)
    except ValueError:
        return None  # beyond the calendar
    past = this if this <= ctx.as_of else last
    future = this if this >= ctx.as_of else next_
    tense = tense_at(ctx.text, c.start, c.end)
    readings = {PAST: (read(past.isoformat(), ctx), PAST), FUTURE: (read(future.isoformat(), ctx), FUTURE)}
    when, tense = _choose(ctx, readings[tense], readings[FUTURE if tense == PAST else PAST])
    return _timex(c, ctx, when, type_=DATE, mod="", tense=tense, pod=None)


NORMALISERS = {
    "time": _time, "date": _date, "iso": _iso, "monthyear": _month_year, "month": _month, "weekday": _weekday,
    "relday": _relday, "ref": _ref, "year": _year, "decade": _decade, "quarter": _quarter, "unit": _unit,
    "season": _season, "yearend": _yearend, "ago": _ago, "duration": _duration, "set": _set, "holiday": _holiday,
    "yearwords": _year_words, "weekof": _week_of, "weekdays": _weekdays, "century": _century,
    "anchored": _anchored, "vague": _vague,
}


def normalise(c: Candidate, ctx: Context) -> Timex | None:
    timex = NORMALISERS[c.rule](c, ctx)
    if timex is not None and timex.when is not None and timex.when.is_dated and timex.rule not in ("ref",):
        ctx.last, ctx.last_at = timex.when, c.start
    if (timex is not None and timex.when is not None and timex.when.precision == "quarter" and timex.rule == "quarter"
            and not _looks_back(c)):
        start = timex.when.start.astimezone(timex.when.zoneinfo)
        ctx.quarter, ctx.quarter_at = (start.year, (start.month - 1) // 3 + 1), c.start
    return timex
