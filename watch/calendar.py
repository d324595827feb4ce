"""iCalendar (.ics) entries for the items a notice is about.

An email about one item carries it as a calendar entry, so a reader can put it
in their calendar and, when it later moves or is cancelled, the next notice's
entry updates the same one. The entry itself is built by the record's one
builder (timeline.feeds.ical), which the calendar feeds use too: the same UID
(`<public id>@<site host>`), the same SEQUENCE (`schedule_version`), the same
all-day reading of day-or-coarser windows in the item's zone. What is the
attachment's own: the iTIP METHOD (CANCEL for news that takes the item off
calendars), exact times in UTC (every mail client's importer reads those the
same way), and one entry per item when a digest holds several pieces of news
about it. Undated items have no place in a calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from icalendar import STATUS

from timeline.feeds import ical
from timeline.feeds.ical import METHODS, PRODID, calendar_uid, site_host  # noqa: F401  (email.py reads them here)
from timeline.when import When

from .channels.base import NewsItem


def calendar_status(news: NewsItem) -> STATUS:
    return ical.calendar_status(item_status=news.item_status, editorial_state=news.editorial_state, cause=news.cause)


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
    if method.upper() not in METHODS:
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

    entries = [
        ical.Entry(
            public_id=piece.item_public_id,
            sequence=piece.schedule_version,
            stamp=stamp,
            summary=piece.item_title,
            when=when,
            status=calendar_status(piece),
            description=_description(piece, when),
            url=piece.item_url,
        )
        for piece, when in latest.values()
    ]
    return ical.build_calendar(entries, method=method, zone_times=False).to_ical()


def _description(news: NewsItem, when: When) -> str:
    lines = [f"When: {news.when_display}"]
    if when.text and when.text != news.when_display:
        lines.append(f"As reported: {when.text}")
    if news.detail:
        lines.append(news.detail)
    if news.item_url:
        lines.append(news.item_url)
    return "\n".join(lines)
