"""Counting lengths and frequencies as TIMEX3 writes them: "two weeks" is
P2W, "5 1/2 hours" PT5H30M, "several years" PXY, "daily" P1D. These have no
window, so the When parser has no say in them; they are counted here."""

from __future__ import annotations

import re

from .find import NUMBER_WORDS

APPROX_MODS = {
    "about": "APPROX", "around": "APPROX", "nearly": "APPROX", "almost": "APPROX", "roughly": "APPROX",
    "some": "APPROX", "more than": "MORE_THAN", "over": "MORE_THAN", "less than": "LESS_THAN", "under": "LESS_THAN",
    "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS",
}

# Compiled once (see normalise.py: re's cache does not keep them).
_DECIMAL = re.compile(r"\d+\.\d+")
_AND_HALF = re.compile(r"(\d+) 1/2")



def count(words: str) -> str:
    """A count as TIMEX3 writes it: '2', '1.5', or 'X' for a vague one."""
    w = words.lower().strip()
    if w in ("a", "an", "one"):
        return "1"
    if w.replace(",", "").isdigit():
        return w.replace(",", "")
    if _DECIMAL.fullmatch(w):
        return w
    if m := _AND_HALF.fullmatch(w):
        return f"{m.group(1)}.5"
    if w in ("a couple of", "a couple", "couple of"):
        return "2"
    if w == "a dozen":
        return "12"
    parts = re.split(r"[- ]", w)
    if all(p in NUMBER_WORDS for p in parts):
        return str(sum(NUMBER_WORDS[p] for p in parts))
    return "X"


_UNIT_CODE = {
    "second": ("T", "S", 1), "minute": ("T", "M", 1), "hour": ("T", "H", 1), "day": ("", "D", 1),
    "week": ("", "W", 1), "fortnight": ("", "W", 2), "month": ("", "M", 1), "quarter": ("", "Q", 1),
    "year": ("", "Y", 1),
    "decade": ("", "Y", 10), "century": ("", "Y", 100), "centurie": ("", "Y", 100),
}


def duration_value(n: str, unit: str) -> str:
    """P2D, PT5H, P10Y, PXY."""
    unit = unit.lower().rstrip("s") if unit.lower() != "centuries" else "century"
    t, code, factor = _UNIT_CODE[unit]
    if n != "X" and factor != 1:
        n = str(int(float(n) * factor)) if float(n) * factor == int(float(n) * factor) else str(float(n) * factor)
    if n.endswith(".5") and code in ("H", "Y") or (n.endswith(".5") and t == "T" and code == "M"):
        # A half in the next smaller unit: PT5H30M, PT1M30S, P1Y6M.
        whole, half = n[:-2], {"H": "30M", "M": "30S", "Y": "6M"}[code]
        return f"P{t}{whole}{code}{half}" if whole != "0" else f"P{t}{half}"
    return f"P{t}{n}{code}"


ADVERB_SET = {
    "daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y", "nightly": "P1D",
    "hourly": "PT1H", "quarterly": "P3M", "biweekly": "P2W", "semiannually": "P6M",
}
WEEKDAY_INDEX = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
