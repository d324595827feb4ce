"""The one builder of calendar entries (VEVENTs) for the record's items.

Both the feeds (/feeds/..., and watch's private feed) and the .ics attached to
an alert build their entries here, so an item has one UID everywhere
(`<public id>@<site host>`), a SEQUENCE that is its `schedule_version` (it
grows with every change of When, status or editorial state, so a calendar
replaces its old copy) and one reading of its window:

- A day-or-coarser window is an all-day entry in the item's own zone, with
  iCalendar's exclusive DTEND: January 2026 is DATE 20260101 to 20260201, "on
  Jan. 23" at Davos 20260123 to 20260124, whatever the reader's zone.
- An exact time is a timed entry. Feeds write it with its TZID and the
  VTIMEZONE that defines it, so the calendar keeps the place's clock across a
  DST change; the alert attachment writes UTC, which every mail client's
  importer reads the same way (`zone_times=False`).
- Text goes through the library's escaping, never string formatting: a title
  carrying a CRLF and "ATTENDEE:" stays one SUMMARY value.

Undated items have no entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import STATUS, Alarm, Calendar, Event, vDuration

from core.bidi import strip_bidi_controls

from ..when import When

PRODID = "-//Forecast Watch//Calendars//EN"
METHODS = ("PUBLISH", "CANCEL")

# What a calendar should make of an item's lifecycle status. "Will not happen
# in this window" is CANCELLED; "is happening / happened" is CONFIRMED;
# whatever is still only scheduled, expected or waiting is TENTATIVE.
CANCELLED_STATUSES = frozenset({"cancelled", "void", "missed"})
CONFIRMED_STATUSES = frozenset({"recorded", "confirmed", "happened", "met", "met_late", "partly_met"})
APPROXIMATE_NOTE = " (date approximate)"


def site_host() -> str:
    """The host of settings.SITE_URL: the right-hand side of our calendar UIDs and Message-IDs."""
    host = urlsplit(settings.SITE_URL).hostname
    if not host:
        # Caught at the first use rather than at startup, but with a message
        # that says what to fix.
        raise ValueError(
            f"SITE_URL {settings.SITE_URL!r} has no host; set FW_SITE_URL to e.g. https://watch.example.org"
        )
    return host


def calendar_uid(item_public_id) -> str:
    """The UID of an item's calendar entry, the same in every email and feed."""
    return f"{item_public_id}@{site_host()}"


def calendar_status(*, item_status: str, editorial_state: str, cause: str = "") -> STATUS:
    """STATUS of an item's entry. A retracted item, or news that takes it off
    calendars, is CANCELLED whatever its lifecycle says."""
    if editorial_state == "retracted" or cause in ("cancelled", "retracted"):
        return STATUS.CANCELLED
    if item_status in CANCELLED_STATUSES:
        return STATUS.CANCELLED
    if item_status in CONFIRMED_STATUSES:
        return STATUS.CONFIRMED
    return STATUS.TENTATIVE


@dataclass(frozen=True)
class Reminder:
    """A VALARM: shown at `at` (an instant), saying `description`."""

    at: datetime
    description: str


@dataclass(frozen=True)
class Entry:
    """What one VEVENT says about one item."""

    public_id: str
    sequence: int
    stamp: datetime  # DTSTAMP: with no METHOD, the last change of what the entry says
    summary: str
    when: When
    status: STATUS
    description: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    reminders: tuple[Reminder, ...] = ()


def event_bounds(when: When, *, zone_times: bool = True) -> tuple[date, date] | tuple[datetime, datetime]:
    """DTSTART and DTEND of a dated When: local dates for a day or coarser,
    aware instants otherwise (in the item's zone, or UTC)."""
    if not when.is_dated:
        raise ValueError("An undated When has no calendar entry.")
    if not when.is_day_or_coarser:
        z = when.zoneinfo if zone_times else timezone.utc
        return when.start.astimezone(z), when.end.astimezone(z)
    z = when.zoneinfo
    start, end = when.start.astimezone(z), when.end.astimezone(z)
    # Windows of a day or coarser start and end at local midnight; should one
    # end mid-day (a range typed with times), the all-day entry covers that
    # day rather than stopping short of it.
    end_date = end.date() if end.time() == datetime.min.time() else end.date() + timedelta(days=1)
    return start.date(), max(end_date, start.date() + timedelta(days=1))


def _start_instant(when: When, start: date | datetime) -> datetime:
    if isinstance(start, datetime):
        return start
    return datetime(start.year, start.month, start.day, tzinfo=when.zoneinfo)


def vevent(entry: Entry, *, zone_times: bool = True, status: STATUS | None = None) -> Event:
    start, end = event_bounds(entry.when, zone_times=zone_times)
    # A calendar shows the summary as a one-line title where nothing can
    # isolate a bidi override (core/bidi.py): it is dropped there.
    summary = strip_bidi_controls(entry.summary) + (APPROXIMATE_NOTE if entry.when.approximate else "")
    event = Event.new(
        uid=calendar_uid(entry.public_id),
        sequence=entry.sequence,
        stamp=entry.stamp.astimezone(timezone.utc),
        summary=summary,
        description=entry.description or None,
        url=entry.url or None,
        status=status or entry.status,
        categories=list(entry.categories) or (),
        start=start,
        end=end,
    )
    anchor = _start_instant(entry.when, start)
    for reminder in entry.reminders:
        # Relative to the start: the trigger form every calendar that reads
        # alarms understands (Outlook ignores absolute ones).
        event.add_component(Alarm.new_display(description=reminder.description, trigger=reminder.at - anchor))
    return event


def build_calendar(
    entries: Iterable[Entry],
    *,
    method: str | None = None,
    name: str | None = None,
    uid: str | None = None,
    tz: str | None = None,
    refresh: timedelta | None = None,
    zone_times: bool = True,
) -> Calendar:
    """A VCALENDAR of `entries`, those with an undated When left out.

    `method` (PUBLISH or CANCEL) is the iTIP method of an attachment; feeds
    have none. With CANCEL every entry's STATUS is CANCELLED. `name`, `tz` and
    `refresh` become X-WR-CALNAME (and NAME), X-WR-TIMEZONE, and
    REFRESH-INTERVAL with X-PUBLISHED-TTL, which calendars that subscribe read.
    """
    if method is not None:
        method = method.upper()
        if method not in METHODS:
            raise ValueError(f"Unknown calendar method {method!r}; use one of {', '.join(METHODS)}.")
    if name is not None:
        # One line, as X-WR-CALNAME is written unescaped: a storyline named
        # with a line break would otherwise break the whole feed.
        name = " ".join(strip_bidi_controls(name).split())
    calendar = Calendar.new(
        prodid=PRODID,
        method=method,
        name=name,
        refresh_interval=refresh,
        # Calendar.new would draw a random UID: a feed's bytes must depend on
        # its content only, or its strong ETag would lie.
        uid=uid or f"calendar@{site_host()}",
    )
    if tz:
        calendar.add("x-wr-timezone", tz)
    if refresh is not None:
        # RFC 7986 asks for the VALUE parameter; X-PUBLISHED-TTL is what
        # Outlook and Apple Calendar read instead.
        calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
        calendar.add("x-published-ttl", vDuration(refresh))
    cancel = STATUS.CANCELLED if method == "CANCEL" else None
    for entry in entries:
        if entry.when.is_dated:
            calendar.add_component(vevent(entry, zone_times=zone_times, status=cancel))
    if zone_times:
        calendar.add_missing_timezones()
    return calendar
