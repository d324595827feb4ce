"""What every watch service shares: the clock check, lead times, the `by` actor."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings

from timeline.exceptions import InvalidInput

MIN_LEAD = timedelta(minutes=1)
MAX_LEAD = timedelta(days=90)

_LEAD_UNITS = {"m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_LEAD_PATTERN = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)


def require_aware(now: datetime) -> datetime:
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise InvalidInput("`now` must be a timezone-aware datetime.")
    return now


def parse_lead(value: str | int | timedelta) -> timedelta:
    """A reminder lead time from "7d", "36h", "90m", "2w", seconds or a
    timedelta; between 1 minute and 90 days, else InvalidInput saying so."""
    if isinstance(value, timedelta):
        lead = value
    elif isinstance(value, bool):  # bool is an int; True is not a lead time
        raise _bad_lead(value, "Write a lead time as a number and a unit: 30m, 12h, 7d or 2w.")
    elif isinstance(value, int):
        lead = timedelta(seconds=value)
    elif isinstance(value, str):
        match = _LEAD_PATTERN.match(value)
        if not match:
            raise _bad_lead(value, "Write a lead time as a number and a unit: 30m, 12h, 7d or 2w.")
        lead = timedelta(seconds=int(match.group(1)) * _LEAD_UNITS[match.group(2).lower()])
    else:
        raise _bad_lead(value, "Write a lead time as a number and a unit: 30m, 12h, 7d or 2w.")
    if lead % timedelta(minutes=1):
        raise _bad_lead(value, "Lead times are whole minutes.")
    if not MIN_LEAD <= lead <= MAX_LEAD:
        raise _bad_lead(value, "A lead time lies between 1 minute and 90 days.")
    return lead


def _bad_lead(value, why: str) -> InvalidInput:
    return InvalidInput(f"Bad lead time {value!r}: {why}", fields={"lead_times": [f"{value!r}: {why}"]})


def parse_leads(values: Iterable[str | int | timedelta] | None) -> list[int]:
    """Lead times as stored on a subscription: distinct seconds, longest first.
    None means the default (settings.WATCH_DEFAULT_LEAD_TIMES)."""
    if values is None:
        values = settings.WATCH_DEFAULT_LEAD_TIMES
    if isinstance(values, (str, bytes)):
        values = [values]
    seconds = {int(parse_lead(v).total_seconds()) for v in values}
    return sorted(seconds, reverse=True)


def format_lead(lead: timedelta) -> str:
    """7d, 36h, 90m: in days if whole, else hours, else minutes; as the commands and API accept it."""
    seconds = int(lead.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds // 60}m"


def describe_lead(lead: timedelta) -> str:
    """In words, for headlines: "7 days", "1 day", "2 hours", "1 minute"."""
    seconds = int(lead.total_seconds())
    for name, size in (("week", 7 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            n = seconds // size
            return f"{n} {name}{'s' if n != 1 else ''}"
    return f"{seconds} seconds"
