"""Normalising a candidate span: its TIMEX3 type and value, and the When it
means. Every window is read by the When parser (timeline.whenparse), so the
tagger and the editor's When field can never disagree on what "last week" or
"the third quarter" is: each rule turns its match into a phrase the parser
reads (dropping what TIMEX3 keeps apart, such as "early" which becomes
mod=START), and values.py writes the When as a TIMEX3 value. Durations and
sets have no window; they are counted here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from timeline.exceptions import WhenParseError
from timeline.when import When
from timeline.whenparse import parse_when

from .find import NUMBER_WORDS, Candidate
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
_APPROX_MODS = {
    "about": "APPROX", "around": "APPROX", "nearly": "APPROX", "almost": "APPROX", "roughly": "APPROX",
    "some": "APPROX", "more than": "MORE_THAN", "over": "MORE_THAN", "less than": "LESS_THAN", "under": "LESS_THAN",
    "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS",
}


def _mod(part: str | None) -> str:
    return _MODS.get((part or "").lower(), "")


def _dated(c: Candidate, ctx: Context, phrase: str, *, tense: str = "", type_: str = DATE, mod: str = "",
           pod: str | None = None) -> Timex | None:
    use = tense or PAST
    when = read(phrase, ctx, use)
    if when is None:
        return None
    value = value_of(when)
    if value is None:
        return None
    if pod:
        value, type_ = with_part_of_day(value, pod), TIME
    return Timex(c.start, c.end, ctx.text[c.start:c.end], type_, value, when, mod=mod, tense=tense, rule=c.rule)


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
    chosen = read(phrase, ctx, tense)
    other = read(phrase, ctx, FUTURE if tense == PAST else PAST)
    if chosen is not None and other is not None and chosen != other:
        def distance(when: When) -> int:
            start, end = when.start.astimezone(when.zoneinfo).date(), when.end.astimezone(when.zoneinfo).date()
            if start <= ctx.as_of < end:
                return 0
            return (start - ctx.as_of).days if start > ctx.as_of else (ctx.as_of - end).days + 1
        if distance(chosen) > FAR_DAYS and distance(other) * 2 < distance(chosen):
            chosen, tense = other, FUTURE if tense == PAST else PAST
    if chosen is None:
        return None
    value = value_of(chosen)
    if value is None:
        return None
    if pod:
        value, type_ = with_part_of_day(value, pod), TIME
    return Timex(c.start, c.end, ctx.text[c.start:c.end], type_, value, chosen, mod=mod, tense=tense, rule=c.rule)


def _plain(c: Candidate, ctx: Context, type_: str, value: str, mod: str = "") -> Timex:
    return Timex(c.start, c.end, ctx.text[c.start:c.end], type_, value, None, mod=mod, rule=c.rule)


# The rules -------------------------------------------------------------------------

def _time(c, ctx):
    m = c.match
    day = m.group("tday") or m.group("tday2") or "today"
    clock = m.group("clock")
    if clock.lower() == "midnight":
        when = read(day, ctx, tense_at(ctx.text, c.start, c.end))
        return when and Timex(c.start, c.end, m.group(0), TIME, value_of(when) + "T24", when, rule=c.rule)
    phrase = f"{day} at {clock}{m.group('zone') or ''}"
    if day.lower() in ("today", "tomorrow", "yesterday") or re.search(r"\d{4}", day):
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
    read_it = _dated if re.search(r"\d{4}", phrase) else _bare
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
    if shift in ("", "this"):
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
    words = re.sub(r"\s+", " ", c.match.group(0).lower())
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
    if timex and m.group("the") and not m.group("yearbefore") and "-" in m.group(0) and not m.group("qy"):
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
    return _dated(c, ctx, str(year))


# How far back (characters) a named quarter is still the one the text reports on.
QUARTER_REACH = 3000


def _reported_quarter(c: Candidate, ctx: Context) -> tuple[int, int] | None:
    if ctx.quarter and c.start - ctx.quarter_at <= QUARTER_REACH:
        return ctx.quarter
    return None


_UNIT_SHIFT = {
    "this": "this", "last": "last", "next": "next", "the current": "this", "the coming": "next",
    "the previous": "last", "the latest": "last", "the same": "this", "the": "the",
}


def _unit(c, ctx):
    m = c.match
    shift, unit = _UNIT_SHIFT[m.group("shift").lower()], m.group("unit").lower()
    part = (m.group("part") or "").lower()
    mod = _mod(part)
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
    if shift == "the":
        if unit in ("week",):
            phrase, tense = "this week", ""
        elif unit in ("fall", "autumn", "spring", "summer", "winter"):
            phrase, tense = unit, tense_at(ctx.text, c.start, c.end)
        else:
            phrase, tense = f"the {unit}", ""
    else:
        phrase, tense = f"{shift} {unit}", ""
    if part in ("earlier", "later", "the rest of", "the remainder of"):
        mod = ""
    return _dated(c, ctx, phrase, tense=tense, mod=mod)


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


def count(words: str) -> str:
    """A count as TIMEX3 writes it: '2', '1.5', or 'X' for a vague one."""
    w = words.lower().strip()
    if w in ("a", "an", "one"):
        return "1"
    if w.replace(",", "").isdigit():
        return w.replace(",", "")
    if re.fullmatch(r"\d+\.\d+", w):
        return w
    if m := re.fullmatch(r"(\d+) 1/2", w):
        return f"{m.group(1)}.5"
    if w in ("a couple of", "a couple"):
        return "2"
    if w == "a dozen":
        return "12"
    parts = re.split(r"[- ]", w)
    if all(p in NUMBER_WORDS for p in parts):
        return str(sum(NUMBER_WORDS[p] for p in parts))
    return "X"


_UNIT_CODE = {
    "second": ("T", "S", 1), "minute": ("T", "M", 1), "hour": ("T", "H", 1), "day": ("", "D", 1),
    "week": ("", "W", 1), "fortnight": ("", "W", 2), "month": ("", "M", 1), "quarter": ("", "Q", 1),
    "year": ("", "Y", 1),
    "decade": ("", "Y", 10), "century": ("", "Y", 100), "centurie": ("", "Y", 100),
}


def duration_value(n: str, unit: str) -> str:
    """P2D, PT5H, P10Y, PXY."""
    unit = unit.lower().rstrip("s") if unit.lower() != "centuries" else "century"
    t, code, factor = _UNIT_CODE[unit]
    if n != "X" and factor != 1:
        n = str(int(float(n) * factor)) if float(n) * factor == int(float(n) * factor) else str(float(n) * factor)
    if n.endswith(".5") and code in ("H", "Y") or (n.endswith(".5") and t == "T" and code == "M"):
        # A half in the next smaller unit: PT5H30M, PT1M30S, P1Y6M.
        whole, half = n[:-2], {"H": "30M", "M": "30S", "Y": "6M"}[code]
        return f"P{t}{whole}{code}{half}" if whole != "0" else f"P{t}{half}"
    return f"P{t}{n}{code}"


def _ago(c, ctx):
    m = c.match
    n, unit, direction = count(m.group("n")), m.group("unit").lower().rstrip("s"), m.group("dir").lower()
    mod = _APPROX_MODS.get((m.group("approx") or "").lower(), "")
    if mod in ("MORE_THAN", "LESS_THAN", "EQUAL_OR_MORE", "EQUAL_OR_LESS"):
        mod = {"MORE_THAN": "BEFORE", "LESS_THAN": "AFTER"}.get(mod, "") if direction == "ago" else ""
    if direction in ("before", "after"):
        # "a decade after the war", "30 days before the vote": counted from
        # an event, not from the document's date; TimeML tags the length.
        end = m.end("unit")
        value = duration_value(n, m.group("unit"))
        dmod = _APPROX_MODS.get((m.group("approx") or "").lower(), "")
        return Timex(c.start, end, ctx.text[c.start:end], DURATION, value, None, mod=dmod, rule=c.rule)
    if n == "X" or unit in ("second", "minute", "hour"):
        return None
    back = direction in ("ago", "earlier")
    k = int(float(n))
    if unit == "year" and k == 1 and back and (reported := _reported_quarter(c, ctx)):
        # "net rose to $108.8 million from $90.5 million a year ago": the same quarter a year before.
        return _dated(c, ctx, f"Q{reported[1]} {reported[0] - 1}", mod=mod)
    if unit in ("decade", "century"):
        years = k * (10 if unit == "decade" else 100)
        y = ctx.as_of.year - years if back else ctx.as_of.year + years
        return _dated(c, ctx, str(y), mod=mod)
    if unit == "fortnight":
        unit, k = "week", 2 * k
    target = ctx.as_of
    if unit == "day":
        target = ctx.as_of + timedelta(days=-k if back else k)
        return _dated(c, ctx, target.isoformat(), mod=mod)
    if unit == "week":
        target = ctx.as_of + timedelta(weeks=-k if back else k)
        return _dated(c, ctx, f"the week of {target.isoformat()}", mod=mod)
    if unit == "month":
        total = ctx.as_of.year * 12 + ctx.as_of.month - 1 + (-k if back else k)
        return _dated(c, ctx, f"{total // 12:04d}-{total % 12 + 1:02d}", mod=mod)
    y = ctx.as_of.year - k if back else ctx.as_of.year + k
    return _dated(c, ctx, str(y), mod=mod)


_RATE = re.compile(r"(?i)\b(?:once|twice|thrice|times)\s+$")
_PER = re.compile(r"(?i)(?:\d|\bmillion|\bbillion|\bcents?|\bdollars?|\bpounds?|\byen|\bshares?|\bflights?"
                  r"|\bhours?|\bdays?|%|\bpercent)\s+$")


def _duration(c, ctx):
    m = c.match
    text = m.group(0)
    if re.search(r"(?i)[- ]old$", text):
        return None  # an age ("a 40-year-old"), not a period
    mod = _APPROX_MODS.get((m.group("approx") or "").lower(), "")
    if m.group("unit") and m.group("unit").lower().startswith("quarter") and (
            "-" in text or ctx.text[c.end:c.end + 3] == " of"):
        return None  # "three-quarters of the vote": a fraction
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
        if m.group("half") or re.search(r"(?i)and[- ]a[- ]half", text):
            n = str(float(n) + 0.5) if n != "X" else n
    if n in ("0",):
        return None
    start = c.start
    if m.group("approx") and mod == "APPROX":
        start = m.start("approx") + len(m.group("approx")) + 1  # TimeBank leaves "about" outside
    det = (m.group("det") or "").lower()
    if det == "the" and m.group("bare") and not m.group("ahead"):
        start = m.start("bare")  # "the years": the noun phrase's article, not the duration's
    if det == "in recent":
        start = m.start("det") + 3  # "in recent years": the preposition is not part of it
    if det in ("recent", "in recent") and n != "X":
        return None
    # "the 12-day war": the determiner belongs to the noun, not to the duration.
    if m.group("det") and re.search(rf"\d[- ]?{re.escape(unit)}$|-{re.escape(unit)}$", text, re.I) and "-" in text[-len(unit) - 1:]:
        start = m.start("n")
    value = duration_value(n, unit)
    return Timex(start, c.end, ctx.text[start:c.end], DURATION, value, None, mod=mod, rule=c.rule)


_ADVERB_SET = {
    "daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y", "nightly": "P1D",
    "hourly": "PT1H", "quarterly": "P3M", "biweekly": "P2W", "semiannually": "P6M",
}
_WEEKDAY_INDEX = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}


def _set(c, ctx):
    m = c.match
    if m.group("adverb"):
        return _plain(c, ctx, SET, _ADVERB_SET[m.group("adverb").lower()])
    unit = m.group("unit")
    low = unit.lower()
    if low[:3] in _WEEKDAY_INDEX and not low.startswith(("mon" + "th",)):
        if low.startswith("month"):
            pass
        else:
            return _plain(c, ctx, SET, f"XXXX-WXX-{_WEEKDAY_INDEX[low[:3]]}")
    if low in POD:
        return _plain(c, ctx, SET, f"XXXX-XX-XXT{POD[low]}")
    n = count(m.group("n")) if m.group("n") else "1"
    if m.group("other"):
        n = "2"
    if n == "X":
        n = "1"
    return _plain(c, ctx, SET, duration_value(n, low))


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


_HOLIDAYS = {
    "christmas": lambda y: date(y, 12, 25), "christmas day": lambda y: date(y, 12, 25),
    "christmas eve": lambda y: date(y, 12, 24), "new year's": lambda y: date(y, 1, 1),
    "new year's day": lambda y: date(y, 1, 1), "new year's eve": lambda y: date(y, 12, 31),
    "independence day": lambda y: date(y, 7, 4), "halloween": lambda y: date(y, 10, 31),
    "valentine's day": lambda y: date(y, 2, 14), "veterans day": lambda y: date(y, 11, 11),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4), "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1), "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + timedelta(days=1),
    "easter": _easter, "easter sunday": _easter,
}


def _holiday(c, ctx):
    """The holiday's date in the year the tense points to: the last one for
    the past, the next one for the future (the day itself counts as both)."""
    day_of = _HOLIDAYS[c.match.group(0).lower()]
    tense = tense_at(ctx.text, c.start, c.end)
    year = ctx.as_of.year
    d = day_of(year)
    if tense == PAST and d > ctx.as_of:
        d = day_of(year - 1)
    elif tense == FUTURE and d < ctx.as_of:
        d = day_of(year + 1)
    return _dated(c, ctx, d.isoformat(), tense=tense)


NORMALISERS = {
    "time": _time, "date": _date, "iso": _iso, "monthyear": _month_year, "month": _month, "weekday": _weekday,
    "relday": _relday, "ref": _ref, "year": _year, "decade": _decade, "quarter": _quarter, "unit": _unit,
    "season": _season, "yearend": _yearend, "ago": _ago, "duration": _duration, "set": _set, "holiday": _holiday,
    "yearwords": _year_words,
}


def normalise(c: Candidate, ctx: Context) -> Timex | None:
    timex = NORMALISERS[c.rule](c, ctx)
    if (timex is not None and timex.when is not None and timex.when.precision == "quarter" and timex.rule == "quarter"
            and not _looks_back(c)):
        start = timex.when.start.astimezone(timex.when.zoneinfo)
        ctx.quarter, ctx.quarter_at = (start.year, (start.month - 1) // 3 + 1), c.start
    return timex
