"""A storyline as TimelineJS (Knight Lab) JSON: one slide per dated item,
grouped by kind, each date as precise as its source.

TimelineJS shows as much of a date as it is given, so a month-precision item
gives year and month only ("January 2026", not 1 January); a season,
quarter or half gives its first and last month; a week or range its first
and last day; an exact time its hour and minute in the item's zone. The text
carries the attribution as reported and the status, and a slide's media is
the first cited source (TimelineJS shows a link card for an article URL).
Undated items have no place on a timeline.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.html import escape

from ..models import Citation, Item
from ..when import DAY, HALF, MONTH, QUARTER, SEASON, TIME, YEAR, When, local_days
from .entries import attribution_of, item_url, status_line

GROUPS = {Item.Kind.EVENT: "Events", Item.Kind.MILESTONE: "Milestones", Item.Kind.EXPECTATION: "Expectations"}
MONTHS = (MONTH, SEASON, QUARTER, HALF)


def _date(moment, *, upto: str, display: str = "") -> dict:
    parts = {"year": moment.year}
    if upto in ("month", "day", "minute"):
        parts["month"] = moment.month
    if upto in ("day", "minute"):
        parts["day"] = moment.day
    if upto == "minute":
        parts.update(hour=moment.hour, minute=moment.minute)
    if display:
        parts["display_date"] = display
    return parts


def dates(when: When) -> dict:
    """start_date and, for a span, end_date, at the When's precision."""
    z = when.zoneinfo
    start = when.start.astimezone(z)
    local = local_days(when)
    shown = when.display()
    if when.precision == TIME or local is None:
        end = when.end.astimezone(z)
        out = {"start_date": _date(start, upto="minute", display=shown)}
        if when.precision != TIME:
            out["end_date"] = _date(end, upto="minute")
        return out
    if when.precision == YEAR:
        return {"start_date": _date(start, upto="year", display=shown)}
    if when.precision == DAY:
        return {"start_date": _date(start, upto="day", display=shown)}
    last = local.last
    if when.precision == MONTH:
        return {"start_date": _date(start, upto="month", display=shown)}
    if when.precision in MONTHS:
        return {"start_date": _date(start, upto="month", display=shown), "end_date": _date(last, upto="month")}
    return {"start_date": _date(start, upto="day", display=shown), "end_date": _date(last, upto="day")}


def _text(item: Item) -> str:
    paragraphs = [item.summary] if item.summary else []
    if item.kind == Item.Kind.EXPECTATION:
        paragraphs.append(f"Expected by: {item.expectation.holder_display}")
    reported = attribution_of(item)
    if reported:
        paragraphs.append("Reported by: " + "; ".join(reported))
    paragraphs.append(status_line(item))
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs) + \
        f'<p><a href="{escape(item_url(item))}">On Forecast Watch</a></p>'


def _media(item: Item) -> dict | None:
    for citation in item.citations.all():
        source = citation.source
        if source.url:
            return {"url": source.url, "caption": source.title, "credit": source.outlet.name,
                    "link": source.url}
    return None


def with_timeline_relations(items: QuerySet) -> QuerySet:
    return items.select_related(
        "milestone", "milestone__happened_event", "expectation", "expectation__holder",
        "expectation__holder_citation",
    ).prefetch_related(
        Prefetch("citations", queryset=Citation.objects.select_related("source__outlet").order_by("pk")),
    ).order_by("sort_key", "public_id")


def timeline_document(storyline, items: QuerySet) -> dict:
    events = []
    for item in with_timeline_relations(items):
        when = item.when
        if item.kind == Item.Kind.MILESTONE and item.milestone.actual_when is not None:
            when = item.milestone.actual_when  # a milestone that happened stands at its actual date
        if not when.is_dated:
            continue
        event = {**dates(when), "text": {"headline": escape(item.title), "text": _text(item)},
                 "group": GROUPS[item.kind], "unique_id": str(item.public_id)}
        media = _media(item)
        if media:
            event["media"] = media
        events.append(event)
    return {
        "title": {"text": {"headline": escape(storyline.name), "text": f"<p>{escape(storyline.description)}</p>"
                           if storyline.description else ""}},
        "events": events,
    }

