"""The tasks of followed feeds: thin, each calls one service.

Beat runs `poll_feeds` every minute (config/celery_app.py); each feed is
polled only when due (its own interval, or its backoff), so the tick is how
late a feed may be polled, not how often. The feed and page fetches happen
here, in the worker, never in a web request. An optional ISO `now` lets
tests and operators drive time in a worker too.

Reading an article costs seconds (the reader's matching and writes), so a
burst of new articles outlasts one sweep's budget. When a sweep leaves
articles waiting, it sends `read_articles` tasks (up to FW_FOLLOW_READERS),
which every worker process may take: the articles' claims keep any number
of them from reading one twice.
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
    total = services.Sweep(polls=[p for s in sweeps for p in s.polls],
                           leftovers=[a for s in sweeps for a in s.leftovers])
    _send_readers(now=at, waiting=services.articles_waiting(now=at))
    return total.as_dict()


@shared_task(name="follow.tasks.read_articles")
def read_articles(now: str | None = None) -> dict:
    """Read articles that polls recorded and left waiting, within one budget."""
    at, limit = parse_instant(now), conf.batch()
    deadline = time.monotonic() + conf.budget()
    batches = drain(lambda: services.read_pending_articles(now=at, limit=limit, deadline=deadline),
                    is_full=lambda reads: len(reads) >= limit)
    reads = [a for batch in batches for a in batch]
    return {"articles_read": sum(1 for a in reads if not a.error), "proposals": sum(a.proposals for a in reads),
            "errors": [{"url": a.url, "reason": a.error} for a in reads if a.error]}


def _send_readers(*, now, waiting: int) -> None:
    readers = min(conf.readers(), -(-waiting // conf.batch()))  # ceil: one reader per batch waiting
    for _ in range(readers):
        read_articles.delay(now.isoformat())
