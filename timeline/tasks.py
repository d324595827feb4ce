"""Celery tasks of the record: thin, each calls one service.

Beat runs `sweep_overdue` every minute (config/celery_app.py). It takes an
optional ISO `now` so that tests and operators can drive time in a worker
too; without it the worker's clock is read once, here.
"""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services
from .exceptions import InvalidInput
from .sweeps import drain


def moment(now: str | None) -> datetime:
    """The sweep's clock: the ISO instant given, or the current time."""
    if now is None:
        return timezone.now()
    try:
        moment = datetime.fromisoformat(now)
    except (TypeError, ValueError):
        raise InvalidInput(f"`now` must be an ISO 8601 instant, e.g. 2026-11-25T12:00:00+00:00; got {now!r}.") from None
    if moment.tzinfo is None:
        raise InvalidInput(f"`now` must carry a UTC offset: {now!r}.")
    return moment


@shared_task(name="timeline.tasks.sweep_overdue")
def sweep_overdue(now: str | None = None) -> dict[str, int]:
    """Notice what became overdue, then apply the grace rule. Safe to run
    twice at once and catches up after downtime (see services.verdicts)."""
    at, limit = moment(now), settings.TIMELINE_SWEEP_LIMIT
    batches = drain(lambda: services.sweep_overdue(now=at, limit=limit), is_full=lambda r: max(r.values()) >= limit)
    return {key: sum(batch[key] for batch in batches) for key in batches[0]}


@shared_task(name="timeline.tasks.prune_idempotency_keys")
def prune_idempotency_keys(now: str | None = None) -> int:
    """Daily: drop Idempotency-Keys older than FW_API_IDEMPOTENCY_KEEP_HOURS."""
    return services.idempotency_keys_prune(now=moment(now), older_than=settings.FW_API_IDEMPOTENCY_KEEP)
