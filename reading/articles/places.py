"""Where a sentence places what it reports, and that place's time zone.

The brief reads a date in the zone of the place: the Board of Peace meeting
"on Jan. 23" at Davos is 23 January in Europe/Zurich. A small gazetteer of
the places news about our storylines names (cities where meetings, summits
and forums are held, and capitals) is enough for a first pass the editor
checks; a sentence naming none is read in the zone the caller gives. The
place counts only after a preposition of place ("in Davos", "at the White
House", "to Beijing"): the "Gaza" of "the Gaza Board of Peace" names a body,
not where it meets. The first such place wins.
"""

from __future__ import annotations

import re

# Name as written -> IANA zone.
PLACES = {
    "Davos": "Europe/Zurich", "Geneva": "Europe/Zurich", "Zurich": "Europe/Zurich", "Bern": "Europe/Zurich",
    "Vienna": "Europe/Vienna", "Brussels": "Europe/Brussels", "Paris": "Europe/Paris", "London": "Europe/London",
    "Berlin": "Europe/Berlin", "Rome": "Europe/Rome", "Madrid": "Europe/Madrid", "The Hague": "Europe/Amsterdam",
    "Oslo": "Europe/Oslo", "Stockholm": "Europe/Stockholm", "Warsaw": "Europe/Warsaw", "Kyiv": "Europe/Kyiv",
    "Moscow": "Europe/Moscow", "Istanbul": "Europe/Istanbul", "Ankara": "Europe/Istanbul",
    "Munich": "Europe/Berlin", "Jerusalem": "Asia/Jerusalem", "Tel Aviv": "Asia/Jerusalem",
    "Gaza": "Asia/Gaza", "Ramallah": "Asia/Hebron", "Beirut": "Asia/Beirut", "Damascus": "Asia/Damascus",
    "Amman": "Asia/Amman", "Cairo": "Africa/Cairo", "Sharm el-Sheikh": "Africa/Cairo", "Doha": "Asia/Qatar",
    "Riyadh": "Asia/Riyadh", "Abu Dhabi": "Asia/Dubai", "Dubai": "Asia/Dubai", "Muscat": "Asia/Muscat",
    "Baghdad": "Asia/Baghdad", "Tehran": "Asia/Tehran", "Beijing": "Asia/Shanghai", "Tokyo": "Asia/Tokyo",
    "New Delhi": "Asia/Kolkata", "Washington": "America/New_York", "New York": "America/New_York",
    "White House": "America/New_York", "Mar-a-Lago": "America/New_York", "Camp David": "America/New_York",
    "Ottawa": "America/Toronto",
}
_PATTERN = re.compile(
    r"\b(?:in|at|to|near|from|outside)\s+(?:the\s+)?("
    + "|".join(sorted(map(re.escape, PLACES), key=len, reverse=True)) + r")(?!\w)"
)


def place_in(text: str) -> tuple[str, str] | None:
    """(place, zone) of the first known place `text` names, or None."""
    match = _PATTERN.search(text)
    return (match.group(1), PLACES[match.group(1)]) if match else None
