"""python manage.py tag_timex IN_DIR OUT_DIR: tag TimeML files with our TIMEX3.

Reads every .tml / .TE3input file under IN_DIR (the document creation time in
<DCT>, the text in <TEXT>), drops the TIMEX3 tags inside <TEXT> (the gold
ones), and writes the same file under OUT_DIR with the tagger's TIMEX3 tags
(tid, type, value, mod). Running it twice writes the same files.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reading.timex import tag, timeml


class Command(BaseCommand):
    help = "Tag TimeML files (.tml, .TE3input) with the temporal tagger's TIMEX3, for scoring with score_timex."

    def add_arguments(self, parser):
        parser.add_argument("in_dir")
        parser.add_argument("out_dir")
        parser.add_argument("--zone", default="UTC", help="zone of the documents' dates (default UTC)")

    def handle(self, in_dir, out_dir, zone, **options):
        source, target = Path(in_dir), Path(out_dir)
        if source.resolve() == target.resolve():
            raise CommandError("OUT_DIR must differ from IN_DIR (the input files are not overwritten).")
        try:
            paths = timeml.files(source)
        except timeml.TimeMLError as error:
            raise CommandError(str(error)) from None
        if not paths:
            raise CommandError(f"no .tml or .TE3input files under {source}")
        started, count, failed = time.perf_counter(), 0, []
        for path in paths:
            try:
                doc = timeml.read(path)
                found = tag(doc.text, doc.dct, zone=zone)
                timeml.write(path, target / path.relative_to(source), found)
            except (timeml.TimeMLError, ValueError) as error:
                failed.append(f"{path.name}: {error}" if not str(error).startswith(path.name) else str(error))
                continue
            count += len(found)
        for message in failed:
            self.stderr.write(f"skipped: {message}")
        self.stdout.write(
            f"tagged {len(paths) - len(failed)} files, {count} timexes, in {time.perf_counter() - started:.2f} s"
            f" -> {target}"
        )
        if failed:
            raise CommandError(f"{len(failed)} file(s) could not be read")
