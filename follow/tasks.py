"""The beat task of followed feeds: thin, it calls the sweep.

Beat runs `poll_feeds` every minute (config/celery_app.py); each feed is
polled only when due (its own interval, or its backoff), so the tick is how
late a feed may be polled, not how often. The feed and page fetches happen
here, in the worker, never in a web request. An optional ISO `now` lets
tests and operators drive time in a worker too.
"""

from __future__ import annotations

import time

from celery import shared_task

from core.clock import parse_instant
from core.drain import drain

from . import conf, services


@shared_task(name="follow.tasks.poll_feeds")
def poll_feeds(now: str | None = None) -> dict:
    at, limit = parse_instant(now), conf.batch()
    deadline = time.monotonic() + conf.budget()  # one budget for every batch drained
    sweeps = drain(lambda: services.poll_due_feeds(now=at, limit=limit,
                                                   budget_seconds=max(0.0, deadline - time.monotonic())),
                   is_full=lambda sweep: sweep.feeds_polled >= limit)
    total = services.Sweep(polls=[poll for sweep in sweeps for poll in sweep.polls])
    return total.as_dict()
