"""Celery tasks of the platform: thin, each calls one service.

Beat runs `prune_idempotency_keys` daily (config/celery_app.py). Like every
sweep it takes an optional ISO `now`, so tests and operators drive its clock.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from .clock import parse_instant
from .idempotency import idempotency_keys_prune


@shared_task(name="core.tasks.prune_idempotency_keys")
def prune_idempotency_keys(now: str | None = None) -> int:
    """Daily: drop Idempotency-Keys older than FW_API_IDEMPOTENCY_KEEP_HOURS."""
    return idempotency_keys_prune(now=parse_instant(now), older_than=settings.FW_API_IDEMPOTENCY_KEEP)
