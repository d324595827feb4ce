"""`manage.py load_storyline FILE`: load a storyline export (export_storyline,
or GET /api/v1/storylines/{slug}/export/) into a database that does not hold
it, by replaying its history through the services (timeline/feeds/load.py).
All or nothing: a history that does not replay as exported loads nothing."""

import json

from django.core.management.base import BaseCommand, CommandError

from timeline.feeds.load import storyline_load
from timeline.exceptions import TimelineError


class Command(BaseCommand):
    help = "Load a storyline export through the services."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError) as exc:
            raise CommandError(f"{file} is not a readable JSON export: {exc}") from None
        if not isinstance(document, dict):
            raise CommandError(f"{file} is not a storyline export.")
        try:
            loaded = storyline_load(document)
        except TimelineError as refusal:
            raise CommandError(f"Nothing was loaded: {refusal.message}") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise CommandError(f"Nothing was loaded: the export is incomplete or damaged ({exc!r}).") from None
        self.stdout.write(f"Loaded {loaded['items']} items and {loaded['changes']} changes.")
