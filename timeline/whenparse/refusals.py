"""Why a phrase is refused: the detail a WhenParseError gives for words no
rule of the grammar reads, so that the desk learns what to write instead
(a day/month order to spell out, "within" for a window, a vaguer word than
any window can hold)."""

from __future__ import annotations

import re

from .vocabulary import NUMBER_RE, named_group

_UNITS = r"(?:days?|weeks?|fortnights?|months?|years?)"

_VAGUE = {
    "soon", "shortly", "recently", "lately", "eventually", "imminently", "the future", "the near future",
    "the coming months", "the coming years", "recent days",
    "recent weeks", "recent months", "recent years", "the past", "a few days", "a few weeks", "a few months",
    "days", "weeks", "months", "years",
}


def why_not(s: str) -> str:
    """A helpful detail for a phrase no rule reads."""
    if re.fullmatch(r"\d{1,4}\s*[/.]\s*\d{1,2}(\s*[/.]\s*\d{2,4})?|\d{1,2}-\d{1,2}-\d{2,4}", s):
        return "all-numeric dates like 23/01/2026 are ambiguous (day/month order); write 2026-01-23 or 23 January 2026"
    if re.fullmatch(rf"after {NUMBER_RE} {_UNITS}|{named_group(NUMBER_RE, 'n', 'n2')} {_UNITS} (?:later|after)", s):
        return "counts from a moment the phrase does not name; give the date"
    if re.fullmatch(rf"(?:in )?{NUMBER_RE} (?:months?|years?)(?: from now|'?s?'? time)?", s):
        return "a vague point months or years away; write 'within N months' for the window up to it, or name the month"
    if re.fullmatch(r"(?:in )?(?:a few|several) (?:days|weeks)", s):
        return "a vague point; write 'within days' or 'in the coming weeks' for the window from the source's date"
    if s in ("the weekend", "weekend"):
        return (
            "'the weekend' alone is not read; write 'over the weekend' (the nearest one), 'this weekend'"
            " or 'last weekend'"
        )
    if "midnight" in s:
        return "'midnight' is ambiguous (the start or the end of the day?); write 00:00 or 23:59"
    vague = re.sub(r"^(?:in|over|during|within) ", "", s)
    if vague in _VAGUE or re.fullmatch(r"(?:the )?(?:next|coming|past|last) (?:few|several) \w+", vague):
        return "too vague to place in a window"
    return "not a date phrase this parser knows"
