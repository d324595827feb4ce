"""Named days: the date of a holiday in a given year (fixed ones, the nth
weekday of a month, Easter)."""

from __future__ import annotations

from datetime import date, timedelta


def easter(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


HOLIDAYS = {
    "christmas": lambda y: date(y, 12, 25), "christmas day": lambda y: date(y, 12, 25),
    "christmas eve": lambda y: date(y, 12, 24), "new year's": lambda y: date(y, 1, 1),
    "new year's day": lambda y: date(y, 1, 1), "new year's eve": lambda y: date(y, 12, 31),
    "independence day": lambda y: date(y, 7, 4), "halloween": lambda y: date(y, 10, 31),
    "valentine's day": lambda y: date(y, 2, 14), "veterans day": lambda y: date(y, 11, 11),
    "thanksgiving": lambda y: nth_weekday(y, 11, 3, 4), "thanksgiving day": lambda y: nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: nth_weekday(y, 9, 0, 1), "memorial day": lambda y: nth_weekday(y, 5, 0, -1),
    "election day": lambda y: nth_weekday(y, 11, 0, 1) + timedelta(days=1),
    "easter": easter, "easter sunday": easter,
}
