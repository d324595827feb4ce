"""A When written as a TIMEX3 value: 2026-01-23, 2026-W04, 2026-01, 2026-SU,
2026-Q1, 2026-H1, 2026, 2026-01-23T15:00. TIMEX3 names one calendar unit, so
a window that is no single unit (a range) has no value here, except a
weekend (2026-W04-WE)."""

from __future__ import annotations

from datetime import timedelta

from timeline.when import DAY, HALF, MONTH, QUARTER, RANGE, SEASON, TIME, WEEK, YEAR, When

SEASON_CODES = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}
POD = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}


def value_of(when: When) -> str | None:
    if not when.is_dated:
        return None
    start = when.start.astimezone(when.zoneinfo)
    end = when.end.astimezone(when.zoneinfo)
    s = start.date()
    if when.precision == TIME:
        return f"{s.isoformat()}T{start.hour:02d}:{start.minute:02d}"
    if when.precision == DAY:
        return s.isoformat()
    if when.precision == WEEK:
        year, week, _ = s.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if when.precision == MONTH:
        return f"{s.year:04d}-{s.month:02d}"
    if when.precision == SEASON:
        return f"{s.year:04d}-{SEASON_CODES[s.month]}"
    if when.precision == QUARTER:
        return f"{s.year:04d}-Q{(s.month - 1) // 3 + 1}"
    if when.precision == HALF:
        return f"{s.year:04d}-H{(s.month - 1) // 6 + 1}"
    if when.precision == YEAR:
        return f"{s.year:04d}"
    if when.precision == RANGE:
        last = end.date() - timedelta(days=1)
        if s.weekday() == 5 and (last - s).days == 1:
            year, week, _ = s.isocalendar()
            return f"{year:04d}-W{week:02d}-WE"
        if s.year == last.year:
            if s.month == last.month:
                return f"{s.year:04d}-{s.month:02d}"
            return f"{s.year:04d}"
    return None


def with_part_of_day(value: str, pod: str) -> str:
    """2026-01-23 and 'morning' -> 2026-01-23TMO."""
    return f"{value}T{POD[pod.lower()]}"
