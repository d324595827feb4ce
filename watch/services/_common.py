"""Lead times as watch speaks of them, in the words of core.durations.

The services, commands and API of watch import these names; the rules
(units, the 1 minute..90 day range, the formats) are core's LEAD_TIME and
formatters, shared with the record's due list and verdicts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings

from core.durations import LEAD_TIME, describe, format_compact


def parse_lead(value: str | int | timedelta) -> timedelta:
    """A reminder lead time from "7d", "36h", "90m", "2w", seconds or a
    timedelta; between 1 minute and 90 days, else InvalidInput saying so."""
    return LEAD_TIME.parse(value, field="lead_times")


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
    """7d, 36h, 90m: as the commands and API accept it."""
    return format_compact(lead)


def describe_lead(lead: timedelta) -> str:
    """In words, for headlines: "2 weeks", "1 day", "36 hours", "1 minute"."""
    return describe(lead, weeks=True)
