"""Small helpers shared by the service tests (the builders are in tests/builders.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from timeline.models import Change, Item
from timeline.when import When


def month_when(year: int, month: int, *, tz: str = "UTC", text: str = "") -> When:
    """The calendar month [1st, 1st of next) in `tz`."""
    zone = ZoneInfo(tz)
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return When(text=text or f"{start:%B %Y}", start=start, end=end, precision="month", tz=tz,
                edtf=f"{year:04d}-{month:02d}")


def reload(item: Item):
    """A fresh copy of the Event, Milestone or Expectation behind `item`."""
    return type(item).objects.get(pk=item.pk)


def changes_of(item: Item, *kinds: str):
    qs = Change.objects.filter(item_id=item.pk).order_by("id")
    return qs.filter(kind__in=kinds) if kinds else qs


def kinds_of(item: Item) -> list[str]:
    return list(changes_of(item).values_list("kind", flat=True))
