"""A fan-out of any size completes through tasks that each stay inside the
time limits: here a real worker with a 1-second soft limit (4 s hard) and
batches of 100 writes a reminder to 2,000 subscribers of one storyline as a
chain of `fan_out` tasks, each one batch, and every subscriber gets exactly
one notification. Written in one task, as it was before the fan-out was
batched (4.2 s for 5,000 subscribers on this machine, by the issue's figures),
this audience would need well over that second.

The package's worker is stopped for the test and one with the lowered limits
takes its place on the same broker and database (then the package's is
started again). Nothing here is timed: the limits are the worker's, and the
test asserts what the worker did, from the database and the worker's log.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.builders import make_milestone, make_storyline, time_when
from tests.integration.support import Worker, wait_changes_processed, wait_for_idle_broker, wait_until
from watch import tasks
from watch.models import Endpoint, Fanout, Notification, ReminderDue, Subscriber, Subscription

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

AUDIENCE = 2_000
BATCH = 100


@pytest.fixture
def limited_worker(worker, tmp_path):
    env = dict(worker.env)
    env.update({
        "CELERY_TASK_SOFT_TIME_LIMIT": "1",
        "CELERY_TASK_TIME_LIMIT": "4",
        # One batch per fan_out task: each queues the next.
        "FW_SWEEP_BUDGET_SECONDS": "0",
        "FW_WATCH_FANOUT_BATCH": str(BATCH),
    })
    worker.stop()
    limited = Worker(env=env, log_path=tmp_path / "limited-worker.log", name="limited@%h")
    limited.start()
    try:
        yield limited
    finally:
        limited.stop()
        worker.start()


def digest_followers(storyline, *, now, count: int) -> None:
    """`count` confirmed followers of the storyline on the daily digest (so
    the test waits for notifications, not for 2,000 emails), written directly."""
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{n}@example.org", created_at=now) for n in range(count)]
    )
    endpoints = Endpoint.objects.bulk_create([
        Endpoint(subscriber=s, kind="email", address=s.email, created_at=now, next_digest_at=now + timedelta(days=1))
        for s in subscribers
    ])
    Subscription.objects.bulk_create([
        Subscription(subscriber=e.subscriber, target="storyline", storyline=storyline, email_endpoint=e,
                     cadence="digest", lead_times=[3600], wants_moves=False, wants_verdicts=False,
                     wants_new_items=False, confirmed_at=now, created_at=now, updated_at=now)
        for e in endpoints
    ])


def test_a_reminder_to_two_thousand_is_written_by_a_chain_of_bounded_tasks(clock, celery_on_redis, limited_worker):
    storyline = make_storyline()
    digest_followers(storyline, now=clock, count=AUDIENCE)
    milestone = make_milestone(now=clock, when=time_when(clock + timedelta(hours=3)), storylines=[storyline],
                               title="Board of Peace, first meeting")
    wait_changes_processed()  # the worker writes the milestone's due row
    due = wait_until(lambda: ReminderDue.objects.filter(item=milestone, state="pending").first(), timeout=30,
                     what="the 1-hour reminder's due row")
    offset = limited_worker.log_size()

    tasks.fire_reminders.delay(now=(due.due_at + timedelta(seconds=1)).isoformat())

    notifications = Notification.objects.filter(item=milestone, kind="reminder")
    wait_until(lambda: notifications.count() == AUDIENCE, timeout=120, interval=0.5,
               what=f"{AUDIENCE} reminder notifications", seen=notifications.count)
    wait_for_idle_broker(celery_on_redis, timeout=60)

    assert notifications.values("endpoint").distinct().count() == AUDIENCE
    fanout = Fanout.objects.get(item=milestone, cause__startswith="reminder:")
    assert fanout.finished_at is not None
    log = limited_worker.log_since(offset)
    assert "TimeLimitExceeded" not in log and "SoftTimeLimitExceeded" not in log
    # The first batch was written by fire_reminders itself, the rest by
    # fan_out tasks, one batch each.
    chained = len(re.findall(r"Task watch\.tasks\.fan_out\[[^\]]+\] succeeded", log))
    assert chained >= AUDIENCE // BATCH - 1
