"""Who the article says a claim comes from, in its own words.

The brief's attribution is "as reported": "a U.S. official", "two senior
U.S. officials", or nothing when the claim is the outlet's own reporting.
Three shapes are read, in this order:

- "..., according to X" (X up to "familiar with", "who", "with knowledge" or
  the end of the clause): "according to a U.S. official and two additional
  U.S. sources familiar with the details" gives "a U.S. official and two
  additional U.S. sources";
- a closing "..., X said." (also "X told Axios", "X added");
- an opening "X said (that) ...".

Only anonymous sources are attributions (their head noun is one of
SOURCE_NOUNS: official, source, diplomat, aide, ...). A named speaker
("Trump said") is not an attribution but the claim's holder, which
`speaker()` finds among the known actors.

A later definite mention ("the U.S. official", "the officials", "the
sources") stands for the source first introduced with an article or a number
("a U.S. official", "two senior U.S. officials"), and is reported as that
first mention, the nearest before it whose words end the same way.
"""

from __future__ import annotations

import re

SOURCE_NOUNS = (
    "official", "officials", "source", "sources", "diplomat", "diplomats", "aide", "aides", "person", "people",
    "spokesperson", "spokesman", "spokeswoman", "adviser", "advisers", "advisor", "advisors", "analyst",
    "analysts", "insider", "insiders", "minister", "ministers", "officer", "officers", "negotiator",
    "negotiators", "representative", "representatives",
)
_NOUN = "|".join(SOURCE_NOUNS)
_SPEECH = r"(?:said|says|told\s+\w+|added|noted|confirmed|explained|warned|stressed)"
# A word of a noun phrase: an abbreviation ("U.S.") or a plain word; a word
# followed by a full stop ends a sentence, so no phrase runs across one.
_WORD = r"(?:(?:[A-Za-z]\.){2,}|[\w'’-]+)"
# A noun phrase ending in a source noun, of at most ten words, no clause break inside.
_PHRASE = rf"(?:{_WORD}\s+){{0,9}}?(?:{_NOUN})"

ACCORDING_TO = re.compile(
    rf"according to\s+(?P<who>.+?)(?=\s+(?:familiar|who|with knowledge|briefed|close to)\b|[,;]|\.?[\"”]?\s*$)",
    re.I,
)
# "two people familiar with the plans said": the modifier is not part of who.
_MODIFIER = r"(?:\s+(?:familiar with|close to|briefed on|with knowledge of|who)\b[^,]*?)?"
CLOSING = re.compile(rf",\s*(?P<who>{_PHRASE}){_MODIFIER}\s+{_SPEECH}\s*[.!?]?[\"”]?\s*$", re.I)
CLOSING_QUOTE = re.compile(rf"[,!?][\"”]\s*(?P<who>{_PHRASE}){_MODIFIER}\s+{_SPEECH}\s*[.!?]?\s*$", re.I)
OPENING = re.compile(rf"^(?P<who>{_PHRASE}){_MODIFIER}\s+{_SPEECH}\b", re.I)

_INTRODUCERS = r"(?:a|an|one|two|three|four|five|six|several|some|many|multiple|\d+)"
_DEFINITE = re.compile(r"^(?:the|those|these)\s+(?P<head>.+)$", re.I)

# Compiled once (re's cache does not keep them: see reading/articles/__init__.py).
_WORDS = re.compile(r"[\w.'’-]+")
_SPACES = re.compile(r"\s+")


def _is_source(phrase: str) -> bool:
    words = _WORDS.findall(phrase.lower())
    return any(word in SOURCE_NOUNS for word in words)


def attribution(text: str, *, before: str = "") -> str:
    """The attribution of the sentence `text`, or "" for the outlet's own
    reporting. `before` is the article up to the sentence, where a
    definite mention finds the source it stands for."""
    for pattern in (ACCORDING_TO, CLOSING_QUOTE, CLOSING, OPENING):
        match = pattern.search(text.strip())
        if match and _is_source(match.group("who")):
            return resolve(_tidy(match.group("who")), before=before)
    return ""


def _tidy(who: str) -> str:
    who = _SPACES.sub(" ", who).strip(" ,;")
    # A sentence-initial capital is not part of the attribution ("Two senior U.S. officials").
    first, _, rest = who.partition(" ")
    if first and first[0].isupper() and first.lower() in _INTRODUCERS.replace("(?:", "").replace(")", "").split("|"):
        who = f"{first.lower()} {rest}".strip()
    elif first in ("The", "Those", "These"):
        who = f"{first.lower()} {rest}".strip()
    return who


def resolve(who: str, *, before: str) -> str:
    """A definite mention as the first mention it stands for, else as it is."""
    definite = _DEFINITE.match(who)
    if not definite or not before:
        return who
    head = definite.group("head")
    pattern = re.compile(rf"\b(?P<first>{_INTRODUCERS}\s+(?:{_WORD}\s+){{0,5}}?{re.escape(head)})(?!\w)", re.I)
    found = [m for m in pattern.finditer(before)]
    if not found:
        return who
    return _tidy(found[-1].group("first"))


def speaker_span(text: str) -> str:
    """The words before the first verb of speech or commitment ("Iranian
    President Masoud Pezeshkian" in "Iranian President Masoud Pezeshkian said
    ..."), where the holder of a reported claim is named; "" if none."""
    match = re.search(
        r"^(?:[^,;]*?,\s*)?(?P<who>[^,;]+?)\s*(?:,\s*\w+,\s*)?\b(?:said|says|told|promised|promises|pledged|"
        r"pledges|vowed|vows|committed|commits|threatened|threatens|warned|warns|announced|insisted|declared|"
        r"stated|urged)\b",
        text,
    )
    return match.group("who") if match else ""
