"""When: what a source said about a date, and the window it means.

A When is the words as reported ("in January"), the half-open window
[start, end) of timezone-aware instants they mean, how precise they are, and
the zone of the place. The parser (`parse_when`) lives in timeline/whenparse;
this module holds the value type shared by models, services and the API, and
how a When is shown back to people (`display`), which needs nothing of the
parser: only the window seen as local days and whether it has the shape its
precision names. The parser's EDTF output reads those shapes from here too,
so the parser imports this module and never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from core.zones import zone  # noqa: F401  (much of the record imports it from here)

from .exceptions import InvalidInput

TIME, DAY, WEEK, MONTH, SEASON, QUARTER, HALF, YEAR, RANGE, UNDATED = (
    "time", "day", "week", "month", "season", "quarter", "half", "year", "range", "undated",
)
PRECISIONS = (TIME, DAY, WEEK, MONTH, SEASON, QUARTER, HALF, YEAR, RANGE, UNDATED)
PRECISION_CHOICES = [(p, p) for p in PRECISIONS]

# Roughly how long a window of each precision lasts; a reminder lead time
# shorter than this is meaningless ("1 hour before January") and is skipped.
PRECISION_SPAN = {
    TIME: timedelta(0),
    DAY: timedelta(days=1),
    WEEK: timedelta(days=7),
    MONTH: timedelta(days=28),
    SEASON: timedelta(days=90),
    QUARTER: timedelta(days=90),
    HALF: timedelta(days=181),
    YEAR: timedelta(days=365),
}


@dataclass(frozen=True)
class When:
    text: str
    start: datetime | None
    end: datetime | None
    precision: str
    approximate: bool = False
    tz: str = "UTC"
    edtf: str = ""
    _checked: bool = field(default=False, repr=False, compare=False)

    def __post_init__(self):
        zone(self.tz)
        if self.precision not in PRECISIONS:
            raise InvalidInput(f"Unknown precision {self.precision!r}", fields={"precision": ["Unknown precision."]})
        if self.precision == UNDATED:
            if self.start is not None or self.end is not None:
                raise InvalidInput("An undated When has no window.", fields={"when": ["An undated When has no window."]})
            return
        if self.start is None or self.end is None:
            raise InvalidInput("A dated When needs a start and an end.", fields={"when": ["A dated When needs a start and an end."]})
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise InvalidInput("A When's window must be timezone-aware.", fields={"when": ["The window must be timezone-aware."]})
        # Compared in UTC: Python compares two datetimes of the same zone by
        # their wall clocks, which is wrong across a clock change.
        if self.end.astimezone(timezone.utc) <= self.start.astimezone(timezone.utc):
            raise InvalidInput(
                "The window ends before it starts.",
                fields={"when": [f"The window ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})."]},
            )

    @classmethod
    def undated(cls, text: str = "", *, tz: str = "UTC") -> When:
        return cls(text=text, start=None, end=None, precision=UNDATED, tz=tz, edtf="")

    @property
    def is_dated(self) -> bool:
        return self.precision != UNDATED

    @property
    def zoneinfo(self) -> ZoneInfo:
        return zone(self.tz)

    @property
    def is_day_or_coarser(self) -> bool:
        return self.precision not in (TIME, UNDATED)

    def display(self, reader_tz: str | None = None) -> str:
        """How people see it: day-or-coarser windows as dates in the item's
        zone for everyone; only an exact time moves to the reader's zone."""
        return display(self, reader_tz=reader_tz)

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
            "approximate": self.approximate,
            "tz": self.tz,
            "edtf": self.edtf,
        }

    @classmethod
    def from_dict(cls, data: dict) -> When:
        def dt(value):
            return datetime.fromisoformat(value) if value else None

        return cls(
            text=data.get("text", ""),
            start=dt(data.get("start")),
            end=dt(data.get("end")),
            precision=data.get("precision", UNDATED),
            approximate=bool(data.get("approximate", False)),
            tz=data.get("tz", "UTC"),
            edtf=data.get("edtf", ""),
        )


# ---------------------------------------------------------------------------
# Local days: a day-or-coarser window seen as dates in the item's zone. The
# parser builds windows from these helpers, and display and EDTF output read
# them back, so both ends agree on what a local day is.

# Seasons (meteorological, northern): the first month of spring, summer,
# autumn and winter.
SEASON_FIRST_MONTH = (3, 6, 9, 12)
SEASON_NAMES = ("Spring", "Summer", "Autumn", "Winter")


def localize(naive: datetime, z: ZoneInfo) -> datetime:
    """A wall time in zone z as an aware instant. fold=0 takes the first of a
    repeated wall time; a wall time inside a gap (clocks jump forward) has no
    instant, and the round trip through UTC moves it forward by the gap, so a
    midnight that does not exist becomes the first instant of the day."""
    return naive.replace(tzinfo=z).astimezone(timezone.utc).astimezone(z)


def day_start(d: date, z: ZoneInfo) -> datetime:
    """The first instant of local day d in zone z."""
    return localize(datetime(d.year, d.month, d.day), z)


def months_between(a: date, b: date) -> int | None:
    """Whole calendar months from a to b when both are firsts of a month."""
    if a.day != 1 or b.day != 1:
        return None
    return (b.year - a.year) * 12 + (b.month - a.month)


@dataclass(frozen=True)
class LocalDays:
    start: date
    end: date  # exclusive
    last: date  # the last day in the window


def local_days(when: When) -> LocalDays | None:
    """The window as local dates in the item's zone, or None when a boundary
    is not a local midnight (an exact time)."""
    return window_days(when.start, when.end, when.zoneinfo)


def window_days(start: datetime, end: datetime, z: ZoneInfo) -> LocalDays | None:
    """local_days of the window [start, end) in zone z, for a caller that
    has not built its When yet (the parser computes the EDTF first)."""
    start_day, end_day = start.astimezone(z).date(), end.astimezone(z).date()
    # Compared in UTC: Python compares two datetimes of the same zone by their wall clocks.
    if start.astimezone(timezone.utc) != day_start(start_day, z).astimezone(timezone.utc) \
            or end.astimezone(timezone.utc) != day_start(end_day, z).astimezone(timezone.utc):
        return None
    return LocalDays(start_day, end_day, end_day - timedelta(days=1))


def fits(when: When, local: LocalDays) -> bool:
    """Does the window have the shape its precision names?"""
    return precision_fits(when.precision, local)


def precision_fits(p: str, local: LocalDays) -> bool:
    """fits, for a precision p and local days of a When not built yet."""
    s, e = local.start, local.end
    months = months_between(s, e)
    if p == DAY:
        return e == s + timedelta(days=1)
    if p == WEEK:
        return s.weekday() == 0 and e == s + timedelta(days=7)
    if p == MONTH:
        return months == 1
    if p == SEASON:
        return months == 3 and s.month in SEASON_FIRST_MONTH
    if p == QUARTER:
        return months == 3 and s.month in (1, 4, 7, 10)
    if p == HALF:
        return months == 6 and s.month in (1, 7)
    if p == YEAR:
        return months == 12 and s.month == 1
    return False


# ---------------------------------------------------------------------------
# Display: "January 2026", "23 Jan 2026", "~29–30 Dec 2025".


def _zone_abbreviation(moment: datetime) -> str:
    return moment.tzname() or moment.strftime("%z")


# Month names and times as strftime writes them (%B, %b, %H:%M) in the C
# locale, which the process never leaves, and the year as its %Y does here
# (unpadded below 1000). Written out because strftime cost more than the rest
# of a display, which every item of every list, page and feed shows;
# tests/timeline/test_when_display_names.py holds them to strftime.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)


def _month(d: date) -> str:
    """%B %Y"""
    return f"{MONTH_NAMES[d.month - 1]} {d.year}"


def _mon(d: date) -> str:
    """%b"""
    return MONTH_ABBREVIATIONS[d.month - 1]


def _clock(moment: datetime) -> str:
    """%H:%M"""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _day(d: date) -> str:
    return f"{d.day} {_mon(d)} {d.year}"


def _range_text(local: LocalDays) -> str:
    """10–20 Jan 2026, 28 Jan – 3 Feb 2026, Jan–Apr 2026, 2026–2028."""
    s, last = local.start, local.last
    if local.end == s + timedelta(days=1):
        return _day(s)
    months = months_between(local.start, local.end)
    if months:
        # A window of whole months ends in the month of its last day.
        if months % 12 == 0 and s.month == 1:
            return f"{s.year}–{last.year}" if months > 12 else str(s.year)
        if months == 1:
            return _month(s)
        if s.year == last.year:
            return f"{_mon(s)}–{_mon(last)} {last.year}"
        return f"{_mon(s)} {s.year} – {_mon(last)} {last.year}"
    if s.year == last.year and s.month == last.month:
        return f"{s.day}–{last.day} {_mon(last)} {last.year}"
    if s.year == last.year:
        return f"{s.day} {_mon(s)} – {_day(last)}"
    return f"{_day(s)} – {_day(last)}"


def _display_simple(precision: str, s: date) -> str:
    """The name of a window that fits its precision."""
    if precision == DAY:
        return _day(s)
    if precision == WEEK:
        return f"Week of {_day(s)}"
    if precision == MONTH:
        return _month(s)
    if precision == SEASON:
        if s.month == 12:  # a winter spans two years: say both
            return f"Winter {s.year}–{(s.year + 1) % 100:02d}"
        return f"{SEASON_NAMES[SEASON_FIRST_MONTH.index(s.month)]} {s.year}"
    if precision == QUARTER:
        return f"Q{(s.month - 1) // 3 + 1} {s.year}"
    if precision == HALF:
        return f"{'First' if s.month == 1 else 'Second'} half of {s.year}"
    return str(s.year)  # YEAR


def display(when: When, *, reader_tz: str | None = None) -> str:
    """How people see a When. A day-or-coarser window is shown as dates in
    the item's zone for everyone; only an exact time is converted to the
    reader's zone, with the zone's abbreviation."""
    if not when.is_dated:
        return "Undated"
    prefix = "~" if when.approximate else ""
    local = local_days(when)
    if when.precision == TIME or local is None:
        # Only an exact time moves to the reader's zone; a window that is not
        # whole days (not made by the parser) stays in the item's.
        z = zone(reader_tz) if reader_tz and when.precision == TIME else when.zoneinfo
        start = when.start.astimezone(z)
        if when.precision == TIME:
            return f"{prefix}{_day(start.date())}, {_clock(start)} {_zone_abbreviation(start)}"
        end = when.end.astimezone(z)
        return (
            f"{prefix}{_day(start.date())}, {_clock(start)} – {_day(end.date())}, {_clock(end)}"
            f" {_zone_abbreviation(end)}"
        )
    if fits(when, local):
        return prefix + _display_simple(when.precision, local.start)
    return prefix + _range_text(local)
