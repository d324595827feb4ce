"""Exact times beside a day: "Jan. 23 at 3 p.m.", "3pm on Jan. 23", "Monday
at noon", "Jan. 23 at 3 p.m. ET" (conventions: the package docstring)."""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from ..when import DAY, localize
from .errors import Unreadable
from .grammar import period
from .instants import TIME_WINDOW, after
from .names import Ctx, resolve
from .vocabulary import alternation, strip_lead

_TIME = (
    r"(?P<h12>\d{1,2})(?:[:.](?P<m12>\d{2}))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)"
    r"|(?P<h24>\d{1,2}):(?P<m24>\d{2})(?:\s*h(?:rs)?)?"
    r"|(?P<noon>noon|midday)"
)
_TIME_ZONES = {
    "utc": "UTC", "gmt": "UTC", "z": "UTC",
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago",
    "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "cet": "Europe/Paris", "cest": "Europe/Paris", "bst": "Europe/London",
    "local time": None, "local": None,
}
_ZONE = rf"(?:\s+\(?(?P<zone>{alternation(_TIME_ZONES)})\)?)?"
_TIME_AFTER = re.compile(rf"(?P<rest>.+?),?\s+(?:at\s+|@\s*)?(?P<time>{_TIME}){_ZONE}")
_TIME_BEFORE = re.compile(rf"(?:at\s+)?(?P<time>{_TIME}){_ZONE},?\s+(?:on\s+)?(?P<rest>.+)")
_TIME_ALONE = re.compile(rf"(?:at\s+)?(?P<time>{_TIME}){_ZONE}")


def _clock(m) -> time:
    if m.group("noon"):
        return time(12, 0)
    if m.group("ampm"):
        hour, minute = int(m.group("h12")), int(m.group("m12") or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise Unreadable(f"no such time {m.group('time')!r}")
        hour = hour % 12 + (12 if m.group("ampm").startswith("p") else 0)
        return time(hour, minute)
    hour, minute = int(m.group("h24")), int(m.group("m24"))
    if hour > 23 or minute > 59:
        raise Unreadable(f"no such time {m.group('time')!r}")
    return time(hour, minute)


def timed(s: str, ctx: Ctx) -> tuple[datetime, datetime] | None:
    """A phrase with a clock time: the minute it names, or None if no time."""
    m = _TIME_AFTER.fullmatch(s) or _TIME_BEFORE.fullmatch(s)
    if not m:
        if _TIME_ALONE.fullmatch(s):
            raise Unreadable("a time needs a day ('Jan. 23 at 3 p.m.')")
        return None
    day = resolve(period(strip_lead(m.group("rest")), ctx), ctx)
    if day.precision != DAY:
        raise Unreadable("a time needs a single day")
    zone_name = _TIME_ZONES.get(m.group("zone") or "local")
    clock_zone = ZoneInfo(zone_name) if zone_name else ctx.zone
    start = localize(datetime.combine(day.start, _clock(m)), clock_zone).astimezone(ctx.zone)
    return start, after(start, TIME_WINDOW)
