"""When: what a source said about a date, and the window it means.

A When is the words as reported ("in January"), the half-open window
[start, end) of timezone-aware instants they mean, how precise they are, and
the zone of the place. The parser (`parse_when`) lives in timeline/whenparse.py;
this module holds the value type shared by models, services and the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


def zone(name: str) -> ZoneInfo:
    """The zone called `name`, or InvalidInput naming it."""
    try:
        return ZoneInfo(name)
    # OSError: a name that is a folder of the zone database ("America") or unreadable.
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise InvalidInput(f"Unknown time zone {name!r}", fields={"tz": [f"Unknown time zone {name!r}."]})


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
        from .whenparse import display  # the formatter sits beside the parser

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
