"""`manage.py due [--within 7d] [--storyline SLUG] [--json] [--now ISO]`

What an editor must look at, from selectors.due_report: what is coming in the
next `--within`, what is overdue, and what needs a verdict (overdue, missed by
the system and not yet reviewed, or left undecided by the verdict rules), each
with the reason. `--now` replays the report at another moment (tests,
"what did the desk see on Monday?"). Every error is one line on stderr and
exit status 1.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

from django.core.management.base import BaseCommand, CommandError

from timeline.models import Item, Storyline
from timeline.selectors import DueEntry, due_report

SECTIONS = ("upcoming", "overdue", "needs_verdict")
UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
WITHIN = re.compile(r"(?P<count>\d+)(?P<unit>[mhdw])")
# Ten years ahead is more than any desk plans; the cap also keeps now + within
# inside the calendar (datetime overflows past year 9999).
LONGEST_WITHIN = timedelta(days=3660)


def parse_within(text: str) -> timedelta:
    """'90m', '12h', '7d', '2w' as a timedelta, or CommandError saying what is accepted."""
    match = WITHIN.fullmatch(text.strip().lower())
    if not match:
        raise CommandError(
            f"--within takes a whole number and a unit: m (minutes), h (hours), d (days) or w (weeks), "
            f"e.g. 7d; got {text!r}.",
            returncode=1,
        )
    count = int(match["count"])
    if count == 0:
        raise CommandError(f"--within must be longer than zero; got {text!r}.", returncode=1)
    try:
        span = timedelta(**{UNITS[match["unit"]]: count})
    except OverflowError:
        span = LONGEST_WITHIN + timedelta(days=1)
    if span > LONGEST_WITHIN:
        raise CommandError(f"--within is at most {LONGEST_WITHIN.days}d; got {text!r}.", returncode=1)
    return span


def parse_now(text: str | None) -> datetime:
    """The report's clock: an ISO 8601 instant (a date or a time without an
    offset is read as UTC), or the current time."""
    if text is None:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"--now takes an ISO 8601 date or time, e.g. 2026-11-25T12:00:00Z; got {text!r}.", returncode=1
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def entry_json(entry: DueEntry) -> dict:
    item = entry.item
    when = item.when
    return {
        "public_id": str(item.public_id),
        "kind": item.kind,
        "title": item.title,
        "status": item.status,
        "editorial_state": item.editorial_state,
        "when": {**when.as_dict(), "display": when.display()},
        "reason": entry.reason,
    }


class Command(BaseCommand):
    help = "List what is upcoming, overdue and in need of a verdict, with the reason for each."

    def add_arguments(self, parser):
        parser.add_argument("--within", default="7d",
                            help="How far ahead 'upcoming' looks: a number and m, h, d or w (default 7d).")
        parser.add_argument("--storyline", metavar="SLUG", help="Only this storyline's items.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object instead of text.")
        parser.add_argument("--now", metavar="ISO",
                            help="The moment to report at (default: now); without an offset, UTC.")

    def handle(self, *args, **options):
        within_text = options["within"].strip().lower()
        within = parse_within(within_text)
        now = parse_now(options["now"])
        try:
            now + within
        except OverflowError:
            raise CommandError(f"--now {options['now']!r} plus --within runs past the year 9999.", returncode=1) from None
        slug = options["storyline"]
        if slug is not None and not Storyline.objects.filter(slug=slug).exists():
            known = list(Storyline.objects.order_by("slug").values_list("slug", flat=True)[:20])
            hint = f" Known storylines: {', '.join(known)}." if known else " There are no storylines yet."
            raise CommandError(f"No storyline with the slug {slug!r}.{hint}", returncode=1)

        entries = due_report(now=now, within=within, storyline=slug)
        by_section = {section: [e for e in entries if e.section == section] for section in SECTIONS}

        if options["json"]:
            report = {
                "now": now.isoformat(),
                "within": within_text,
                "storyline": slug,
                **{section: [entry_json(e) for e in found] for section, found in by_section.items()},
            }
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self._write_text(now, within_text, slug, by_section)

    def _write_text(self, now: datetime, within_text: str, slug: str | None, by_section: dict) -> None:
        scope = f"storyline {slug}" if slug else "all storylines"
        self.stdout.write(f"Due as of {now.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC, {scope}")
        titles = {
            "upcoming": f"Upcoming in the next {within_text}",
            "overdue": "Overdue",
            "needs_verdict": "Needs a verdict",
        }
        for section in SECTIONS:
            found = by_section[section]
            self.stdout.write("")
            self.stdout.write(self.style.MIGRATE_HEADING(f"{titles[section]} ({len(found)})"))
            if not found:
                self.stdout.write("  nothing")
            for entry in found:
                self.stdout.write(self._entry_text(entry))

    @staticmethod
    def _entry_text(entry: DueEntry) -> str:
        item: Item = entry.item
        when = item.when
        reported = f" ({when.text})" if when.text and when.text != when.display() else ""
        state = "" if item.editorial_state == Item.EditorialState.PUBLISHED else f", {item.editorial_state}"
        return (
            f"  - {item.title} [{item.kind}, {item.status}{state}]\n"
            f"    when: {when.display()}{reported}\n"
            f"    why:  {entry.reason}\n"
            f"    id:   {item.public_id}"
        )
