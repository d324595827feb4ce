"""Durations as people write them ("7d", "36h", "90m", "2w") and as we show them.

One parser, `parse_duration`, with the range the caller accepts; the ranges
in use are named here so that each has one documented value:

- LEAD_TIME, 1 minute to 90 days: how long before a milestone a reminder
  fires (the brief's bounds): a subscription's `lead_times`, `--lead` of
  `manage.py subscribe`, `--in` of `manage.py demo_reminder`.
- HORIZON, 1 minute to 366 days: how far ahead the due list looks (`within`
  of the API's due report and `--within` of `manage.py due`). A year and a
  day covers any planning desk; the cap also keeps `now + within` inside the
  calendar, which ends in the year 9999.

A duration is a whole number and a unit: m or min (minutes), h, d or w,
case and spaces ignored. Services also accept a timedelta or whole seconds
(lead times are stored as seconds). Whatever the form, it is whole minutes.

Three ways to show one:

- format_compact: "7d", "36h", "90m", the form the parser reads back.
- describe: "7 days", "36 hours", exact, in the largest whole unit.
- describe_about: "2 days", "5 hours", "30 minutes", rounded down, for
  "in 3 days" and "5 hours ago", where the exact figure is noise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from .errors import InvalidInput

MINUTE, HOUR, DAY, WEEK = 60, 3600, 86400, 7 * 86400

_UNIT_SECONDS = {"m": MINUTE, "min": MINUTE, "h": HOUR, "d": DAY, "w": WEEK}
_PATTERN = re.compile(r"\s*(\d+)\s*(m|min|h|d|w)\s*", re.IGNORECASE)
_FORMS = "a whole number and a unit: m (minutes), h (hours), d (days) or w (weeks), e.g. 7d"


@dataclass(frozen=True)
class DurationRange:
    """The durations one input accepts, both ends included."""

    minimum: timedelta
    maximum: timedelta

    def parse(self, value: str | int | timedelta, *, field: str) -> timedelta:
        return parse_duration(value, minimum=self.minimum, maximum=self.maximum, field=field)

    def __str__(self) -> str:
        return f"between {describe(self.minimum)} and {describe(self.maximum)}"


LEAD_TIME = DurationRange(timedelta(minutes=1), timedelta(days=90))
HORIZON = DurationRange(timedelta(minutes=1), timedelta(days=366))


def parse_duration(value: str | int | timedelta, *, minimum: timedelta, maximum: timedelta,
                   field: str) -> timedelta:
    """`value` as a timedelta within [minimum, maximum], else InvalidInput
    whose message starts with `field` (so "--within" on a command line, a
    field name in an API) and whose `fields` file it under `field`."""
    if isinstance(value, timedelta):
        seconds = value // timedelta(seconds=1)
        fraction = value % timedelta(seconds=1)
    elif isinstance(value, bool):  # a bool is an int; True is not a duration
        raise _refusal(field, value, f"takes {_FORMS}")
    elif isinstance(value, int):
        seconds, fraction = value, timedelta(0)
    elif isinstance(value, str) and (match := _PATTERN.fullmatch(value)):
        seconds, fraction = int(match[1]) * _UNIT_SECONDS[match[2].lower()], timedelta(0)
    else:
        raise _refusal(field, value, f"takes {_FORMS}")
    if fraction or seconds % MINUTE:
        raise _refusal(field, value, "is in whole minutes")
    # Compared as whole seconds first: "99999999999w" is past what a timedelta holds.
    if not minimum.total_seconds() <= seconds <= maximum.total_seconds():
        raise _refusal(field, value, f"lies between {describe(minimum)} and {describe(maximum)}")
    return timedelta(seconds=seconds)


def _refusal(field: str, value, why: str) -> InvalidInput:
    message = f"{field} {why}; got {value!r}."
    return InvalidInput(message, fields={field: [message]})


def format_compact(delta: timedelta) -> str:
    """"7d", "36h", "90m": in days if whole, else hours, else (rounded down) minutes."""
    seconds = int(delta.total_seconds())
    for unit, size in (("d", DAY), ("h", HOUR)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds // MINUTE}m"


def describe(delta: timedelta, *, weeks: bool = False) -> str:
    """"90 days", "36 hours", "1 minute": exact, in the largest unit that
    divides it, so that 12 hours never reads as "0 days". Weeks only when
    asked for: "2 weeks" suits a reminder, a grace period reads in days."""
    seconds = int(delta.total_seconds())
    units = (("week", WEEK),) if weeks else ()
    for name, size in (*units, ("day", DAY), ("hour", HOUR), ("minute", MINUTE)):
        if seconds >= size and seconds % size == 0:
            return _count(seconds // size, name)
    return _count(seconds, "second")


def describe_about(delta: timedelta) -> str:
    """"3 days", "5 hours", "30 minutes": rounded down, in days from two days
    on and in hours from two hours on (36 hours is "36 hours", not "1 days");
    a span already past reads as "0 minutes"."""
    seconds = int(delta.total_seconds())
    if seconds >= 2 * DAY:
        return f"{seconds // DAY} days"
    if seconds >= 2 * HOUR:
        return f"{seconds // HOUR} hours"
    return f"{max(seconds // MINUTE, 0)} minutes"


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"
