"""The Timex: one time expression found in a text, with its TIMEX3 type and
value and, when it names a window, the When it resolves to."""

from __future__ import annotations

from dataclasses import dataclass

from timeline.when import When

DATE, TIME, DURATION, SET = "DATE", "TIME", "DURATION", "SET"
TYPES = (DATE, TIME, DURATION, SET)


@dataclass(frozen=True)
class Timex:
    start: int  # character offsets into the text, end exclusive
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str  # TIMEX3 value: 2026-01, 2026-01-23, 2025-W52, PRESENT_REF, P6M, XXXX-XX-XX
    when: When | None = None  # the window; None for durations, sets and undated values
    mod: str = ""  # TIMEX3 mod: START, MID, END, APPROX, BEFORE, AFTER, LESS_THAN, MORE_THAN
    tense: str = ""  # "past" or "future" where the tense decided a bare name ("Friday"), else ""
    rule: str = ""  # which finding pattern matched (for error analysis)
    # The preposition just before the words, outside the TimeML extent ("in"
    # of "in January", "by" of "by Jan. 23", "as recently as"): it tells a
    # deadline from a date, and with the words it is the When as reported.
    lead: str = ""

    @property
    def phrase(self) -> str:
        """The words as reported, with their preposition: "in January"."""
        return f"{self.lead} {self.text}" if self.lead else self.text

    def as_dict(self) -> dict:
        """For JSON output (read_article --json, the admin): the When as its own dict."""
        return {
            "start": self.start, "end": self.end, "text": self.text, "type": self.type, "value": self.value,
            "mod": self.mod, "tense": self.tense, "lead": self.lead,
            "when": self.when.as_dict() if self.when else None,
        }

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"unknown TIMEX3 type {self.type!r}")
        if not 0 <= self.start < self.end:
            raise ValueError("a timex needs start < end")
