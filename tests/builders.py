"""Builders for test data. They go through the services, as every write does."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from timeline import services
from timeline.models import SYSTEM
from timeline.when import When

_seq = itertools.count(1)
# When reference data made by a builder says it was written, unless told:
# the tests' `now` (tests/conftest.py), so history rows never read the clock.
REFERENCE_WRITTEN_AT = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("UTC"))


def day_when(day: date, *, tz: str = "UTC", text: str = "") -> When:
    """A one-day window in the zone `tz`."""
    zone = ZoneInfo(tz)
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return When(text=text or day.isoformat(), start=start, end=end, precision="day", tz=tz, edtf=day.isoformat())


def window_when(start: datetime, end: datetime, *, precision: str = "range", tz: str = "UTC", text: str = "") -> When:
    return When(text=text or f"{start:%Y-%m-%d}/{end:%Y-%m-%d}", start=start, end=end, precision=precision, tz=tz)


def time_when(at: datetime, *, tz: str = "UTC", text: str = "") -> When:
    """An exact time: a one-minute window."""
    return When(text=text or at.isoformat(), start=at, end=at + timedelta(minutes=1), precision="time", tz=tz)


def make_storyline(name: str | None = None, *, by=SYSTEM, now: datetime = REFERENCE_WRITTEN_AT, **fields):
    n = next(_seq)
    return services.storyline_create(by=by, now=now, name=name or f"Storyline {n}",
                                     slug=fields.pop("slug", f"storyline-{n}"), **fields)


def make_actor(name: str | None = None, *, by=SYSTEM, now: datetime = REFERENCE_WRITTEN_AT, **fields):
    n = next(_seq)
    return services.actor_create(by=by, now=now, name=name or f"Actor {n}", slug=fields.pop("slug", f"actor-{n}"),
                                 **fields)


def make_milestone(*, now: datetime, when: When, by=SYSTEM, published: bool = True, **fields):
    fields.setdefault("title", f"Milestone {next(_seq)}")
    return services.item_create(
        kind="milestone", by=by, now=now, when=when,
        editorial_state="published" if published else "draft", **fields,
    )


def make_expectation(*, now: datetime, when: When, by=SYSTEM, published: bool = True, **fields):
    fields.setdefault("title", f"Expectation {next(_seq)}")
    fields.setdefault("target_kind", "during")
    return services.item_create(
        kind="expectation", by=by, now=now, when=when,
        editorial_state="published" if published else "draft", **fields,
    )


def make_event(*, now: datetime, when: When, by=SYSTEM, published: bool = True, **fields):
    fields.setdefault("title", f"Event {next(_seq)}")
    return services.item_create(
        kind="event", by=by, now=now, when=when,
        editorial_state="published" if published else "draft", **fields,
    )


def make_citation(item, *, now: datetime = REFERENCE_WRITTEN_AT, by=SYSTEM, role: str = "reports_claim"):
    """A citation of `item` to a new source, so that it may be published."""
    n = next(_seq)
    outlet = services.outlet_create(name=f"Outlet {n}", slug=f"outlet-{n}")
    source = services.source_create(outlet=outlet, title=f"Article {n}", url=f"https://news.example.org/{n}",
                                    published_at=now)
    return services.citation_add(item=item, source=source, by=by, now=now, role=role)
