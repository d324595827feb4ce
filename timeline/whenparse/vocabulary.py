"""The words of dates: month, weekday and season names, ordinals, numbers in
words, the regular-expression pieces the rules are built from, and the words
around a date that do not change its window ("on", "scheduled for")."""

from __future__ import annotations

import re

from .spans import check_year

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
SEASONS = {"spring": 0, "summer": 1, "autumn": 2, "fall": 2, "winter": 3}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
}


def alternation(words) -> str:
    # Longest first, so "sept" is tried before "sep".
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


MONTH_RE = rf"(?P<month>{alternation(MONTHS)})\.?"
WEEKDAY_RE = rf"(?P<weekday>{alternation(WEEKDAYS)})\.?"
DAYNUM_RE = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
YEAR_RE = r"(?P<year>\d{4})"
SEASON_RE = rf"(?P<season>{alternation(SEASONS)})"
NUMBER_RE = rf"(?P<n>\d+|{alternation(NUMBERS)})"
UNIT_RE = r"(?P<unit>days?|weeks?|fortnights?|months?|years?)"


def named_group(fragment: str, old: str, new: str) -> str:
    """A fragment with its group renamed, to use it twice in one pattern."""
    return fragment.replace(f"?P<{old}>", f"?P<{new}>")


def number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word]


def read_year(text: str) -> int:
    year = int(text)
    check_year(year)
    return year


def read_month(m) -> int:
    return MONTHS[m.group("month")]


# Words around a date that do not change its window. "in" is kept before a
# number ("in 3 days" is a day; "in the next two weeks" a window).
LEAD_WORDS = re.compile(
    r"(?:as recently as|just|only|sometime|some time|scheduled for|set for|slated for"
    rf"|expected|due|planned for|on|in(?! {NUMBER_RE} )|during|at|for)\s+"
)


def strip_lead(s: str, *, once: bool = False) -> str:
    """s without the words before its date; once: only the first of them."""
    while (m := LEAD_WORDS.match(s)) and s[m.end():]:
        s = s[m.end():]
        if once:
            break
    return s
