"""The temporal tagger: time expressions in running text, as TIMEX3.

    from reading.timex import tag, Timex
    tag(text, dct, zone="UTC") -> list[Timex]

find.py finds candidate spans with its own patterns; normalise.py asks the
When parser (timeline.whenparse) to read each one against the document's
creation time and the tense around it (tense.py), and values.py writes the
When as a TIMEX3 value. timeml.py reads and writes TimeML files, score.py
scores a run against gold files. docs/reading.md has the figures.
"""

from __future__ import annotations

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
            found.append(timex)
    return found
