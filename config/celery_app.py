"""The Celery app: settings under the CELERY_ prefix, tasks found in each app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("forecast_watch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule_sweeps(sender, **kwargs):
    # One beat; every sweep is short, idempotent and catches up after downtime,
    # so a missed tick costs nothing but a minute.
    from django.conf import settings

    every = settings.SWEEP_INTERVAL_SECONDS
    sender.conf.beat_schedule = {
        "timeline-notice-overdue": {"task": "timeline.tasks.sweep_overdue", "schedule": every},
        "core-prune-idempotency-keys": {"task": "core.tasks.prune_idempotency_keys", "schedule": 24 * 3600},
        # Polls only the followed feeds that are due (each has its own interval).
        "follow-poll-feeds": {"task": "follow.tasks.poll_feeds", "schedule": every},
        **getattr(settings, "WATCH_BEAT_SCHEDULE", {}),
    }
