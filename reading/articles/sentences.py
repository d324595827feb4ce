"""Cutting an article into sentences, each with its place in the text.

The rules are pysbd's (the rule-based splitter this module used until
December 2026, itself a port of the Pragmatic Segmenter) for what news
writes: "U.S.", "Jan." and "Gen." do not end a sentence, nor do initials,
decimals, a full stop inside quotes or brackets, or "..." before a small
letter; a quote that ends with its full stop ends the sentence after the
closing mark. pysbd applies them as some eighty passes of substitutions over
each paragraph, compiling patterns per abbreviation it meets; here each full
stop, question and exclamation mark is judged once where it stands, which
costs a twentieth of the time. tests/reading/test_sentences_as_pysbd.py compares
the cuts with pysbd's over the fixtures and the TempEval texts, and
docs/reading.md lists where they differ and why.

Each sentence keeps its character offsets, so a time expression the tagger
found in the whole text is placed in its sentence. A sentence never runs
across a line break.

A lead-in label ("Why it matters:", "Zoom out:", "What's next:") is a device
of the page, not part of what the sentence says: it is kept apart (`label`)
so that neither a title nor a cue is read from it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# Up to six words and no comma before a colon at the very start of a sentence.
LABEL = re.compile(r"^(?P<label>[A-Z][\w'’]*(?:[ -][\w'’]+){0,5}):\s+(?=\S)")


@dataclass(frozen=True)
class Sentence:
    index: int  # 0-based, in the order of the text
    start: int  # offsets into the text read
    end: int
    text: str  # as written, stripped of surrounding whitespace
    label: str = ""  # the lead-in label, without its colon
    body_start: int = 0  # offset of what follows the label, into the text read

    @property
    def body(self) -> str:
        """What the sentence says, without its label."""
        return self.text[self.body_start - self.start:] if self.body_start else self.text

    def holds(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def split(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    for line in _LINE.finditer(text):
        offset = line.start()
        for start, end in cuts(line.group()):
            start, end = offset + start, offset + end
            stripped = text[start:end]
            label, body_start = "", 0
            match = LABEL.match(stripped)
            if match:
                label, body_start = match.group("label"), start + match.end()
            sentences.append(Sentence(index=len(sentences), start=start, end=end, text=stripped, label=label,
                                      body_start=body_start))
    return sentences


_LINE = re.compile(r"[^\n\r]+")

# -- the rules --------------------------------------------------------------------

_MARKS = ".!?。．！？"
_TERMINAL = re.compile(f"[{_MARKS}]+")

# pysbd's abbreviations (pysbd.lang.common.standard), lower case, without their last full stop.
ABBREVIATIONS = frozenset("""
    adj adm adv al ala alta apr arc ariz ark art assn asst attys aug ave bart bld bldg blvd brig bros btw cal calif
    capt cl cmdr co col colo comdr con conn corp cpl cres ct d.phil dak dec del dept det dist dr dr.phil dr.philos
    drs e.g ens esp esq etc exp expy ext feb fed fla ft fwy fy ga gen gov hon hosp hr hway hwy i.e ia id ida ill inc
    ind ing insp is jan jr jul jun kan kans ken ky la lt ltd maj man mar mass may md me med messrs mex mfg mich min
    minn miss mlle mm mme mo mont mr mrs ms msgr mssrs mt mtn neb nebr nev no nos nov nr oct ok okla ont op ord ore p
    pa pd pde penn penna pfc ph ph.d pl plz pp prof pvt que rd rs ref rep reps res rev rt sask sec sen sens sep sept
    sfc sgt sr st supt surg tce tenn tex univ usafa u.s ut va v ver viz vs vt wash wis wisc wy wyo yuk fig
""".split())
# Titles before a name ("Gen. Smith", "Dr. Ahmed"): never the end of a sentence.
PREPOSITIVE = frozenset("""
    adm attys brig capt cmdr col cpl det dr gen gov ing lt maj mr mrs ms mt messrs mssrs prof ph rep reps rev sen
    sens sgt st supt v vs fig
""".split())
# Before a number only ("No. 5", "p. 12").
BEFORE_NUMBER = frozenset("art ext no nos p pp".split())

# After an abbreviation of the list, what makes its full stop not the end:
# punctuation, or a space and a small letter, "I", a digit or a bracket.
_AFTER_ABBREVIATION = re.compile(r"[.:\-?,]|\s(?:[a-z]|I\s|I'm|I'll|\d|\()")
_AFTER_PREPOSITIVE = re.compile(r"\s|:\d")
_AFTER_BEFORE_NUMBER = re.compile(r"\s\d|\s+\(")
# "U.S.", "a.m.", "e.g.": single letters each with its full stop.
_LETTERS_WITH_STOPS = re.compile(r"\b[a-z](?:\.[a-z])+\.", re.I)
# The words that start a sentence after "U.S." or "I." (pysbd's list).
_STARTER = re.compile(
    r"\s(?:A|Being|Did|For|He|How|However|I|In|It|Millions|More|She|That|The|There|They|We|What|When|Where|Who|Why)\s")
_COUNTRY = re.compile(r"(?:U\.S|U\.K|E\.U|U\.S\.A|I|i.v|I.V)$")
_CLOCK = re.compile(r"(?:[ap]\.m|(?:^|\s)[AP]\.M)$")
# After "a.m." pysbd ends the sentence before any capital; we do unless the
# capital names the day, the month or the zone of the time ("9 a.m. Tuesday").
_AFTER_CLOCK = re.compile(
    r"\s(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct"
    r"|Nov|Dec|January|February|March|April|June|July|August|September|October|November|December|[ECMP][SD]?T|GMT"
    r"|UTC|BST|CET|local|Eastern|Central|Mountain|Pacific|Greenwich)\b")
_WORD_CHAR = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")

# An ellipsis of spaced stops, " . . . ", ends nothing.
_SPACED_STOPS = re.compile(r"(?:\s\.){3}\s|(?<=[a-z])(?:\.\s){3}\.$")
# Quotes, brackets and dashes whose inner punctuation ends nothing (pysbd's
# BetweenPunctuation, whose patterns capture in a lookahead to emulate an
# atomic group: the text between the marks holds neither mark).
# (opening mark, closing mark, pattern): a pattern is run only up to the
# last closing mark, so that marks never closed do not each cost the rest
# of the line.
_BETWEEN = [
    ("‘", "’", re.compile(r"(?<=\s)‘(?:[^’]|’[a-zA-Z])*’")),
    ('"', '"', re.compile(r'"(?=(?P<tmp>[^"\\]+|\\{2}|\\.)*)(?P=tmp)"')),
    ("[", "]", re.compile(r"\[(?=(?P<tmp>[^\]\\]+|\\{2}|\\.)*)(?P=tmp)\]")),
    ("(", ")", re.compile(r"\((?=(?P<tmp>[^\(\)\\]+|\\{2}|\\.)*)(?P=tmp)\)")),
    ("«", "»", re.compile(r"«(?=(?P<tmp>[^»\\]+|\\{2}|\\.)*)(?P=tmp)»")),
    ("--", "--", re.compile(r"--(?=(?P<tmp>[^-]*))(?P=tmp)--")),
    ("“", "”", re.compile(r"“(?=(?P<tmp>[^”\\]+|\\{2}|\\.)*)(?P=tmp)”")),
]
_SINGLE_QUOTED = re.compile(r"(?<=\s)'(?:[^']|'[a-zA-Z])*'")
_LEADING_APOSTROPHE = re.compile(r"(?<=\s)'(?:[^']|'[a-zA-Z])*'\S")
_APOSTROPHE_SPACE = re.compile(r"'\s")
_EXCLAMATION_WORDS = re.compile(r"Yahoo!|Y!J|Yum!|!Kung|!Xuun|!Xun|!Xũ")
# A sentence that starts with a bracket or a quote ending before a capital is that bracket or quote.
_WHOLE_SPAN = re.compile(r"""\((?:[^)]){2,}\)(?=\s[A-Z])|'(?:[^'])*[^,]'(?=\s[A-Z])|"(?:[^"])*[^,]"(?=\s[A-Z])"""
                         r"|“(?:[^”])*[^,]”(?=\s[A-Z])")
_BRACKET_BETWEEN_QUOTES = re.compile(r'["”]\s\(.*\)\s["“]')
_SPACE_AROUND_BRACKET = re.compile(r"\s(?=\()|(?<=\))\s")
# A quote closed after its full stop, then a capital: the sentence ends after the quote.
_AFTER_QUOTE = re.compile(r"(?<=[!?.\-][\"'“”])\s(?=[A-Z])")
_SPACE = re.compile(r"\S")
_CLOSING = frozenset("\"'”’)]»")
_OPENING = {"(": ")", "'": "'", '"': '"', "“": "”"}
_SMALL_AFTER = re.compile(r",?\s[a-z]")
_CAPITAL_AFTER = re.compile(r"\s+[A-Z]")
_SPACE_AFTER = re.compile(r"\s")
_COMMA_SPACE_AFTER = re.compile(r",?\s")
_LIST_NUMBER = re.compile(r"\d\d?\.(?:\s\S|\))")


def cuts(line: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one line, stripped of spaces."""
    if "(" in line and (breaks := _breaks_around_brackets(line)):
        spans, at = [], 0
        for cut in breaks + [len(line)]:
            spans += [(at + a, at + b) for a, b in _cuts(line[at:cut])]
            at = cut + 1
        return spans
    return _cuts(line)


def _breaks_around_brackets(line: str) -> list[int]:
    """pysbd reads a bracket between two quotes ('..." (AP) "...') as a line of its own."""
    breaks = set()
    for m in _BRACKET_BETWEEN_QUOTES.finditer(line):
        breaks.update(m.start() + b.start() for b in _SPACE_AROUND_BRACKET.finditer(m.group()))
    return sorted(breaks)


def _cuts(line: str) -> list[tuple[int, int]]:
    # As pysbd: a line whose marks all belong to words or numbers is one
    # sentence; quotes and brackets are looked at only after that.
    quiet = [(a - 1, b) for a, b in (m.span() for m in _SPACED_STOPS.finditer(line))] if " . " in line else []
    marks = [m for m in _TERMINAL.finditer(line) if _ends_sentence(line, m.start(), m.end(), quiet=quiet, early=True)]
    if not marks:
        return [(start, _rstrip(line, start, len(line)))] if (start := _skip_spaces(line, 0)) < len(line) else []
    sheltered = _sheltered(marks, quiet + _shelters(line, ended=marks[-1].end() == len(line)))
    ends = [m.end() for k, m in enumerate(marks)
            if k not in sheltered and _ends_sentence(line, m.start(), m.end())] + [len(line)]
    spans, at, k = [], _skip_spaces(line, 0), 0
    last_closing = {opening: line.rfind(closing) for opening, closing in _OPENING.items()}
    while at < len(line):
        while ends[k] <= at:
            k += 1
        opening = line[at]
        # (the closing mark must be followed by a space and a capital: three characters)
        whole = _WHOLE_SPAN.match(line, at, last_closing[opening] + 3) if last_closing.get(opening, -1) > at else None
        stop = whole.end() if whole else ends[k]
        spans += _quote_ends(line, at, stop)
        at = _skip_spaces(line, stop)
    return [(start, _rstrip(line, start, end)) for start, end in spans if _rstrip(line, start, end) > start]


def _skip_spaces(line: str, at: int) -> int:
    m = _SPACE.search(line, at)
    return m.start() if m else len(line)


def _rstrip(line: str, start: int, end: int) -> int:
    while end > start and line[end - 1].isspace():
        end -= 1
    return end


def _quote_ends(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentence line[start:end] cut after each quote closed on its full stop
    (pysbd reads the sentence alone: the marks before it are not seen)."""
    spans, at = [], start
    for m in _AFTER_QUOTE.finditer(line[start:end]):
        spans.append((at, start + m.start()))
        at = start + m.end()
    spans.append((at, end))
    return spans


def _sheltered(marks, shelters) -> set[int]:
    """The indexes of the marks inside a shelter."""
    starts = [m.start() for m in marks]
    inside = set()
    for a, b in shelters:
        k = bisect_right(starts, a)
        while k < len(marks) and marks[k].end() <= b:
            inside.add(k)
            k += 1
    return inside


def _shelters(line: str, *, ended: bool) -> list[tuple[int, int]]:
    """The spans inside quotes, brackets and double dashes."""
    spans = []
    # pysbd leaves single quotes alone where a word starts with an apostrophe
    # and no apostrophe is followed by a space, the line's end counting as a
    # letter unless a mark ends it ("'90s ... Jones'").
    probe = line if ended else line + "x"
    if "'" in line and not (_LEADING_APOSTROPHE.search(probe) and not _APOSTROPHE_SPACE.search(line)):
        spans += [m.span() for m in _SINGLE_QUOTED.finditer(line, 0, line.rfind("'") + 1)]
    for opening, closing, pattern in _BETWEEN:
        if opening in line:
            spans += [m.span() for m in pattern.finditer(line, 0, line.rfind(closing) + len(closing))]
    if "!" in line:
        spans += [m.span() for m in _EXCLAMATION_WORDS.finditer(line)]
    return spans


def _ends_sentence(line: str, start: int, end: int, *, quiet=(), early: bool = False) -> bool:
    """Whether the run of marks line[start:end] ends a sentence (early: by
    the rules pysbd applies before it looks at quotes and brackets)."""
    run = line[start:end]
    if any(a < start and end <= b for a, b in quiet):
        return False
    after = line[end:end + 1]
    if run[0] in "!?":
        if len(run) >= 3 and start > 0 and not line[start - 1].isspace() and (not after or after.isspace()):
            return False  # "What???": pysbd keeps a run of three as a word
        if len(run) == 1 and not early:
            if after in ("'", '"'):
                return False
            if run == "!" and _SMALL_AFTER.match(line, end):
                return False
        return True
    if run == "...":
        return bool(_CAPITAL_AFTER.match(line, end))
    if len(run) > 1:
        return not after or after.isspace() or after in _CLOSING  # not "../shared"
    return not _stop_is_inside(line, start)


def _stop_is_inside(line: str, i: int) -> bool:
    """Whether the full stop at i is part of a word, a number or an abbreviation."""
    before, after = line[i - 1:i], line[i + 1:i + 2]
    if after.isdigit() or (before.isdigit() and after and not after.isspace()):
        return True  # "3.5", ".5", "1.x"
    if before in _WORD_CHAR and after in _WORD_CHAR and after:
        return True  # "example.com", the inner stops of "U.S."
    if i <= 2 and _LIST_NUMBER.match(line):
        return True  # "1. The first point" at the start of a line
    if line.startswith("'s", i + 1) and (i + 3 == len(line) or line[i + 3].isspace()):
        return True  # "the U.S.'s"
    word_start, floor = i, max(0, i - 20)  # no abbreviation is longer: a long run of letters is cut short
    while word_start > floor and not line[word_start - 1].isspace():
        word_start -= 1
    word = line[word_start:i]
    rest = i + 1
    if len(word) == 1 and "A" <= word <= "Z":
        # An initial: "George W. Bush"; but "World War I. The" ends.
        if (_SPACE_AFTER if word_start == 0 else _COMMA_SPACE_AFTER).match(line, rest):
            return not (word == "I" and _STARTER.match(line, rest))
    lowered = word.lower()
    if lowered in PREPOSITIVE:
        held = _AFTER_PREPOSITIVE.match(line, rest) is not None
    elif lowered in BEFORE_NUMBER:
        held = _AFTER_BEFORE_NUMBER.match(line, rest) is not None
    elif lowered in ABBREVIATIONS:
        held = _AFTER_ABBREVIATION.match(line, rest) is not None
    else:
        held = False
    if not held:
        held = any(m.end() == i + 1 for m in _LETTERS_WITH_STOPS.finditer(line, max(0, i - 40), i + 1))
    if not held:
        return False
    if _COUNTRY.search(word) and _STARTER.match(line, rest):
        return False  # "in the U.S. The ..."
    if _CLOCK.search(word) and _CAPITAL_AFTER.match(line, rest) and not _AFTER_CLOCK.match(line, rest):
        return False  # "at 9 a.m. The ..." ends, "9 a.m. Tuesday" does not
    return True
