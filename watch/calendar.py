"""iCalendar (.ics) entries for the items a notice is about.

An email about one item carries it as a calendar entry, so a reader can put it
in their calendar and, when it later moves or is cancelled, the next notice's
entry updates the same one: the UID is the item's (`<public id>@<site host>`)
and the SEQUENCE is the item's `schedule_version`, which grows with every
change of its When, status or editorial state.

Windows of a day or coarser become all-day entries (DTSTART;VALUE=DATE) in the
item's own zone: "on Jan. 23" at Davos is 23 January whatever the reader's
zone, and iCalendar's all-day DTEND is exclusive, exactly like our half-open
windows. Exact times are written in UTC and every calendar shows them in its
own zone. Undated items have no place in a calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import STATUS, Calendar, Event

from timeline.when import When

from .channels.base import NewsItem

PRODID = "-//Forecast Watch//Alerts//EN"
METHODS = ("PUBLISH", "CANCEL")

# What a calendar should make of an item's lifecycle status. "Will not happen in
# this window" is CANCELLED; "is happening / happened" is CONFIRMED; whatever is
# still only scheduled, expected or waiting on a condition is TENTATIVE.
_CANCELLED_STATUSES = {"cancelled", "void", "missed"}
_CONFIRMED_STATUSES = {"recorded", "confirmed", "happened", "met", "met_late", "partly_met"}


def site_host() -> str:
    """The host of settings.SITE_URL: the right-hand side of our calendar UIDs and Message-IDs."""
    host = urlsplit(settings.SITE_URL).hostname
    if not host:
        # Caught at the first send rather than at startup, but with a message
        # that says what to fix.
        raise ValueError(
            f"SITE_URL {settings.SITE_URL!r} has no host; set FW_SITE_URL to e.g. https://watch.example.org"
        )
    return host


def calendar_uid(item_public_id: str) -> str:
    """The UID of an item's calendar entry, the same in every email and feed."""
    return f"{item_public_id}@{site_host()}"


def calendar_status(news: NewsItem) -> STATUS:
    if news.editorial_state == "retracted" or news.cause in ("cancelled", "retracted"):
        return STATUS.CANCELLED
    if news.item_status in _CANCELLED_STATUSES:
        return STATUS.CANCELLED
    if news.item_status in _CONFIRMED_STATUSES:
        return STATUS.CONFIRMED
    return STATUS.TENTATIVE


def calendar_method(news: NewsItem) -> str:
    """CANCEL for news that takes the item off calendars (cancelled, retracted), else PUBLISH."""
    takes_it_off = news.cause in ("cancelled", "retracted")
    if takes_it_off or news.editorial_state == "retracted" or news.item_status == "cancelled":
        return "CANCEL"
    return "PUBLISH"


def has_calendar_entry(news: NewsItem) -> bool:
    return When.from_dict(news.when).is_dated


def build_ics(
    news: NewsItem | Iterable[NewsItem],
    *,
    method: str = "PUBLISH",
    now: datetime | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per dated item in `news`.

    `method` is the iTIP method: PUBLISH, or CANCEL to take the entries off
    calendars (their STATUS is then CANCELLED whatever the item's status).
    `now` is the DTSTAMP (default: the current time). Raises ValueError when no
    item in `news` is dated, since such a calendar would be empty.
    """
    method = method.upper()
    if method not in METHODS:
        raise ValueError(f"Unknown calendar method {method!r}; use one of {', '.join(METHODS)}.")
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    items = [news] if isinstance(news, NewsItem) else list(news)

    # One entry per item: a digest can hold several pieces of news about the
    # same item, and two VEVENTs with one UID would confuse calendars. The
    # latest schedule version describes the item as it is now.
    latest: dict[str, tuple[NewsItem, When]] = {}
    for piece in items:
        when = When.from_dict(piece.when)
        if not when.is_dated:
            continue
        kept = latest.get(piece.item_public_id)
        if kept is None or piece.schedule_version >= kept[0].schedule_version:
            latest[piece.item_public_id] = (piece, when)
    if not latest:
        raise ValueError("Nothing to put in a calendar: every item is undated.")

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    for piece, when in latest.values():
        start, end = _event_bounds(when)
        calendar.add_component(
            Event.new(
                uid=calendar_uid(piece.item_public_id),
                sequence=piece.schedule_version,
                stamp=stamp,
                summary=piece.item_title,
                description=_description(piece, when),
                url=piece.item_url or None,
                status=STATUS.CANCELLED if method == "CANCEL" else calendar_status(piece),
                start=start,
                end=end,
            )
        )
    return calendar.to_ical()


def _event_bounds(when: When) -> tuple[date, date] | tuple[datetime, datetime]:
    if not when.is_day_or_coarser:
        return when.start.astimezone(timezone.utc), when.end.astimezone(timezone.utc)
    zone = when.zoneinfo
    start = when.start.astimezone(zone)
    end = when.end.astimezone(zone)
    # Windows of a day or coarser start and end at local midnight; should one
    # end mid-day (a range typed with times), the all-day entry covers that day
    # rather than stopping short of it.
    end_date = end.date() if end.time() == datetime.min.time() else end.date() + timedelta(days=1)
    return start.date(), max(end_date, start.date() + timedelta(days=1))


def _description(news: NewsItem, when: When) -> str:
    lines = [f"When: {news.when_display}"]
    if when.text and when.text != news.when_display:
        lines.append(f"As reported: {when.text}")
    if news.detail:
        lines.append(news.detail)
    if news.item_url:
        lines.append(news.item_url)
    return "\n".join(lines)
