"""The Celery app: settings under the CELERY_ prefix, tasks found in each app."""

import os

from celery import Celery
from celery.signals import task_prerun, worker_process_init

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


@worker_process_init.connect(weak=False)
def _keep_database_connections(**kwargs):
    # A worker process runs task after task: opening a database connection
    # for each cost more than a delivery's own queries (docs/performance.md).
    # Celery's fixup keeps it for CELERY_DB_REUSE_MAX tasks (settings); the
    # prerun hook below closes it once it is older than this, or unusable.
    from django.conf import settings

    global _worker_process
    _worker_process = True
    database = settings.DATABASES["default"]
    if not database.get("CONN_MAX_AGE") and settings.WORKER_CONN_MAX_AGE:
        database["CONN_MAX_AGE"] = settings.WORKER_CONN_MAX_AGE
        database["CONN_HEALTH_CHECKS"] = True


# Set in a worker's pool processes only: a task applied eagerly (a test, a
# shell) runs inside its caller's connection and transaction, left alone.
_worker_process = False


@task_prerun.connect(weak=False)
def _drop_unusable_database_connections(task=None, **kwargs):
    # What Django does around each request: a connection that errored, or is
    # older than CONN_MAX_AGE, is closed (and reopened on first use); with
    # CONN_HEALTH_CHECKS one the server dropped is noticed before it is used.
    # Not in the web process, and not for a task applied eagerly (`.apply()`,
    # tests): it runs inside its caller's transaction, whose connection is
    # not the task's to close.
    if not _worker_process or getattr(getattr(task, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
