"""Watch listens to timeline's change log; timeline imports nothing of watch.

When a change row is written, a task to process the log is sent once the
writer's transaction commits, so subscribers hear of it within seconds. The
minute sweep processes the same rows anyway, so a message lost here (broker
down, process killed between commit and send) delays news, never loses it.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from timeline.demo import demo_record_loaded
from timeline.models import Change

log = logging.getLogger(__name__)


@receiver(post_save, sender=Change, dispatch_uid="watch.process_change_on_commit")
def change_written(sender, instance: Change, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    # One message per transaction is enough, since the task processes every
    # unprocessed row: loading the demo writes dozens of change rows at once.
    # A callback of a savepoint that rolls back leaves this list with it, so
    # the next change row registers again.
    pending = getattr(transaction.get_connection(), "run_on_commit", ())
    if any(func is _queue_processing for _, func, _ in pending):
        return
    transaction.on_commit(_queue_processing, robust=True)


def _queue_processing() -> None:
    from .tasks import process_changes

    try:
        process_changes.delay()
    except Exception as exc:  # the broker is down or unconfigured: the sweep catches up
        log.warning("Could not queue watch.tasks.process_changes (%s: %s); the minute sweep will process the change",
                    type(exc).__name__, exc)


@receiver(demo_record_loaded, dispatch_uid="watch.demo_subscriber")
def demo_loaded(sender, now, **kwargs) -> None:
    """`manage.py load_demo` loaded the example record: add the demo subscriber
    before its overdue sweep runs, so the system's verdicts reach someone."""
    from .demo import ensure_demo_subscriber

    ensure_demo_subscriber(now=now)
