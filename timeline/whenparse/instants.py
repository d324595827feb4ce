"""Instants: measuring real time between aware datetimes. (A local day as
instants, day_start, belongs to the When type: timeline/when.py.)"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

# The smallest unit a reporter writes for an exact time.
TIME_WINDOW = timedelta(minutes=1)


def utc(moment: datetime) -> datetime:
    # Instants are compared in UTC: Python compares two datetimes of the same
    # zone by their wall clocks.
    return moment.astimezone(timezone.utc)


def after(moment: datetime, elapsed: timedelta) -> datetime:
    """moment + elapsed in real time. Python adds to a zoned datetime on the
    wall clock, which is an hour off across a clock change."""
    return (utc(moment) + elapsed).astimezone(moment.tzinfo)
