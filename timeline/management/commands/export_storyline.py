"""`manage.py export_storyline SLUG [--output FILE]`: the storyline's items,
Whens (EDTF and window), citations and full history as JSON (stdout by
default), which `load_storyline` loads back into a database without it."""

import json

from django.core.management.base import BaseCommand, CommandError

from timeline.feeds.export import storyline_export
from timeline.models import Storyline


class Command(BaseCommand):
    help = "Export a storyline, with its items' history, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--output", "-o", metavar="FILE", help="Write here instead of stdout.")

    def handle(self, *args, slug, output=None, **options):
        storyline = Storyline.objects.filter(slug=slug).first()
        if storyline is None:
            raise CommandError(f"No storyline with slug {slug!r}.")
        text = json.dumps(storyline_export(storyline), ensure_ascii=False, indent=1)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
