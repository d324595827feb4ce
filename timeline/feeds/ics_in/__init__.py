"""Calendars in: .ics files, folders of them, or URLs, into milestones of a
storyline through the services (see read.py for how events are read,
apply.py for how they become milestones, fetch.py for where they come from).
Used by `manage.py import_ics` and the admin's upload page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings

from core.clock import require_aware
from core.errors import ServiceError

from ...models import Item, Storyline
from ...services._core import By
from .apply import CONFLICT, apply_incoming, conflict_keep_ours, conflict_take_theirs
from .fetch import Document, Unreadable, documents
from .read import Incoming, Rejection, read_calendar

__all__ = [
    "ImportReport", "conflict_keep_ours", "conflict_take_theirs", "documents", "import_documents", "import_location",
    "storyline_zone",
]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)  # "title (UID ...)"
    rejections: list[Rejection] = field(default_factory=list)

    def count(self, outcome: str, incoming: Incoming) -> None:
        if outcome == CONFLICT:
            self.conflicts.append(f"{incoming.title} (UID {incoming.uid})")
        else:
            setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def summary(self) -> str:
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{len(self.conflicts)} conflicts, {self.rejected} rejected")


def storyline_zone(storyline: Storyline) -> str:
    """The zone most of the storyline's items are in: where a calendar's
    floating and all-day times are read when nothing else says. Milestones
    that came from a calendar do not count, or importing a file would move
    the zone its next import is read in, and the same file would read
    differently the second time."""
    zones = (Item.objects.filter(storylines=storyline, milestone__calendar_link__isnull=True)
             .values_list("when_tz", flat=True))
    counts: dict[str, int] = {}
    for name in zones:
        counts[name] = counts.get(name, 0) + 1
    return min(counts, key=lambda tz: (-counts[tz], tz)) if counts else settings.TIME_ZONE


def import_documents(
    docs: list[Document], *, storyline: Storyline, by: By, now: datetime, tz: str | None = None,
    publish: bool = False, horizon: timedelta | None = None,
    progress: Callable[[int, int], None] | None = None, report: ImportReport | None = None,
) -> ImportReport:
    """Import each document's events; `progress(done, total)` after each event."""
    require_aware(now)
    report = report or ImportReport()
    horizon = horizon if horizon is not None else settings.FW_ICS_IMPORT_HORIZON
    fallback = storyline_zone(storyline)
    readings = []
    for doc in docs:
        reading = read_calendar(doc.data, source=doc.name, default_zone=tz, now=now, horizon=horizon,
                                fallback_zone=fallback)
        readings.append((doc, reading))
        report.rejections.extend(reading.rejections)
    total = sum(len(reading.events) for _, reading in readings)
    done = 0
    for doc, reading in readings:
        for incoming in reading.events:
            try:
                report.count(apply_incoming(incoming, storyline=storyline, by=by, now=now, source=doc.name,
                                            publish=publish), incoming)
            except ServiceError as refusal:
                report.rejections.append(Rejection(doc.name, incoming.line or None, incoming.uid, refusal.message))
            done += 1
            if progress:
                progress(done, total)
    return report


def import_location(location: str, **options) -> ImportReport:
    """Import from a path, a folder or a URL; an unreadable one is one rejection."""
    resolver = options.pop("resolver", None)
    try:
        docs = documents(location, resolver=resolver)
    except Unreadable as exc:
        report = ImportReport()
        report.rejections.append(Rejection(location, None, "", str(exc)))
        return report
    return import_documents(docs, **options)
