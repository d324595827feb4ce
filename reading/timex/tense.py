"""Past or future: the tense around an expression, which decides how a bare
name ("Friday", "in January", "the third quarter") is read. A news report
mostly tells what happened, so the default is the past; words of the future
("will", "is expected to", "plans to", "next") near the expression, in its
sentence, make it the future. The nearest marker wins, so "said it will meet
Friday" is the coming Friday and "will say what happened Friday" the past
one only when a past marker sits closer.
"""

from __future__ import annotations

import re

PAST, FUTURE = "past", "future"

_FUTURE = (
    r"will|won't|'ll|shall|going to|gonna|is to|are to|be to|plans? to|planned|planning|scheduled|slated"
    r"|expected to|expects? to|is expected|are expected|due to|set to|intends? to|hopes? to|aims? to"
    r"|upcoming|tomorrow|as soon as|as early as|next(?= (?:week|month|year|time))"
)
_PAST = (
    r"was|were|had|did|said|says|told|ago|last|yesterday|earlier|since|met|came|went|began|took|made|gave"
    r"|held|left|saw|won|lost|fell|rose|sold|bought|paid|got|found|spent|became|ran|knew|thought|brought"
    r"|wrote|spoke|broke|struck|fought|led|sent|built|meant|kept|\w+ed"
)
_MARKER = re.compile(rf"(?i)(?<![\w'])(?:(?P<future>{_FUTURE})|(?P<past>{_PAST}))(?![\w'])")
_WAS = re.compile(r"(?i)\b(?:was|were|had|had been|'d)\s+(?:\w+\s+)?$")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z\"'])|\n\s*\n")
BEFORE, AFTER = 80, 50  # characters of context read on each side


_DEADLINE = re.compile(r"(?i)\b(?:until|till|by|no later than)\s+$")
_PERFECT = re.compile(r"(?i)\b(?:had|was|were)\b")


def tense_at(text: str, start: int, end: int) -> str:
    """'past' or 'future' for the expression text[start:end]."""
    left = text[max(0, start - BEFORE):start]
    if _DEADLINE.search(left) and not _PERFECT.search(left[-50:]):
        return FUTURE  # "until 9 a.m. Tuesday", "by Friday": a deadline ahead
    cut = list(_SENTENCE_END.finditer(left))
    if cut:
        left = left[cut[-1].end():]
    right = text[end:end + AFTER]
    stop = _SENTENCE_END.search(right)
    if stop:
        right = right[: stop.start()]
    best: tuple[int, str] | None = None
    for m in _MARKER.finditer(left):
        distance = len(left) - m.end()
        kind = FUTURE if m.group("future") else PAST
        if kind == FUTURE and _WAS.search(left[max(0, m.start() - 16):m.start()]):
            kind = PAST  # "had been due to expire Friday", "was expected Tuesday": a future now past
        if best is None or distance <= best[0]:
            best = (distance, kind)
    for m in _MARKER.finditer(right):
        distance = m.start() + 3  # words after count a little less than words before
        kind = FUTURE if m.group("future") else PAST
        if best is None or distance < best[0]:
            best = (distance, kind)
        break
    return best[1] if best else PAST
