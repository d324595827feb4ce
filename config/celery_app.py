"""The Celery app: settings under the CELERY_ prefix, tasks found in each app."""

import os

from celery import Celery
from celery.signals import worker_process_init

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
        **getattr(settings, "WATCH_BEAT_SCHEDULE", {}),
    }


@worker_process_init.connect(weak=False)
def _keep_database_connections(**kwargs):
    # A worker process runs task after task: opening a database connection
    # for each (CONN_MAX_AGE=0, right for web requests behind a pooler) cost
    # about a tenth of a delivery's time. Celery's Django fixup closes a
    # connection between tasks only once it is older than this, or unusable.
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database.get("CONN_MAX_AGE") and settings.WORKER_CONN_MAX_AGE:
        database["CONN_MAX_AGE"] = settings.WORKER_CONN_MAX_AGE
        database["CONN_HEALTH_CHECKS"] = True
