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
from datetime import datetime, timezone

from django.core.management.base import BaseCommand, CommandError

from core.clock import parse_instant
from core.durations import HORIZON
from core.errors import InvalidInput
from timeline.models import Item, Storyline
from timeline.selectors import DueEntry, due_report

SECTIONS = ("upcoming", "overdue", "needs_verdict")


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
                            help="How far ahead 'upcoming' looks: a number and m, h, d or w, "
                                 "from 1 minute to 366 days (default 7d).")
        parser.add_argument("--storyline", metavar="SLUG", help="Only this storyline's items.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object instead of text.")
        parser.add_argument("--now", metavar="ISO",
                            help="The moment to report at (default: now); without an offset, UTC.")

    def handle(self, *args, **options):
        within_text = options["within"].strip().lower()
        try:
            within = HORIZON.parse(within_text, field="--within")
            # An editor at a prompt means UTC by "2026-11-25"; a task's `now` must say so.
            now = parse_instant(options["now"], naive_is_utc=True, field="--now")
        except InvalidInput as error:
            raise CommandError(error.message, returncode=1) from None
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
