"""Draining a sweep: run its batch again while the batch came back full.

Each sweep task reads at most one batch per call so that a transaction stays
short; after downtime there can be far more due than one batch. The task
therefore loops while a batch was full, within a time budget shorter than the
beat interval, so the next tick starts on a sweep that has finished. `now`
stays the one the task was given: one unit of work, one reading of the clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

R = TypeVar("R")


def drain(step: Callable[[], R], *, is_full: Callable[[R], bool], budget_seconds: float | None = None) -> list[R]:
    """Call `step` until its result is not full or the budget is spent;
    return every result, in order."""
    budget = settings.SWEEP_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    results = [step()]
    while is_full(results[-1]) and time.monotonic() < deadline:
        results.append(step())
    return results
