"""The temporal tagger: time expressions in running text, as TIMEX3.

    from reading.timex import tag, Timex
    tag(text, dct, zone="UTC") -> list[Timex]

find.py finds candidate spans with its own patterns; normalise.py asks the
When parser (timeline.whenparse) to read each one against the document's
creation time and the tense around it (tense.py), and values.py writes the
When as a TIMEX3 value; lengths.py counts durations and sets, holidays.py
dates the named days. timeml.py reads and writes TimeML files, score.py
scores a run against gold files (the commands tag_timex and score_timex).
docs/reading.md, "The temporal tagger", has how it decides and its figures.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

from timeline.when import zone as _zone
from timeline.whenparse.spans import MAX_YEAR, MIN_YEAR

from .find import candidates
from .model import DATE, DURATION, SET, TIME, Timex
from .normalise import Context, normalise

__all__ = ["DATE", "DURATION", "SET", "TIME", "Timex", "tag"]


def tag(text: str, dct: date | datetime, *, zone: str = "UTC") -> list[Timex]:
    """Every time expression of text, in order, resolved against dct (the
    document's creation time; an aware datetime is seen in zone)."""
    z = _zone(zone)
    if isinstance(dct, datetime):
        as_of = (dct.astimezone(z) if dct.tzinfo else dct).date()
    elif isinstance(dct, date):
        as_of = dct
    else:
        raise TypeError("dct must be a date or a datetime")
    if not MIN_YEAR < as_of.year < MAX_YEAR:
        # The When parser's calendar ends a year short of Python's, and a
        # document's neighbours (last year, next Friday) must fit in it.
        raise ValueError(f"the document date {as_of.isoformat()} is out of range ({MIN_YEAR + 1}-{MAX_YEAR - 1})")
    ctx = Context(text, as_of, zone)
    found = []
    for c in candidates(text):
        timex = normalise(c, ctx)
        if timex is not None:
            lead = _LEAD.search(text, max(0, timex.start - 40), timex.start)
            found.append(replace(timex, lead=lead.group(1)) if lead else timex)
    return found


_LEAD = re.compile(
    r"(?i)(?<![\w-])(as recently as|as early as|as soon as|as late as|no later than|not later than|by the end of"
    r"|before the end of|within|during|until|till|since|before|after|by|in|on|at|from|through|for|over|between"
    r"|around|about|of)\s+$"
)
