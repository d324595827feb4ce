"""The words that say what kind of thing a sentence reports.

- An event is what happened: a verb in the past ("discussed", "met",
  "warned", "have been sounding") with a time that lies before the article's
  date, or a reply ("in response to ...", see REACTION).
- A milestone is a happening (an announcement, a meeting, a vote...) set for
  a time after the article's date: HAPPENING words with a future time and a
  cue that it is planned, scheduled or expected.
- An expectation is a claim about the future: a forecast ("is expected to",
  "is likely to", "would likely"), a promise ("promised", "pledged",
  "committed"), a plan ("plans to", "intends to"), a threat, or a
  conditional ("if ... will", "will ... if", "if ... does not ..."). A plain
  "will" (or a reported "would": "said Iran would ...") is an expectation
  too, unless it only schedules a dated happening ("the summit will take
  place on March 3" is a milestone, not a forecast about it).

Everything here is a regular expression over one sentence's words: no
parser, so each rule can be read, tested and explained to an editor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# -- events ----------------------------------------------------------------

IRREGULAR_PAST = {
    "said", "saw", "met", "took", "gave", "made", "held", "began", "won", "lost", "struck", "fought", "went",
    "came", "told", "sent", "spoke", "wrote", "left", "led", "fell", "rose", "sought", "brought", "built",
    "bought", "caught", "chose", "drove", "ate", "felt", "found", "flew", "forgot", "got", "grew", "heard",
    "hit", "hid", "kept", "knew", "laid", "lent", "let", "lit", "meant", "paid", "put", "quit", "ran", "read",
    "rode", "rang", "sold", "set", "shot", "shut", "sang", "sank", "sat", "slept", "slid", "spent", "split",
    "spread", "stood", "stole", "stuck", "swore", "swept", "taught", "thought", "threw", "understood", "woke",
    "wore", "withdrew", "overtook", "undertook", "broke", "froze", "bore", "beat", "bit", "blew", "drew",
    "dealt", "did", "had", "was", "were",
}
# Words in -ed that are not verbs in the past, or rarely are in news prose.
NOT_PAST = {
    "need", "indeed", "red", "bed", "seed", "speed", "feed", "bleed", "breed", "creed", "deed", "weed", "shed",
    "united", "based", "detailed", "limited", "related", "supposed", "concerned", "interested", "advanced",
    "skilled", "armed", "red", "hundred", "sacred", "naked", "wicked", "rugged", "beloved", "alleged",
    "so-called", "expected", "scheduled", "planned", "proposed", "embattled", "renewed", "repeated",
}
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# "is expected", "to be held", "will be announced": a participle, not a past.
_PASSIVE_OR_ADJ = re.compile(r"\b(?:is|are|am|be|been|being|get|gets|to)\s+(?:\w+ly\s+)?$", re.I)
PERFECT = re.compile(r"\b(?:has|have)\s+(?:not\s+|already\s+|also\s+|just\s+)?(?:been\s+\w+ing|\w+ed|been|" +
                     "|".join(sorted(IRREGULAR_PAST)) + r")\b", re.I)

# A reply is dated by the article: what it answers is news of the day.
REACTION = re.compile(r"\b(?:in response to|responding to|in reply to|in a response to|reacting to)\b", re.I)


def has_past_verb(text: str) -> bool:
    """Whether the sentence reports something done: a verb in the simple
    past or the present perfect, outside a passive or an adjective."""
    if PERFECT.search(text):
        return True
    for match in _WORDS.finditer(text):
        word = match.group().lower()
        if word in NOT_PAST:
            continue
        if word in IRREGULAR_PAST - {"was", "were", "had", "did", "read", "set", "put", "let", "hit", "cut"}:
            return True
        if word.endswith("ed") and len(word) > 4:
            if _PASSIVE_OR_ADJ.search(text[: match.start()]):
                continue
            if match.start() > 0 and text[match.start() - 1] in "-":
                continue  # "Iran-backed"
            return True
    return False


# -- milestones ------------------------------------------------------------

HAPPENING = re.compile(
    r"\b(?:announce[sd]?|announcement|meet|meets|meeting|summit|vote|votes|voting|election|elections|talks|"
    r"visit|visits|take place|takes place|hold|holds|held|sign|signs|signing|launch|launches|ceremony|"
    r"conference|forum|session|hearing|trial|release|releases|begin|begins|start|starts|open|opens|convene|"
    r"convenes|deadline|inauguration|referendum|ruling|decision|decide|decides|unveil|unveils|present|"
    r"presents|publish|publishes|report|travel|travels|arrive|arrives|host|hosts)\b",
    re.I,
)
SCHEDULE = re.compile(
    r"\b(?:scheduled|slated|set to|due to|is to|are to|planned for|will take place|will be held|will hold|"
    r"will meet|will convene|will begin|will start|will open|expected to|plans? to|is planning|are planning)\b",
    re.I,
)
# A new date for a happening: what follows is its future, whatever the tense
# of the verb that moved it ("has been moved to Feb. 5", "was pushed back to March").
RESCHEDULE = re.compile(
    r"\b(?:moved|postponed|pushed back|pushed|put off|rescheduled|delayed|brought forward|deferred)\s+"
    r"(?:to|until|till|for)\b",
    re.I,
)

# -- expectations ----------------------------------------------------------

FORECAST = re.compile(
    r"\b(?:(?:is|are|was|were)\s+(?:widely\s+)?(?:expected|likely|poised|projected|forecast|predicted|set)\s+to|"
    r"expected to|would likely|will likely|likely to|predicts?|predicted that|forecasts?)\b",
    re.I,
)
HEDGED = re.compile(r"\b(?:likely|expected|poised|projected|forecast|predict\w*)\b", re.I)
PROMISE = re.compile(r"\b(?:promised|promises|pledged|pledges|vowed|vows|committed to|commits to|guaranteed)\b",
                     re.I)
PLAN = re.compile(r"\b(?:plans? to|planning to|intends? to|intending to|aims? to|is preparing to|are preparing to)\b",
                  re.I)
THREAT_VERB = re.compile(r"\b(?:threatened|threatens|threatening)\b", re.I)
HOSTILE = re.compile(
    r"\b(?:destroy\w*|strike|strikes|attack\w*|bomb\w*|retaliat\w*|harsh\w*|punish\w*|obliterat\w*|"
    r"crush\w*|wipe\w* out|military action|respond\w* (?:forcefully|harshly|decisively))\b",
    re.I,
)
WILL = re.compile(r"\b(?:will|won['’]t|shall)\b|['’]ll\b", re.I)
_SPEECH_THAT = (r"\b(?:said|says|told|warned|committed|promised|pledged|vowed|insisted|insists|stated|declared|"
                r"added|believes|believed|thinks|think)\b")
REPORTED_WOULD = re.compile(_SPEECH_THAT + r".*?\bwould\b", re.I)
WOULD = re.compile(r"\bwould\b", re.I)
# Compiled once: re's own cache (512 patterns in Python 3.11) is shared with
# every library in the process, and a lookup costs a call too.
_SPEECH_THAT_CLAUSE = re.compile(
    _SPEECH_THAT + r"(?:\s+(?:in response to|after|before|during)\b[^,]*?)?\s+(?:that\s+)?", re.I)
_THAT = re.compile(r"\bthat\s+")
_TO_VERB = re.compile(r"to\s+\w")
_LAST_CLAUSE = re.compile(r"[,!?][\"”'`]*\s*[^,]*$")

CONDITION_IF = re.compile(r"\b(?:if|unless)\s+", re.I)
# "a harsh response to any acts of aggression": the condition is implied.
CONDITION_ANY = re.compile(r"\b(?:to|against)\s+(?P<cond>any\s+[\w\s'’-]+?)\s*(?=[,.;\"”]|$)", re.I)


@dataclass(frozen=True)
class Claim:
    """What the cues make of a sentence that says something about the future."""

    cue: str  # forecast, promise, plan, threat, will
    condition: str  # "" when none
    consequence: str  # the clause that says what will happen
    hedged: bool  # a forecast with a likelihood ("would likely"), which needs a horizon to be judged


def strong_cue(text: str) -> str:
    """The kind of explicit expectation cue, or ""."""
    if CONDITION_IF.search(text) and (WILL.search(text) or WOULD.search(text)):
        return "conditional"
    for name, pattern in (("forecast", FORECAST), ("promise", PROMISE), ("plan", PLAN), ("threat", THREAT_VERB)):
        if pattern.search(text):
            return name
    return ""


def will_cue(text: str) -> bool:
    return bool(WILL.search(text) or REPORTED_WOULD.search(text))


def claim(text: str) -> Claim | None:
    """The claim about the future the sentence makes, or None."""
    cue = strong_cue(text)
    if not cue and not will_cue(text):
        return None
    condition, consequence = split_condition(text)
    return Claim(cue=cue or "will", condition=condition, consequence=consequence,
                 hedged=bool(HEDGED.search(consequence or text)))


_CLOSING_ATTRIBUTION = re.compile(
    r"(?:,?\s*according to [^,]*|(?:,\s*|(?<=[,!?][\"”])\s*)(?:(?:the|a|an|one|two|three|four|several|some|"
    r"many)\b[^,]{0,80}?|(?:[\w.'’-]+\s+){0,3}(?:officials|sources|diplomats|aides|people|media))\s+"
    r"(?:said|says|told \w+|added|reported))\s*\.?$",
    re.I,
)


def without_closing_attribution(text: str) -> str:
    """"X will happen, two officials said." -> "X will happen"."""
    return _CLOSING_ATTRIBUTION.sub("", text.strip().rstrip(".")).strip(" ,")


def has_cue(text: str) -> bool:
    """Whether a clause says something about the future."""
    return bool(strong_cue(text) or WILL.search(text) or WOULD.search(text))


def _reported_part(text: str) -> str:
    """The clause that holds the claim: what a verb of speech introduces
    ("... said [that] X"), or, when the speech closes the sentence ("X will
    ..., the company said Friday", "...," Mr. Gerstner said), what comes
    before it; an infinitive keeps its subject ("the uncle vowed to ...")."""
    text = without_closing_attribution(text)
    match = _SPEECH_THAT_CLAUSE.search(text)
    if not match:
        return text
    rest = text[match.end():]
    that = _THAT.search(rest)
    # "said in response to the threats ... that Iran would": the clause starts after "that".
    if that and not WILL.search(rest[: that.start()]) and "would" not in rest[: that.start()]:
        rest = rest[that.end():]
    if _TO_VERB.match(rest):
        return text  # "vowed to continue the battle": the promise with its subject
    before = text[: match.start()]
    if not has_cue(rest) and has_cue(before):
        # The speech closes the sentence: the claim is before it, less the speaker after its comma.
        return _LAST_CLAUSE.sub("", before).strip(" \"“”'`") or before
    return rest


_CLAUSE_BREAK = re.compile(r",\s*(?:but|and|while|though|although)\b|[;—]|,\s+(?:the|a|two|three|one|some)\s+[^,]*?"
                           r"\b(?:said|says|told)\b")


def _clause_end(text: str, *, with_cue: bool = True) -> str:
    """The clause that holds the cue: pieces are cut at ", but", ", and", a
    semicolon or a dash, and the first with a cue about the future is kept
    (else the first; a condition is always the first)."""
    pieces = [p for p in _CLAUSE_BREAK.split(text) if p and p.strip(" ,.")]
    first = pieces[0] if pieces else ""
    text = next((p for p in pieces if has_cue(p)), first) if with_cue else first
    text = text.strip(" ,.")
    if text.count('"') % 2 and text.endswith('"'):
        text = text[:-1]  # the closing quote of a quoted sentence, not of a quote inside it
    return text.strip(" ,.`'").strip()


def split_condition(text: str) -> tuple[str, str]:
    """(condition, consequence) of a sentence: "if C, Q", "Q if C", "Q ...
    to any C"; ("", Q) when there is no condition."""
    body = _reported_part(text.strip())
    match = CONDITION_IF.search(body)
    if match:
        before, after = body[: match.start()].strip(" ,"), body[match.end():]
        if not before or not (WILL.search(before) or WOULD.search(before)):
            # "if C, Q": the condition runs to the comma that opens the main clause.
            condition, _, consequence = after.partition(",")
            return _clause_end(condition, with_cue=False), _clause_end(consequence)
        return _clause_end(after, with_cue=False), _clause_end(before)
    implied = CONDITION_ANY.search(body)
    consequence = _clause_end(body)
    if implied and HOSTILE.search(body):
        return implied.group("cond").strip(), consequence
    return "", consequence
