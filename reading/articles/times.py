"""The time expressions of an article, as the temporal tagger finds them.

reading.timex (the tagger) finds each expression with its offsets in the
text, its TIMEX3 type and value and, where it can, the timeline When it
means. The reader takes anything of that shape (TimeMention), so its rules
can be tested on sentences whose times are given by hand.

Only dates and times place something on the timeline: a DURATION ("12-day",
"six months on") or a SET ("every week") is no When of an item.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from timeline.when import When

DATABLE_TYPES = ("DATE", "TIME")


class TimeMention(Protocol):
    start: int
    end: int
    text: str
    type: str
    value: str
    when: When | None


def is_datable(mention: TimeMention) -> bool:
    return mention.type in DATABLE_TYPES


def find_times(text: str, *, published: date, tz: str = "UTC") -> list[TimeMention]:
    """The tagger's time expressions of `text`, read as of `published`."""
    from reading.timex import tag

    return list(tag(text, published, zone=tz))
