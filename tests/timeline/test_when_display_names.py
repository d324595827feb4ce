"""How a When is shown writes month names, years and clock times itself
instead of asking strftime (it is shown for every item of every list); it must
write exactly what strftime writes."""

from datetime import date, datetime, timedelta, timezone

import pytest

from timeline import when as when_module
from timeline.when import When, display

YEARS = [1, 9, 10, 99, 100, 998, 999, 1000, 1969, 2025, 2026, 9998, 9999]


@pytest.mark.parametrize("year", YEARS)
def test_month_names_and_years_are_strftimes(year):
    for month in range(1, 13):
        d = date(year, month, 1)

        assert when_module._month(d) == f"{d:%B %Y}"
        assert f"{when_module._mon(d)} {d.year}" == f"{d:%b %Y}"
        assert when_module._day(d) == f"{d.day} {d:%b %Y}"


def test_clock_times_are_strftimes():
    start = datetime(2026, 3, 29, tzinfo=timezone.utc)
    for minute in range(0, 24 * 60, 7):
        moment = start + timedelta(minutes=minute)

        assert when_module._clock(moment) == f"{moment:%H:%M}"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


# Each branch of display(), with what it showed when it still asked strftime.
@pytest.mark.parametrize("start, end, precision, tz, shown", [
    ((2026, 1, 23), (2026, 1, 24), "day", "UTC", "23 Jan 2026"),
    ((2026, 1, 5), (2026, 1, 12), "week", "UTC", "Week of 5 Jan 2026"),
    ((2026, 1, 1), (2026, 2, 1), "month", "UTC", "January 2026"),
    ((2026, 1, 1), (2026, 2, 1), "range", "UTC", "January 2026"),
    ((2026, 1, 1), (2026, 5, 1), "range", "UTC", "Jan–Apr 2026"),
    ((2025, 11, 1), (2026, 3, 1), "range", "UTC", "Nov 2025 – Feb 2026"),
    ((2026, 1, 10), (2026, 1, 21), "range", "UTC", "10–20 Jan 2026"),
    ((2026, 1, 28), (2026, 2, 4), "range", "UTC", "28 Jan – 3 Feb 2026"),
    ((2025, 12, 29), (2026, 1, 3), "range", "UTC", "29 Dec 2025 – 2 Jan 2026"),
    ((2026, 1, 23, 14, 5), (2026, 1, 23, 14, 6), "time", "Europe/Zurich", "23 Jan 2026, 15:05 CET"),
    ((2026, 12, 5, 19, 9, 8), (2026, 12, 6, 19, 9, 8), "day", "UTC", "5 Dec 2026, 19:09 – 6 Dec 2026, 19:09 UTC"),
    ((998, 1, 5), (998, 1, 6), "day", "UTC", "5 Jan 998"),
])
def test_display_shows_what_it_showed_through_strftime(start, end, precision, tz, shown):
    assert display(When(text="", start=utc(*start), end=utc(*end), precision=precision, tz=tz)) == shown
