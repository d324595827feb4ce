"""Where an item stands on the desk's agenda: on a day, or in a band.

An item is shown at its precision. An exact time falls on its day in the
desk's zone; a one-day window on that day in the item's own zone (the Davos
meeting is 23 January wherever the desk sits); an expectation meant `by` a
deadline on the deadline's last day. Anything coarser (a week, a month, a
season, a range) goes in a band, "Sometime in January 2026", never on the
first day of its window, which would say more than the source did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from timeline.models import Expectation, Item
from timeline.pages import states
from timeline.pages.entries import due_text
from timeline.when import TIME, local_days


@dataclass
class Line:
    item: Item
    state: str
    state_label: str
    when: str
    as_reported: str
    due: str
    deadline: bool = False  # shown on its deadline, not its start


@dataclass
class Day:
    day: date
    lines: list[Line] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.day:%A} {self.day.day} {self.day:%B %Y}"


@dataclass
class Band:
    label: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class Agenda:
    days: list[Day]
    bands: list[Band]

    @property
    def count(self) -> int:
        return sum(len(d.lines) for d in self.days) + sum(len(b.lines) for b in self.bands)


def is_deadline(item: Item) -> bool:
    return item.kind == Item.Kind.EXPECTATION and item.expectation.target_kind == Expectation.TargetKind.BY


def placed_on(item: Item, desk_zone: ZoneInfo) -> date | None:
    """The day the item is shown on, or None for a band."""
    when = item.when
    if not when.is_dated:
        return None
    if when.precision == TIME:
        return when.start.astimezone(desk_zone).date()
    local = local_days(when)
    if local is None:
        return None
    if is_deadline(item):
        return local.last
    if local.end == local.start + timedelta(days=1):
        return local.start
    return None


def band_label(item: Item) -> str:
    shown = item.when.display()
    if is_deadline(item):
        return f"Due by the end of {shown}"
    return f"Sometime in {shown}"


def build(items, *, first: date, last: date, desk_zone: ZoneInfo, now: datetime) -> Agenda:
    """The agenda of `items` (in window order) for the days first..last."""
    days = {first + timedelta(days=n): Day(first + timedelta(days=n)) for n in range((last - first).days + 1)}
    bands: dict[str, Band] = {}
    for item in items:
        state = states.state_of(item, now)
        line = Line(item=item, state=state, state_label=states.label(state), when=item.when.display(),
                    as_reported=item.when_text, due=due_text(item, now), deadline=is_deadline(item))
        day = placed_on(item, desk_zone)
        if day in days:
            days[day].lines.append(line)
        else:
            label = band_label(item)
            bands.setdefault(label, Band(label)).lines.append(line)
    return Agenda(days=list(days.values()), bands=list(bands.values()))
