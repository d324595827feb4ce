"""`manage.py poll_feeds [--once] [--now ISO] [--no-progress]`

Polls the followed feeds that are due and reads their new articles into
proposals, as the worker's beat task does (the same service). With --once,
one sweep (drained while batches come back full), then a summary: feeds
polled, not modified, new articles, articles read, proposals, and every
error with its reason. Without it, a sweep every minute until interrupted,
each with its summary.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from core.clock import parse_instant
from core.errors import InvalidInput
from follow import conf, services

TICK_SECONDS = 60


class Command(BaseCommand):
    help = "Poll the followed feeds that are due and read their new articles into proposals."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One sweep, then stop (default: every minute).")
        parser.add_argument("--now", metavar="ISO", help="The sweep's clock (default: now); without an offset, UTC.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        try:
            fixed = parse_instant(options["now"], naive_is_utc=True, field="--now") if options["now"] else None
        except InvalidInput as exc:
            raise CommandError(exc.message) from None
        console = Console(file=self.stderr._out, stderr=True)
        show = not options["no_progress"] and console.is_terminal
        while True:
            sweep = self.sweep(now=fixed or timezone.now(), console=console, show=show)
            self.report(sweep)
            if options["once"]:
                return
            try:
                time.sleep(TICK_SECONDS)
            except KeyboardInterrupt:
                return

    def sweep(self, *, now, console, show) -> services.Sweep:
        total = services.Sweep()
        limit = conf.batch()
        with Progress(TextColumn("Polling feeds"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                      console=console, disable=not show, transient=True) as bar:
            task = bar.add_task("", total=None)
            claimed_so_far = 0

            def claimed(count):
                nonlocal claimed_so_far
                claimed_so_far += count
                bar.update(task, total=claimed_so_far)

            def progress(poll):
                bar.update(task, advance=1, description=poll.url[:60])

            while True:
                batch = services.poll_due_feeds(now=now, limit=limit, claimed=claimed, progress=progress)
                total.polls.extend(batch.polls)
                if batch.feeds_polled < limit:
                    return total

    def report(self, sweep: services.Sweep) -> None:
        errors = sweep.errors
        self.stdout.write(
            f"{sweep.feeds_polled} feeds polled, {sweep.not_modified} not modified, {sweep.new_articles} new "
            f"articles, {sweep.articles_read} read, {sweep.proposals} proposals, {len(errors)} errors."
        )
        for url, reason in errors:
            self.stdout.write(f"error: {url}: {reason}")
