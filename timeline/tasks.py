"""Celery tasks of the record: thin, each calls one service.

Beat runs `sweep_overdue` every minute (config/celery_app.py). It takes an
optional ISO `now` so that tests and operators can drive time in a worker
too; without it the worker's clock is read once, here.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from core.clock import parse_instant
from core.drain import drain

from . import services


@shared_task(name="timeline.tasks.sweep_overdue")
def sweep_overdue(now: str | None = None) -> dict[str, int]:
    """Notice what became overdue, then apply the grace rule. Safe to run
    twice at once and catches up after downtime (see services.verdicts)."""
    at, limit = parse_instant(now), settings.TIMELINE_SWEEP_LIMIT
    batches = drain(lambda: services.sweep_overdue(now=at, limit=limit), is_full=lambda r: max(r.values()) >= limit)
    return {key: sum(batch[key] for batch in batches) for key in batches[0]}

