"""`manage.py read_article FILE --published YYYY-MM-DD [--storyline SLUG]
[--outlet SLUG] [--url URL] [--title TITLE] [--zone ZONE] [--as-editor USER]
[--now ISO] [--json]`

Reads an article (a UTF-8 text file, or - for standard input) into proposed
events, milestones and expectations, through reading.services.read_article:
the same path as the admin's "Read an article" page and followed feeds.
Prints what each sentence became (proposed, cited on an existing item, a
postponement proposed), or the same as JSON with --json. Reading the same
text with the same URL again writes nothing and prints the first answer.
Bad input is a one-line error naming it, never a traceback.
"""

from __future__ import annotations

import json
import sys
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.clock import parse_instant
from core.errors import ServiceError
from timeline.models import SYSTEM, Outlet, Storyline

from ...services import read_article


class Command(BaseCommand):
    help = "Read an article into proposed events, milestones and expectations, for an editor to review."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The article as a UTF-8 text file, or - for standard input.")
        parser.add_argument("--published", required=True, metavar="YYYY-MM-DD",
                            help="The publication date: relative words (\"on Monday\") are read against it.")
        parser.add_argument("--storyline", metavar="SLUG", help="The storyline the proposals belong to.")
        parser.add_argument("--outlet", metavar="SLUG", help="The outlet that published it (default: unknown).")
        parser.add_argument("--url", help="The article's address; with the text, what makes a re-read a repeat.")
        parser.add_argument("--title", help="The article's title (default: its first line).")
        parser.add_argument("--zone", default="UTC", metavar="ZONE",
                            help="Where dates are read when a sentence names no known place (default: UTC).")
        parser.add_argument("--as-editor", metavar="USER", help="Who the proposals are by (default: system).")
        parser.add_argument("--now", metavar="ISO", help="The reading's clock (default: now); without an offset, UTC.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options):
        text = self._text(options["file"])
        try:
            published = date.fromisoformat(options["published"])
        except ValueError:
            raise CommandError(f"--published must be a date as YYYY-MM-DD, not {options['published']!r}.") from None
        storyline = outlet = None
        if options["storyline"]:
            storyline = Storyline.objects.filter(slug=options["storyline"]).first()
            if storyline is None:
                raise CommandError(f"No storyline with slug {options['storyline']!r}.")
        if options["outlet"]:
            outlet = Outlet.objects.filter(slug=options["outlet"]).first()
            if outlet is None:
                raise CommandError(f"No outlet with slug {options['outlet']!r}.")
        by = SYSTEM
        if options["as_editor"]:
            by = get_user_model().objects.filter(username=options["as_editor"], is_active=True).first()
            if by is None:
                raise CommandError(f"No active user {options['as_editor']!r}.")
        try:
            now = parse_instant(options["now"], naive_is_utc=True, field="--now") if options["now"] else timezone.now()
            reading = read_article(text=text, published=published, outlet=outlet, url=options["url"],
                                   title=options["title"], storyline=storyline, by=by, now=now, zone=options["zone"])
        except ServiceError as exc:
            details = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.fields.items())
            raise CommandError(f"{exc.message}{' (' + details + ')' if details else ''}") from None
        if options["json"]:
            self.stdout.write(json.dumps(reading.as_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"{reading.source.outlet.name}, {published:%d %b %Y}: {reading.summary()}.")
        for entry in reading.entries:
            when = entry.item.when
            window = when.display() if when.is_dated else "undated"
            what = {"created": "proposed", "cited": "cited on", "postponement": "postponement proposed for"}
            extra = f" -> {entry.change.new_when.display()}" if entry.change else ""
            self.stdout.write(f"  sentence {entry.sentence + 1}: {entry.kind} {what[entry.action]} "
                              f"“{entry.item.title}” ({window}{extra})")

    def _text(self, name: str) -> str:
        try:
            if name == "-":
                return sys.stdin.read()
            with open(name, encoding="utf-8") as handle:
                return handle.read()
        except FileNotFoundError:
            raise CommandError(f"No such file: {name}") from None
        except IsADirectoryError:
            raise CommandError(f"{name} is a folder; give one article's file.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{name} is not UTF-8 text.") from None
        except OSError as exc:
            raise CommandError(f"Cannot read {name}: {exc.strerror}") from None
