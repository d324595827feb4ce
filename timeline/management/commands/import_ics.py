"""`manage.py import_ics FILE_OR_DIR_OR_URL --storyline SLUG [--as-editor USER]
[--tz ZONE] [--publish] [--horizon-days N] [--now ISO] [--no-progress]`

Reads calendar events into milestones of the storyline, through the
services (timeline/feeds/ics_in). Running it again on the same calendar
changes nothing; a moved event moves its milestone, unless an editor changed
that milestone here since, in which case the change waits in the admin
(Calendar links) for an editor to keep ours or take theirs. Prints a summary:
created, updated, unchanged, conflicts, and each rejected event with its
file, line and reason. No input makes it fail with a traceback: a broken file
or event is reported and skipped.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from core.clock import parse_instant
from core.errors import InvalidInput
from core.zones import is_zone_name
from timeline.feeds.ics_in import ImportReport, documents, import_documents
from timeline.feeds.ics_in.fetch import Unreadable
from timeline.feeds.ics_in.read import Rejection
from timeline.models import SYSTEM, Storyline


class Command(BaseCommand):
    help = "Import calendar events (.ics file, folder of them, or URL) as milestones of a storyline."

    def add_arguments(self, parser):
        parser.add_argument("location", help="An .ics file, a folder of .ics files, or an http(s)/webcal URL.")
        parser.add_argument("--storyline", required=True, metavar="SLUG")
        parser.add_argument("--as-editor", metavar="USER", help="Who the changes are by (default: system).")
        parser.add_argument("--tz", metavar="ZONE",
                            help="Zone of all-day and floating times (default: the file's X-WR-TIMEZONE, "
                                 "else the storyline's).")
        parser.add_argument("--publish", action="store_true",
                            help="Publish new milestones at once (default: proposed, for an editor to review).")
        parser.add_argument("--horizon-days", type=int, metavar="N",
                            help="Expand recurring events this many days ahead (default: FW_ICS_IMPORT_HORIZON_DAYS).")
        parser.add_argument("--now", metavar="ISO", help="The import's clock (default: now); without an offset, UTC.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        storyline = Storyline.objects.filter(slug=options["storyline"]).first()
        if storyline is None:
            raise CommandError(f"No storyline with slug {options['storyline']!r}.")
        by = SYSTEM
        if options["as_editor"]:
            by = get_user_model().objects.filter(username=options["as_editor"], is_active=True).first()
            if by is None:
                raise CommandError(f"No active user {options['as_editor']!r}.")
        if options["tz"] and not is_zone_name(options["tz"]):
            raise CommandError(f"Unknown time zone {options['tz']!r}.")
        if options["horizon_days"] is not None and not 0 <= options["horizon_days"] <= 3660:
            raise CommandError("--horizon-days is between 0 and 3660.")
        try:
            now = parse_instant(options["now"], naive_is_utc=True, field="--now") if options["now"] else timezone.now()
        except InvalidInput as exc:
            raise CommandError(exc.message) from None

        report = ImportReport()
        try:
            docs = documents(options["location"])
        except Unreadable as exc:
            docs = []
            report.rejections.append(Rejection(options["location"], None, "", str(exc)))
        horizon = timedelta(days=options["horizon_days"]) if options["horizon_days"] is not None else None
        console = Console(file=self.stderr._out, stderr=True)
        show = not options["no_progress"] and console.is_terminal
        with Progress(TextColumn("Importing"), BarColumn(), MofNCompleteColumn(), console=console,
                      disable=not show, transient=True) as bar:
            task = bar.add_task("import", total=None)
            import_documents(
                docs, storyline=storyline, by=by, now=now, tz=options["tz"], publish=options["publish"],
                horizon=horizon, report=report,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        self.print_report(report)

    def print_report(self, report: ImportReport) -> None:
        self.stdout.write(report.summary() + ".")
        for conflict in report.conflicts:
            self.stdout.write(f"conflict: {conflict}: changed here since the last import; "
                              "resolve it in the admin (Calendar links).")
        for rejection in report.rejections:
            self.stdout.write(f"rejected: {rejection}")
