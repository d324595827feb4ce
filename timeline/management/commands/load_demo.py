"""`manage.py load_demo [--no-sweep] [--now ISO]`

Loads the example storyline (timeline/demo.py) as of the article's date, then,
as a separate step, runs the overdue sweep once with the real clock (or
`--now`), so that `make run` shows straight away what the system makes of it
today: the two January milestones overdue, the two January expectations
missed by the system, each needing an editor. The loader itself decides no
verdict. Running it again changes nothing.
"""

from __future__ import annotations

from datetime import timezone

from django.core.management.base import BaseCommand, CommandError

from core.clock import parse_instant
from core.errors import InvalidInput
from timeline import demo, services
from timeline.exceptions import TimelineError


class Command(BaseCommand):
    help = "Load the example storyline (Axios, 30 Dec 2025), then run the overdue sweep once."

    def add_arguments(self, parser):
        parser.add_argument("--no-sweep", action="store_true",
                            help="Load only; leave the overdue sweep to beat (or to nobody).")
        parser.add_argument("--now", metavar="ISO",
                            help="The sweep's clock (default: now); without an offset, UTC.")

    def handle(self, *args, **options):
        try:
            sweep_now = parse_instant(options["now"], naive_is_utc=True, field="--now")
        except InvalidInput as error:
            raise CommandError(error.message, returncode=1) from None
        try:
            report = demo.load_demo(now=demo.CREATED_AT)
        except TimelineError as error:
            # The demo data is ours: this is a bug, but it should still read as one line.
            raise CommandError(f"The demo record could not be loaded: {error.message} {error.fields or ''}".strip(),
                               returncode=1)
        state = "loaded" if report.created_anything else "already there, unchanged"
        self.stdout.write(f"Demo record ({demo.SOURCE['url']}, as of {demo.AS_OF:%d %b %Y}): {state}.")
        self.stdout.write(f"  {report.summary()}")

        demo.demo_record_loaded.send(sender=self.__class__, now=sweep_now)

        if options["no_sweep"]:
            self.stdout.write("Overdue sweep: skipped (--no-sweep); `manage.py due` lists what is overdue.")
            return
        counts = services.sweep_overdue(now=sweep_now)
        self.stdout.write(
            f"Overdue sweep at {sweep_now.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC: "
            f"{counts['noticed']} newly overdue, {counts['missed']} missed by the system after the grace period."
        )
        self.stdout.write("`manage.py due` lists what needs a verdict, and why.")
