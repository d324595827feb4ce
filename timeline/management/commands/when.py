"""`manage.py when "PHRASE" --as-of YYYY-MM-DD [--tz ZONE] [--kind KIND] [--json]`

Shows how the parser reads a date phrase: the window [start, end), its
precision, the approximate flag, the zone and the EDTF form. Any error is one
line on stderr and exit status 1. It needs no database.
"""

import json
import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from timeline.exceptions import TimelineError
from timeline.whenparse import KINDS, parse_when


class Command(BaseCommand):
    help = "Read a date phrase as the timeline does and print the When it means."
    # A pure parser: no system checks, so it answers even where the database is not set up.
    requires_system_checks = []

    def add_arguments(self, parser):
        # Required values are checked in handle(), not by argparse, so that a
        # missing one is the same one-line error with status 1 as any other.
        parser.add_argument("phrase", nargs="?", help='The words as reported, e.g. "on Jan. 23" or "2026-01".')
        parser.add_argument(
            "--as-of", dest="as_of", help="The source's date (YYYY-MM-DD) that relative words resolve against."
        )
        parser.add_argument("--tz", default="UTC", help="The IANA zone of the place (default UTC), e.g. Europe/Zurich.")
        parser.add_argument("--kind", default="milestone", help=f"One of {', '.join(KINDS)} (default milestone).")
        parser.add_argument("--json", action="store_true", help="Print the When as JSON.")

    def handle(self, *args, **options):
        phrase = options["phrase"]
        if phrase is None:
            raise CommandError(
                'Give the phrase to read, e.g. manage.py when "on Jan. 23" --as-of 2025-12-30', returncode=1
            )
        as_of = self._as_of(options["as_of"])
        if options["kind"] not in KINDS:
            raise CommandError(f"Unknown --kind {options['kind']!r}; use one of {', '.join(KINDS)}.", returncode=1)
        try:
            when = parse_when(phrase, as_of=as_of, tz=options["tz"], kind=options["kind"])
        except TimelineError as error:
            raise CommandError(_one_line(error.message), returncode=1)

        if options["json"]:
            self.stdout.write(json.dumps(when.as_dict(), ensure_ascii=False))
            return
        rows = [
            ("text", when.text),
            ("start", when.start.isoformat() if when.start else "-"),
            ("end", f"{when.end.isoformat()} (exclusive)" if when.end else "-"),
            ("precision", when.precision),
            ("approximate", "yes" if when.approximate else "no"),
            ("tz", when.tz),
            ("edtf", when.edtf or "-"),
            ("display", when.display()),
        ]
        for label, value in rows:
            self.stdout.write(f"{label + ':':<13}{value}")

    @staticmethod
    def _as_of(value):
        if not value:
            raise CommandError(
                "--as-of YYYY-MM-DD is required: relative words resolve against the source's date.", returncode=1
            )
        try:
            # fromisoformat also takes 20251230 or 2025-W01-1; ask for one plain form.
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {value!r}.", returncode=1)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
