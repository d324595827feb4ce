"""Finding time expressions: candidate spans in running text, each with the
rule that found it. Normalising them (what they mean) is normalise.py.

Each rule is a regular expression over the raw text. Month and weekday names
must be capitalised (so "may" the verb and "march" the noun are not dates);
the other words are matched in any case. All rules are run, and the longest
match wins where two overlap (then the earlier start); so "Friday, Oct. 23,
1998" is one date, not a weekday, a day and a year.

Extents follow TimeML's: the determiner and modifiers are part of the
expression ("the third quarter", "early next year", "the past two months",
"two years ago"), the preposition is not ("in June" is "June").
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    rule: str
    match: re.Match


def _alt(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
]
_MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec"]
MONTH = rf"(?:{_alt(MONTH_NAMES + [m.upper() for m in MONTH_NAMES])}|(?:{_alt(_MONTH_ABBR)})\.?)"
# "May" alone is too often the verb: a bare "May" needs a word before it
# that only a month takes ("in May", "early May", "last May"), or a
# punctuation mark or a conjunction after it ("May, June").
_MAY = "(?:" + "|".join(f"(?<={w})" for w in (
    "in ", "In ", "since ", "Since ", "until ", "by ", "of ", "early ", "mid-", "late ", "Early ", "Late ", "last ",
    "next ", "this ", "through ", "from ", "From ", "during ", "before ", "after ")) + ")May(?!\\w)|"
MONTH_NOT_MAY = rf"(?:{_alt([m for m in MONTH_NAMES if m != 'May'])}|(?:{_alt(_MONTH_ABBR)})\.)"
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAY = rf"(?:{_alt(WEEKDAY_NAMES + [w.upper() for w in WEEKDAY_NAMES])}|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.)"
DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[0-9]\d\d|20\d\d)"
_END = r"(?![\w-])"  # not inside a longer word or number
_START = r"(?<![\w$.,-])"

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
_NUMWORD = _alt(NUMBER_WORDS)
# "two", "twenty-five", "25", "1 1/2", "2.5", "a", "an", vague counts.
NUMBER = (
    rf"(?:(?:{_NUMWORD})(?:[- ](?:{_NUMWORD}))?|\d+(?:[.,]\d+)?(?: 1/2)?|a|an|one|several|a few|few|many"
    rf"|a couple of|a couple|couple of|some|dozens of|hundreds of|a dozen)"
)
UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|decades?|centuries|century)"
_UNIT_SINGULAR = r"(?:second|minute|hour|day|week|month|year|decade|century)"
PART_OF_DAY = r"(?:morning|afternoon|evening|night)"
# "over" and "under" count only before a number: "over two years", not "over the past year".
_APPROX = rf"(?:about|around|nearly|almost|roughly|some|more than|less than|at least|up to|(?:over|under)(?= (?:\d|{_NUMWORD}|a |an )))"

_I = "(?i:{})".format
_AMPM = _I(r"[ap]\.m\.|[ap]m")

_YEAR_IN_WORDS = r"""(?P<words>(?:nineteen|eighteen)\ (?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)
        (?:-(?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen
        |seventeen|eighteen|nineteen|hundred)|two\ thousand(?:\ and\ (?:one|two|three|four|five|six|seven|eight|nine))?)\b"""

RULES: list[tuple[str, str]] = [
    # A clock time, alone or with its day: "10:35 a.m.", "9 a.m. Tuesday", "Jan. 23 at 3 p.m. EST".
    ("time", rf"""(?:(?P<tday>{WEEKDAY}|{MONTH} {DAYNUM}|{_I('today|tomorrow|yesterday')}),? (?:{_I('at')} )?)?
        (?P<clock>\d{{1,2}}(?::\d\d)?\s?{_AMPM}(?!\w)|\d{{1,2}}:\d\d(?!\d)|{_I('noon|midnight|midday')})
        (?P<zone>\ (?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|ET|PT))?
        (?:,?\ (?:{_I('on')}\ )?(?P<tday2>{WEEKDAY}|{MONTH} {DAYNUM}|{_I('today|tomorrow|yesterday')}))?{_END}"""),
    # A day with a month: "Oct. 23", "Friday, Oct. 23, 1998", "23 October 1998", "the 23rd of October".
    ("date", rf"""(?:(?P<wd>{WEEKDAY}),?\ )?
        (?:{MONTH}\ {DAYNUM}(?:,?\ {YEAR})?|(?:{_I('the')}\ )?{DAYNUM}\ (?:{_I('of')}\ )?{MONTH}(?:,?\ {YEAR})?)
        (?:\ (?P<pod>{_I(PART_OF_DAY)}))?{_END}"""),
    ("iso", rf"{_START}{YEAR}-[01]\d-[0-3]\d(?:T\d\d:\d\d)?{_END}"),
    # A month with its year: "June 1998", "June of 1998", "early June 1998".
    ("monthyear", rf"(?:(?P<part>{_I('early|mid|late')})[- ])?{MONTH},?\ (?:{_I('of')}\ )?{YEAR}{_END}"),
    # A month alone, with or without a shift or part: "June", "last June", "early June", "mid-June".
    ("month", rf"""(?:(?P<shift>{_I('this|last|next|this past|this coming')})\ |(?P<part>{_I('early|mid|late')})[- ]
        |(?P<part2>{_I('the beginning of|the middle of|the end of|the start of')})\ 
        |(?P<lead>{_I('in|since|until|till|by|of|through|from|to|before|after|during|and|or|between|for')})\ )?
        (?P<name>{MONTH_NOT_MAY}|{_MAY}May(?=\ (?:{_I('and|or|to|through')})|[,.;])(?<=\w)){_END}(?!\ \d)"""),
    # A weekday: "Friday", "last Friday", "Friday morning", "this past Sunday".
    ("weekday", rf"""(?:(?P<shift>{_I('this past|this coming|this|last|next|early|late')})\ )?(?P<name>{WEEKDAY})
        (?:\ (?P<pod>{_I(PART_OF_DAY)}))?{_END}"""),
    # Days around today: "today", "yesterday afternoon", "last night", "tonight".
    ("relday", _I(rf"""\b(?:(?P<word>today|tonight|tomorrow|yesterday)(?:\ (?P<pod>{PART_OF_DAY}))?
        |(?P<this>this|last)\ (?P<pod2>{PART_OF_DAY})|the\ day\ (?:after\ tomorrow|before\ yesterday))\b""")),
    # Present, past and future references: "now", "currently", "recently", "the past", "the future".
    ("ref", _I(r"""\b(?:now|currently|nowadays|at\ present|presently|the\ present|recently(?!\ as\b)|lately|the\ past
        |the\ future|the\ near\ future|the\ distant\ future|current(?=\ [a-z])|right\ now)\b""")),
    # A year: "1998", "fiscal 1998", "early 1998", "the year 1998", "mid-1998".
    ("year", rf"""{_START}(?:(?P<part>{_I('early|mid|late|the end of|the beginning of|the middle of|the start of')})[- ])?
        (?:(?P<fiscal>{_I('fiscal|calendar|the year|the fiscal year|model year')})\ )?(?P<y>{YEAR})(?!\s?%|[\w,.-]\d)
        (?![- ](?:{_I('percent|shares|people|barrels|cars|tons|votes|troops|workers|employees')}))"""),
    # Decades: "the 1990s", "the mid-1980s", "the '90s".
    ("decade", rf"""(?:{_I('the')}\ )?(?:(?P<part>{_I('early|mid|late')})[- ])?(?P<dec>1[0-9]\d0|20\d0|'\d0)s{_END}"""),
    # A quarter or half: "the third quarter", "third-quarter", "the fourth quarter of 1998", "the first half".
    ("quarter", _I(rf"""(?:(?P<the>the)\ |(?P<poss>(?:this|last|next)\ year's|{YEAR}'s)\ )?
        (?:(?:comparable|corresponding)\ )?(?:(?P<yearbefore>year-ago|year-earlier|{YEAR})\ )?
        (?P<shift>latest|current|same|previous|year-ago|year-earlier|comparable|corresponding|final|last|first|second
          |third|fourth|1st|2nd|3rd|4th|(?<=the\ )(?=quarter))[- ]?(?:fiscal\ )?(?P<unit>quarter|half|period)
        (?:,?\ (?:of\ )?(?:(?P<fy>fiscal|calendar)\ )?(?P<qy>{YEAR}|this\ year|last\ year|next\ year))?{_END}""")),
    # Calendar units around today: "last week", "this year", "the quarter", "early next year",
    # "earlier this month", "the same month", "year-end".
    ("unit", _I(rf"""\b(?:(?P<part>early|late|mid|the\ end\ of|the\ beginning\ of|the\ start\ of|the\ middle\ of
            |earlier|later|the\ rest\ of|the\ remainder\ of)[- ])?
        (?P<shift>this\ past|this|last|next|the\ current|the\ coming|the\ previous|the\ latest|the\ full|the)
        \ (?:(?P<inner>early|late|mid)[- ])?(?:fiscal\ )?(?P<unit>week|weekend|month|quarter|year|fall|autumn|spring|summer|winter
        |decade|century)(?![\w-])""")),
    ("century", _I(r"\b(?:the\ )?(?P<n>1[0-9]|2[01])(?:st|nd|rd|th)\ century\b")),
    ("season", rf"""{_I('(?:(?P<part>early|mid|late)[- ])?(?P<season>spring|summer|fall|autumn|winter)')},?\ (?:{_I('of')}\ )?(?P<y>{YEAR}){_END}"""),
    # Counted from the last date named: "that year", "later that day", "the following month", "the next morning".
    ("anchored", _I(rf"""\b(?:(?P<part>later|earlier)\ )?(?P<rel>that(?:\ same)?|the\ same|the\ following|the\ next|the\ previous
        |the\ preceding)\ (?P<unit>day|morning|afternoon|evening|night|week|month|quarter|year)(?![\w-])
        |\bthe\ (?P<unit2>day|week|month|year)\ (?P<rel2>before|after)(?!\ (?:the|a|an|his|her|its|their)\b)""")),
    # Vague references to the future or the past: "the near term", "coming months", "a later date".
    ("vague", _I(r"""\b(?:the\ (?P<term>near|short)\ term(?![\w-])|(?:the\ )?(?P<coming>coming|future)\ (?:months|years|quarters)
        |a\ later\ date|(?P<fewago>a\ few|several|many)\ (?:years|months|weeks|days)\ ago)\b""")),
    ("yearend", _I(r"\byear-(?:end|ago|earlier)(?![\w-])")),
    # Counted back: "two years ago", "a year earlier", "six weeks ago".
    ("ago", _I(rf"""\b(?:(?P<approx>{_APPROX})\ )?(?P<n>{NUMBER})\ (?P<unit>{UNIT})
        \ (?P<dir>ago|earlier|later|before|after|from\ now|hence)\b""")),
    # Durations: "two days", "the past two months", "16-hour", "the first nine months", "years".
    ("duration", _I(rf"""\b(?:(?P<approx>{_APPROX})\ )?
        (?:(?P<det>the\ (?:past|last|next|previous|first|coming|final|latest|preceding|following)|the|past|last|next
          |another|the\ entire|the\ whole|the\ full|recent|in\ recent)\ )?
        (?:(?P<n>{NUMBER})[- ](?:(?:more|additional|further|straight|consecutive)\ )?(?:and[- ]a[- ]half[- ])?(?P<unit>{UNIT})(?P<half>\ and\ a\ half)?(?:[- ]long|[- ]old)?
          |(?P<bare>years|months|weeks|days|decades|hours|minutes|centuries|quarters)(?:\ (?P<ahead>ahead))?
          |(?:(?<=the\ past\ )|(?<=the\ next\ )|(?<=the\ last\ )|(?<=over\ the\ )|(?<=^past\ )|(?<=\ past\ ))
            (?P<single>year|month|week|decade|century|quarter)
          |(?<=the\ )(?P<fiscal>year|fiscal\ year)(?=\ end(?:ed|ing)\b))(?![\w-])""")),
    # Years in words, as broadcast transcripts write them: "nineteen ninety-six", "the year two thousand".
    ("yearwords", rf"""\b(?:{_I('the year')}\ |(?P<month>{MONTH})\ |{_I('(?:the )?(?P<season>spring|summer|fall|autumn|winter) of')}\ )?
        {_I(_YEAR_IN_WORDS)}"""),
    # "the week of March 6".
    ("weekof", rf"{_I('the week of')} {MONTH} {DAYNUM}(?:,? {YEAR})?{_END}"),
    # Sets: "daily", "every week", "each year", "twice a year", "$5 a share a year".
    ("set", _I(rf"""\b(?:(?P<adverb>daily|weekly|monthly|yearly|nightly|hourly|biweekly)
        |(?P<every>every|each|per)\ (?:(?P<other>other)\ )?(?:(?P<n>{NUMBER})\ )?(?P<unit>{UNIT}|{WEEKDAY}|morning|night|evening|afternoon))\b""")),
    # Weekdays in the plural: "on Mondays", "Tuesday nights".
    ("weekdays", rf"(?P<name>{_alt(WEEKDAY_NAMES)})(?:s|\ (?P<pod>{_I('mornings|afternoons|evenings|nights')})){_END}"),
    # Named days: "Christmas", "Thanksgiving Day", "New Year's Day".
    ("holiday", r"""\b(?:Christmas(?: Day| Eve)?|Thanksgiving(?: Day)?|New Year's(?: Day| Eve)?|Election Day
        |Independence Day|Labor Day|Memorial Day|Easter(?: Sunday)?|Halloween|Veterans Day|Valentine's Day)\b"""),
]

def _compile(pattern: str) -> re.Pattern:
    # The patterns above are written over several lines: a line break and the
    # indentation after it are layout, every other space is a space.
    return re.compile(re.sub(r"\n\s*", "", pattern))


COMPILED = [(name, _compile(pattern)) for name, pattern in RULES]

# Where a rule can match. Most rules open with optional words ("early",
# "the past", "in"), so the regular expression engine tries every one of
# them at every character of the text: that was nine tenths of the tagger's
# time. Yet each match holds a word that the rule needs (a month's name, a
# unit, a digit): its anchor. A rule with an anchor is tried only from
# `before` characters ahead of each anchor (the most a match holds before
# it) up to the anchor, and sees `after` characters past it (the most a
# match holds after the anchor's start, with what its lookaheads read).
# The matches are those of the plain scan, in the same order
# (tests/reading/test_timex_windows.py compares both over the TempEval
# texts and the fixtures): a rule changed so that a match can lie further
# from its anchor must widen its window, or lose its anchor.
_MONTHS = tuple("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())
_UNITS = ("second", "minute", "hour", "day", "week", "fortnight", "month", "quarter", "year", "decade", "centur")
_SEASONS = ("spring", "summer", "fall", "autumn", "winter")
# rule: (anchor, in any case, before, after). An anchor is words, found as
# written or, in any case, in the text made lower case; or a pattern. The
# comments give the longest words before the anchor and after its start.
WINDOWS: dict[str, tuple] = {
    # "Wednesday, at" | "10:35 a.m. EST, on September 30th": the hour's last digit before ":" or a.m.
    "time": (re.compile(r"\d(?::\d\d|\s?[aApP]\.?[mM])|(?i:noon|midnight|midday)"), False, 40, 80),
    "date": (_MONTHS + tuple(m.upper() for m in _MONTHS), False, 40, 60),  # "WEDNESDAY, the 31st of" | "1998 afternoon"
    "monthyear": (_MONTHS + tuple(m.upper() for m in _MONTHS), False, 20, 40),  # "early-" | "September, of 1998"
    "month": (_MONTHS, False, 40, 40),  # "the beginning of"
    "weekday": (tuple("Mon Tue Wed Thu Fri Sat Sun MON TUE WED THU FRI SAT SUN".split()), False, 30, 40),
    "quarter": (("quarter", "half", "period"), True, 90, 60),  # "next year's corresponding year-earlier third-fiscal"
    "unit": (("week", "month", "quarter", "year", "decade", "centur") + _SEASONS, True, 70, 40),
    "season": (_SEASONS, True, 20, 40),
    "ago": (_UNITS, True, 50, 50),  # "more than a couple of" | "centuries from now"
    "duration": (_UNITS, True, 90, 50),  # "more than the preceding twenty-seven consecutive and-a-half-"
    "decade": (("0s",), False, 30, 10),  # "the mid-1990s", "the '90s"
    "yearwords": (("nineteen", "eighteen", "two thousand"), True, 30, 90),  # "the winter of nineteen ninety-nine"
}
# Letters that a pattern in any case takes for ASCII ones ("ſ" for "s")
# while lower() does not make them so: a text that holds one is searched
# with the patterns' own rules.
_CASE_TRAPS = re.compile("[\u0131\u017f\u212a]")


def _anchors(anchor, any_case: bool, text: str, lowered: str | None) -> list[int]:
    if isinstance(anchor, re.Pattern):
        return [m.start() for m in anchor.finditer(text)]
    if any_case and lowered is None:  # lower() would not keep the offsets or the letters: as the patterns read
        return sorted(m.start() for m in re.finditer("|".join(map(re.escape, anchor)), text, re.I))
    within = lowered if any_case else text
    found = []
    for word in anchor:
        at = within.find(word)
        while at >= 0:
            found.append(at)
            at = within.find(word, at + 1)
    found.sort()
    return found


def matches(name: str, pattern: re.Pattern, text: str, *, windowed: bool = True, lowered: str | None = None):
    """The rule's matches in text, as pattern.finditer(text) gives them."""
    if not windowed or name not in WINDOWS:
        yield from pattern.finditer(text)
        return
    anchor, any_case, before, after = WINDOWS[name]
    pos = 0
    for q in _anchors(anchor, any_case, text, lowered):
        while q >= pos:
            m = pattern.search(text, max(pos, q - before), q + after)
            if m is None or m.start() > q:
                break
            yield m
            pos = m.end() if m.end() > m.start() else m.end() + 1


def candidates(text: str, *, windowed: bool = True) -> list[Candidate]:
    """Every rule's matches, then the longest of each overlapping group."""
    found: list[Candidate] = []
    lowered = text.lower()
    lowered = lowered if len(lowered) == len(text) and not _CASE_TRAPS.search(text) else None
    for name, pattern in COMPILED:
        for m in matches(name, pattern, text, windowed=windowed, lowered=lowered):
            start = m.start()
            if "lead" in pattern.groupindex and m.group("lead"):
                start = m.end("lead") + 1  # "in June" is "June": the preposition is not part of it
            if m.end() > start:
                found.append(Candidate(start, m.end(), name, m))
    # Longest first; on a tie the duration reading wins ("the year ended
    # March 31" is a year's length, not this year), then the order of RULES.
    found.sort(key=lambda c: (c.start, -(c.end - c.start), c.rule != "duration"))
    chosen: list[Candidate] = []
    for c in found:
        if chosen and c.start < chosen[-1].end:
            if c.end - c.start > chosen[-1].end - chosen[-1].start and _only_overlaps_last(chosen, c):
                chosen[-1] = c
            continue
        chosen.append(c)
    return chosen


def _only_overlaps_last(chosen: list[Candidate], c: Candidate) -> bool:
    return len(chosen) < 2 or chosen[-2].end <= c.start
