"""What a feed says about one item: the window of its entry, its summary, its
description (the attribution as reported, the status, a link to the item's
page) and its categories (the storylines).

Nothing here reads the clock: a feed's bytes depend on the items alone, which
is what lets its strong ETag be computed from the items' revisions without
building it (timeline/feeds/selectors.py).
"""

from __future__ import annotations

from datetime import timedelta, timezone

from django.conf import settings
from django.urls import reverse

from ..models import Citation, Expectation, Item
from ..when import DAY, TIME, When, day_start
from . import ical

Kind = Item.Kind
CLAIM_ROLES = (Citation.Role.REPORTS_CLAIM, Citation.Role.SETS_DATE)

STATUS_WORDS = {
    "scheduled": "scheduled", "confirmed": "confirmed", "happened": "happened", "cancelled": "cancelled",
    "dormant": "waiting for its condition", "open": "open", "met": "met", "met_late": "met late",
    "missed": "missed", "partly_met": "partly met", "void": "void",
}


def item_url(item: Item) -> str:
    return settings.SITE_URL + reverse("pages:item", kwargs={"public_id": item.public_id})


def is_deadline(item: Item) -> bool:
    return item.kind == Kind.EXPECTATION and item.expectation.target_kind == Expectation.TargetKind.BY


def entry_when(item: Item) -> When | None:
    """The window a calendar shows: the item's own, except for an expectation
    meant `by` a deadline, which is the deadline itself (the window's last
    day, or the instant it ends), not the months leading to it."""
    when = item.when
    if not when.is_dated:
        return None
    if not is_deadline(item):
        return when
    z = when.zoneinfo
    end_day = when.end.astimezone(z).date()
    # Only the end matters: "by the end of the year" starts whenever it was said.
    if when.precision == TIME or day_start(end_day, z).astimezone(timezone.utc) != when.end.astimezone(timezone.utc):
        return When(text=when.text, start=when.end - timedelta(minutes=1), end=when.end, precision=TIME,
                    approximate=when.approximate, tz=when.tz)
    return When(text=when.text, start=day_start(end_day - timedelta(days=1), z), end=day_start(end_day, z),
                precision=DAY, approximate=when.approximate, tz=when.tz)


def summary_of(item: Item) -> str:
    if item.kind == Kind.EXPECTATION:
        return ("Deadline: " if is_deadline(item) else "Expected: ") + item.title
    return item.title


def attribution_of(item: Item) -> list[str]:
    """Who reported it, as reported: "Axios, citing two senior U.S. officials".
    Reads the prefetched citations, so a feed costs no query per item."""
    lines = []
    for citation in item.citations.all():
        if citation.role not in CLAIM_ROLES:
            continue
        outlet = citation.source.outlet.name
        line = f"{outlet}, citing {citation.attribution}" if citation.attribution else f"{outlet}'s own reporting"
        if line not in lines:
            lines.append(line)
    return lines


def status_line(item: Item) -> str:
    if item.editorial_state == Item.EditorialState.RETRACTED:
        return "Status: retracted by the newsroom; it is no longer part of the record."
    words = STATUS_WORDS.get(item.status, item.status)
    line = f"Status: {words}"
    if item.kind == Kind.MILESTONE:
        milestone = item.milestone
        if milestone.postponed_count:
            times = "once" if milestone.postponed_count == 1 else f"{milestone.postponed_count} times"
            line += f" (postponed {times})"
        if item.status == Item.Status.CANCELLED and milestone.cancel_reason:
            line += f": {milestone.cancel_reason}"
    elif item.kind == Kind.EXPECTATION:
        expectation = item.expectation
        if expectation.decided_by:
            who = "the system" if expectation.decided_by == Expectation.DecidedBy.SYSTEM else "an editor"
            line += f", decided by {who}"
            if expectation.verdict_note:
                line += f": {expectation.verdict_note}"
    return line if line.endswith((".", "!", "?")) else line + "."


def description_of(item: Item) -> str:
    when = item.when
    lines = []
    if item.summary:
        lines.append(item.summary)
    if item.kind == Kind.EXPECTATION:
        expectation = item.expectation
        lines.append(f"Expected by: {expectation.holder_display}")
        if expectation.criteria:
            lines.append(f"Met when: {expectation.criteria}")
        lines.append(f"Target: {expectation.get_target_kind_display()}, {when.display()}")
    else:
        lines.append(f"When: {when.display()}")
    if when.text and when.text != when.display():
        lines.append(f"As reported: {when.text}")
    reported = attribution_of(item)
    if reported:
        lines.append("Reported by: " + "; ".join(reported))
    lines.append(status_line(item))
    lines.append(item_url(item))
    return "\n".join(lines)


def item_entry(item: Item, *, reminders: tuple[ical.Reminder, ...] = ()) -> ical.Entry | None:
    """The calendar entry of `item`, or None when it has no date."""
    when = entry_when(item)
    if when is None:
        return None
    return ical.Entry(
        public_id=str(item.public_id),
        sequence=item.schedule_version,
        # With no METHOD, DTSTAMP is the entry's last modification (RFC 5545 3.8.7.2).
        stamp=item.updated_at,
        summary=summary_of(item),
        when=when,
        status=ical.calendar_status(item_status=item.status, editorial_state=item.editorial_state),
        description=description_of(item),
        url=item_url(item),
        categories=tuple(storyline.name for storyline in item.storylines.all()),
        reminders=reminders,
    )
