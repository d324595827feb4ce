"""Track records: expectations counted by state and by the year of their
deadline, and the small chart that shows them (an inline SVG made here, so
there is no chart service and no JavaScript).

The year is the deadline's, read in the item's own zone: "by the end of
2025" in New York ends at 05:00 UTC on 1 January 2026 and must count in
2025. SQL cannot convert every row to its own zone on SQLite, so the rows'
(end, zone) are read in one query and counted here; the search page's year
filter uses the same function, so a count and the list it links to agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.zones import zone

from . import states

NO_DEADLINE = "none"  # the year filter's value for undated expectations


def deadline_year(when_end: datetime | None, tz: str) -> int | None:
    """The year of the last moment of the window, in the item's zone."""
    if when_end is None:
        return None
    return (when_end.astimezone(zone(tz)) - timedelta(microseconds=1)).year


def parse_year(text: str) -> int | str | None:
    """A year filter as typed: "2026", "none", or None when it is neither."""
    text = (text or "").strip()
    if text == NO_DEADLINE:
        return NO_DEADLINE
    if text.isdigit() and 1 <= int(text) <= 9999:
        return int(text)
    return None


def matches_year(year: int | str, when_end: datetime | None, tz: str) -> bool:
    found = deadline_year(when_end, tz)
    return found is None if year == NO_DEADLINE else found == year


@dataclass
class Count:
    state: str
    label: str
    n: int
    url: str


@dataclass
class Year:
    year: int | None
    label: str
    total: int
    counts: list[Count]  # every state, zeros included, in the scoreboard's order


@dataclass
class TrackRecord:
    total: int
    totals: list[Count]
    years: list[Year] = field(default_factory=list)

    @property
    def decided(self) -> int:
        return sum(c.n for c in self.totals if c.state in DECIDED)

    @property
    def chart(self) -> Chart:
        return Chart.of(self)


DECIDED = ("met", "met_late", "missed", "partly_met")


def track_record(rows: Iterable[tuple[str, bool, datetime | None, str]],
                 link: Callable[[str | None, int | str | None], str]) -> TrackRecord:
    """`rows` are (status, overdue now, window end, zone); `link(state, year)`
    is the URL listing those items (a None argument: any)."""
    order = states.EXPECTATION_STATES
    overall = {s: 0 for s in order}
    by_year: dict[int | None, dict[str, int]] = {}
    for status, overdue, when_end, tz in rows:
        state = states.state_from_flag(status, overdue)
        year = deadline_year(when_end, tz)
        overall[state] = overall.get(state, 0) + 1
        tally = by_year.setdefault(year, {s: 0 for s in order})
        tally[state] = tally.get(state, 0) + 1

    def counts(tally: dict[str, int], year) -> list[Count]:
        return [Count(s, states.label(s), tally.get(s, 0), link(s, year)) for s in order]

    # Latest year first; undated (no deadline) last.
    years = sorted(by_year, key=lambda y: (y is None, -(y or 0)))
    return TrackRecord(
        total=sum(overall.values()),
        totals=counts(overall, None),
        years=[Year(y, str(y) if y is not None else "No deadline", sum(by_year[y].values()),
                    counts(by_year[y], y if y is not None else NO_DEADLINE)) for y in years],
    )


def meter(totals: dict[str, int], link: Callable[[str | None, int | str | None], str]) -> list[Count]:
    """A scoreboard's totals per state, like a promise tracker's meter."""
    return [Count(str(s), states.label(s), totals.get(s, 0), link(s, None)) for s in states.EXPECTATION_STATES]


# -- The chart ---------------------------------------------------------------------

@dataclass
class Bar:
    x: float
    width: float
    state: str
    n: int
    url: str
    title: str
    label_x: float
    show_label: bool


@dataclass
class Row:
    y: float
    label: str
    total: int
    bars: list[Bar]


@dataclass
class Chart:
    """A stacked bar per year, scaled to the busiest year. Geometry only:
    the template draws it (components/track_chart.html)."""

    width: int
    height: int
    label_width: int
    rows: list[Row]

    # Drawn at 480 units so that on a phone (about 360px) text keeps ~3/4 of its size.
    ROW = 30
    BAR = 20
    WIDTH = 480
    LABEL = 96

    @classmethod
    def of(cls, record: TrackRecord) -> Chart:
        busiest = max((y.total for y in record.years), default=0) or 1
        span = cls.WIDTH - cls.LABEL - 10
        rows = []
        for index, year in enumerate(record.years):
            x = float(cls.LABEL)
            bars = []
            for count in year.counts:
                if not count.n:
                    continue
                width = span * count.n / busiest
                bars.append(Bar(x=round(x, 2), width=round(width, 2), state=count.state, n=count.n, url=count.url,
                                title=f"{year.label}: {count.n} {count.label.lower()}",
                                label_x=round(x + width / 2, 2), show_label=width >= 18))
                x += width
            rows.append(Row(y=index * cls.ROW + 4, label=year.label, total=year.total, bars=bars))
        return cls(width=cls.WIDTH, height=max(len(rows), 1) * cls.ROW + 4, label_width=cls.LABEL, rows=rows)
