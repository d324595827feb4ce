"""python manage.py score_timex GOLD_DIR SYS_DIR: score TIMEX3 against gold.

Strict and relaxed extent precision / recall / F1, and value and type
accuracy and F1 over the relaxed matches (reading/timex/score.py says how),
the document creation time excluded. --part dev|held-out picks the fixed
split of the files (timeml.part_of); --errors lists what went wrong.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from reading.timex import score, timeml


class Command(BaseCommand):
    help = "Score TimeML TIMEX3 of SYS_DIR against GOLD_DIR (strict/relaxed extent, value, type)."

    def add_arguments(self, parser):
        parser.add_argument("gold_dir")
        parser.add_argument("sys_dir")
        parser.add_argument("--part", choices=("all", "dev", "held-out"), default="all")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument("--errors", action="store_true", help="list every error, by category")

    def handle(self, gold_dir, sys_dir, part, **options):
        try:
            tally, missing = score.score_folders(gold_dir, sys_dir, part=part)
        except timeml.TimeMLError as error:
            raise CommandError(str(error)) from None
        if not tally.documents:
            raise CommandError(f"no gold files ({part}) under {gold_dir}")
        figures = tally.figures()
        figures["part"] = part
        figures["missing_system_files"] = missing
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
        else:
            self.stdout.write(f"{part}: {tally.documents} documents, {tally.gold} gold timexes, {tally.system} system")
            self.stdout.write(f"{'':10}{'P':>8}{'R':>8}{'F1':>8}{'acc':>8}")
            for name in ("strict", "relaxed", "value", "type"):
                f = figures[name]
                acc = f"{f['accuracy']:8.2f}" if "accuracy" in f else ""
                self.stdout.write(f"{name:10}{f['precision']:8.2f}{f['recall']:8.2f}{f['f1']:8.2f}{acc}")
            if missing:
                self.stdout.write(f"missing system files (scored as empty): {len(missing)}")
        if options["errors"]:
            for category, n in score.categories(tally.errors).most_common():
                self.stdout.write(f"{category}: {n}")
            for e in sorted(tally.errors):
                self.stdout.write(" | ".join(e))
