"""Reading a calendar file into incoming events, each a candidate milestone.

Every input ends in events or rejections, never in an exception: a file the
library cannot read is one rejection (with the line where its structure
breaks, when we can tell), an event with a broken property is one rejection
with its line and UID, and the rest of the file still counts.

How times are read:
- all-day (VALUE=DATE): local days in the default zone (the one given, else
  the file's X-WR-TIMEZONE, else the storyline's), DTEND exclusive as ours;
  one day, an ISO week or a whole month keep that precision;
- TZID: that zone (an Outlook zone name is mapped by the library);
- UTC ("Z"): that instant, shown in the default zone (Google exports UTC
  beside X-WR-TIMEZONE, which x-wr-timezone turns back into local times);
- floating (no zone): the wall time in the default zone.
An RRULE (or RDATE) is expanded by recurring-ical-events into its occurrences
from `now` to the horizon; each is its own milestone, keyed by UID and start.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import recurring_ical_events
import x_wr_timezone
from icalendar import Calendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from core.zones import zone as zone_named

from ...exceptions import InvalidInput
from ...models import Item
from ...when import DAY, MONTH, RANGE, TIME, WEEK, YEAR, When, day_start, fits, local_days
from ...whenparse.edtf import with_edtf

TITLE_LIMIT = Item._meta.get_field("title").max_length
STATUSES = {"CANCELLED": Item.Status.CANCELLED, "CONFIRMED": Item.Status.CONFIRMED}


@dataclass(frozen=True)
class Incoming:
    """One event as it would become a milestone."""

    uid: str
    recurrence: str  # "" or the occurrence's start in UTC (ISO)
    sequence: int
    title: str
    summary: str
    when: When
    status: str  # scheduled | confirmed | cancelled
    line: int

    @property
    def fingerprint(self) -> str:
        return fingerprint(title=self.title, summary=self.summary, when=self.when, status=self.status)

    def as_dict(self) -> dict:
        return {"uid": self.uid, "recurrence": self.recurrence, "sequence": self.sequence, "title": self.title,
                "summary": self.summary, "when": self.when.as_dict(), "status": self.status, "line": self.line}

    @classmethod
    def from_dict(cls, data: dict) -> Incoming:
        return cls(**{**data, "when": When.from_dict(data["when"])})


@dataclass(frozen=True)
class Rejection:
    source: str
    line: int | None
    uid: str
    reason: str

    def __str__(self):
        where = f"{self.source}, line {self.line}" if self.line else self.source
        return f"{where}{f' (UID {self.uid})' if self.uid else ''}: {self.reason}"


@dataclass
class Reading:
    events: list[Incoming] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    zone: str = ""  # the file's X-WR-TIMEZONE, if it names a zone we know


def fingerprint(*, title: str, summary: str, when: When, status: str) -> str:
    def utc(moment):
        return moment.astimezone(timezone.utc).isoformat() if moment else None

    facts = [title, summary, utc(when.start), utc(when.end), when.precision, when.tz, status]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


def read_calendar(data: bytes, *, source: str, default_zone: str | None, now: datetime,
                  horizon: timedelta, fallback_zone: str = "UTC") -> Reading:
    """The events of one file. Dates without a zone are read in
    `default_zone` (given by the editor), else the file's X-WR-TIMEZONE, else
    `fallback_zone` (the storyline's)."""
    reading = Reading()
    text = _decode(data)
    if text is None:
        reading.rejections.append(Rejection(source, None, "", "Not a text file (neither UTF-8 nor Latin-1)."))
        return reading
    try:
        calendar = Calendar.from_ical(text)
        calendar = x_wr_timezone.to_standard(calendar)
    except Exception as exc:  # the library raises ValueError, KeyError, IndexError... on bad files
        line, why = _structure_problem(text)
        reading.rejections.append(Rejection(source, line, "", why or f"Not a calendar the library can read: {exc}"))
        return reading
    if isinstance(calendar, list) or calendar.name != "VCALENDAR":
        reading.rejections.append(Rejection(source, 1, "", "The file does not start with BEGIN:VCALENDAR."))
        return reading

    file_zone = str(calendar.get("X-WR-TIMEZONE", "") or "")
    if file_zone:
        try:
            zone_named(file_zone)
            reading.zone = file_zone
        except InvalidInput:
            pass  # an X-WR-TIMEZONE we do not know: the storyline's zone is used
    zone = default_zone or reading.zone or fallback_zone

    lines = _vevent_lines(text)
    events = list(calendar.walk("VEVENT"))
    masters = {str(e.get("UID", "")) for e in events if ("RRULE" in e or "RDATE" in e) and "RECURRENCE-ID" not in e}
    for position, event in enumerate(events):
        line = lines[position] if position < len(lines) else None
        uid = str(event.get("UID", "") or "").strip()
        try:
            if uid in masters and "RECURRENCE-ID" in event:
                continue  # an override: expanded with its master below
            if uid in masters:
                reading.events.extend(_occurrences(calendar, event, uid=uid, line=line, zone=zone, now=now,
                                                   horizon=horizon))
            else:
                reading.events.append(_incoming(event, uid=uid, line=line, zone=zone, recurrence=_recurrence(event)))
        except Unusable as exc:
            reading.rejections.append(Rejection(source, line, uid, str(exc)))
        except Exception as exc:  # a value the library accepted but cannot compute with
            reading.rejections.append(Rejection(source, line, uid, f"The event cannot be read: {exc}"))
    return reading


class Unusable(Exception):
    """Why one event cannot become a milestone."""


def _decode(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _physical_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _vevent_lines(text: str) -> list[int]:
    """The line number of each BEGIN:VEVENT, in the order the library walks them."""
    return [n for n, line in enumerate(_physical_lines(text), start=1) if line.strip().upper() == "BEGIN:VEVENT"]


def _structure_problem(text: str) -> tuple[int | None, str]:
    """Where BEGIN and END stop matching, for a file the library refused."""
    stack: list[tuple[str, int]] = []
    seen_any = False
    for n, raw in enumerate(_physical_lines(text), start=1):
        line = raw.strip()
        if not line or raw[:1] in (" ", "\t"):
            continue
        name, colon, value = line.partition(":")
        if not colon and not seen_any:
            return n, f"Line {n} is not an iCalendar content line (NAME:value): {line[:60]!r}."
        upper, value = name.upper(), value.strip().upper()
        if upper == "BEGIN":
            if not seen_any and value != "VCALENDAR":
                return n, "The file does not start with BEGIN:VCALENDAR."
            seen_any = True
            if stack and stack[-1][0] == value and value in ("VEVENT", "VCALENDAR"):
                return stack[-1][1], f"BEGIN:{value} at line {stack[-1][1]} has no END:{value} before line {n}."
            stack.append((value, n))
        elif upper == "END":
            if not stack or stack[-1][0] != value:
                opened = f"BEGIN:{stack[-1][0]} at line {stack[-1][1]}" if stack else "nothing"
                return n, f"END:{value} at line {n} does not close {opened}."
            stack.pop()
        elif not seen_any:
            return n, "The file does not start with BEGIN:VCALENDAR."
    if not seen_any:
        return None, "The file is empty or holds no BEGIN:VCALENDAR."
    if stack:
        return stack[-1][1], f"BEGIN:{stack[-1][0]} at line {stack[-1][1]} is never closed."
    return None, ""


def _recurrence(event) -> str:
    recurrence_id = event.get("RECURRENCE-ID")
    if recurrence_id is None:
        return ""
    return _instant_key(recurrence_id.dt)


def _instant_key(moment: date | datetime) -> str:
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            return moment.isoformat()
        return moment.astimezone(timezone.utc).isoformat()
    return moment.isoformat()


def _occurrences(calendar, master, *, uid, line, zone, now, horizon) -> list[Incoming]:
    """The RRULE's occurrences from now to the horizon, overrides applied."""
    if master.errors:
        raise Unusable(_first_error(master))
    same = Calendar()
    for component in calendar.walk("VTIMEZONE"):
        same.add_component(component)
    for component in calendar.walk("VEVENT"):
        if str(component.get("UID", "")) == uid:
            same.add_component(component)
    found = []
    for occurrence in recurring_ical_events.of(same).between(now, now + horizon):
        start = occurrence.get("RECURRENCE-ID") or occurrence.get("DTSTART")
        found.append(_incoming(occurrence, uid=uid, line=line, zone=zone, recurrence=_instant_key(start.dt)))
    return found


def _first_error(event) -> str:
    name, message = event.errors[0]
    return f"{name}: {message}" if name else message


def _incoming(event, *, uid: str, line, zone: str, recurrence: str) -> Incoming:
    if event.errors:
        raise Unusable(_first_error(event))
    if not uid:
        raise Unusable("No UID: a second import could not recognise the event, so it is not imported.")
    if len(uid) > 500:
        raise Unusable("The UID is longer than 500 characters.")
    title = " ".join(str(event.get("SUMMARY", "") or "").split())
    if not title:
        raise Unusable("No SUMMARY: a milestone needs a title.")
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1].rstrip() + "…"
    sequence = event.get("SEQUENCE", 0)
    status = STATUSES.get(str(event.get("STATUS", "") or "").upper(), Item.Status.SCHEDULED)
    return Incoming(
        uid=uid, recurrence=recurrence, sequence=int(sequence), title=title,
        summary=str(event.get("DESCRIPTION", "") or "").strip(), when=_when(event, zone), status=status,
        line=line or 0,
    )


def _when(event, zone: str) -> When:
    if "DTSTART" not in event:
        raise Unusable("No DTSTART: the event has no date.")
    start = event.decoded("DTSTART")
    if "DTEND" in event:
        end = event.decoded("DTEND")
    elif "DURATION" in event:
        end = start + event.decoded("DURATION")
    else:
        end = None
    if isinstance(start, datetime) != isinstance(end, datetime) and end is not None:
        raise Unusable("DTSTART and DTEND mix a date with a date-time.")
    if not isinstance(start, datetime):
        return _all_day(start, end or start + timedelta(days=1), zone)
    return _timed(event, start, end, zone)


def _all_day(start: date, end: date, zone: str) -> When:
    if end <= start:
        raise Unusable(f"DTEND ({end.isoformat()}) is not after DTSTART ({start.isoformat()}).")
    z = ZoneInfo(zone)
    window = {"start": day_start(start, z), "end": day_start(end, z), "tz": zone}
    local = local_days(When(text="", precision=RANGE, **window))
    for precision in (DAY, WEEK, MONTH, YEAR):
        candidate = When(text="", precision=precision, **window)
        if local is not None and fits(candidate, local):
            return _with_text(candidate)
    return _with_text(When(text="", precision=RANGE, **window))


def _timed(event, start: datetime, end: datetime | None, zone: str) -> When:
    tz = zone
    if start.tzinfo is None:
        if "TZID" in event["DTSTART"].params:
            raise Unusable(f"Unknown time zone {event['DTSTART'].params['TZID']!r}, and no VTIMEZONE defines it.")
        start = start.replace(tzinfo=ZoneInfo(zone))  # floating: the wall time where the storyline is
        end = end.replace(tzinfo=ZoneInfo(zone)) if end is not None else None
    elif isinstance(start.tzinfo, ZoneInfo) and start.tzinfo.key != "UTC":
        tz = start.tzinfo.key
    elif not isinstance(start.tzinfo, ZoneInfo):
        # A zone defined by the file's own VTIMEZONE: Outlook names Windows
        # zones ("W. Europe Standard Time"), which have an IANA equivalent.
        tz = WINDOWS_TO_OLSON.get(str(event["DTSTART"].params.get("TZID", "")), zone)
    if end is not None and end.tzinfo is None:
        end = end.replace(tzinfo=start.tzinfo)
    end = end if end is not None else start + timedelta(minutes=1)
    if end.astimezone(timezone.utc) <= start.astimezone(timezone.utc):
        raise Unusable(f"DTEND ({end.isoformat()}) is not after DTSTART ({start.isoformat()}).")
    z = ZoneInfo(tz)
    precision = TIME if end - start <= timedelta(days=1) else RANGE
    return _with_text(When(text="", start=start.astimezone(z), end=end.astimezone(z), precision=precision, tz=tz))


def _with_text(when: When) -> When:
    # "As reported" is what the calendar said, shown the way we show dates.
    return with_edtf(replace(when, text=when.display()))
