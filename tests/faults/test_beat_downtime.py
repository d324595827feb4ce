"""Beat stopped for an hour of controlled time, then two beats at once.

The sweeps take `now`, so the hour is the test's: from T (now) nothing runs
until T+60 min; then every sweep is sent to the real worker twice at the
same moment (two beats by mistake: its two pool processes run them side by
side), and again at T+75 min. What must hold:

- milestone A opens at T+50: its 30 min reminder fell due at T+20, during
  the downtime, but its window has opened: no reminder for A, ever;
- milestone B opens at T+100: its 1 h reminder fell due at T+40 (sent once
  at T+60, late but before the window), its 30 min one at T+70 (sent once at T+75);
- expectation E's deadline passed at T+30: overdue noticed once, and with a
  grace of 10 minutes, missed once by the system, its verdict news sent once;
- the receivers, by id: each of those once per endpoint, nothing else.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.utils import timezone

from tests.builders import make_expectation, make_milestone, time_when, window_when
from tests.faults.support import newsroom
from tests.integration.support import wait_for_idle_broker
from timeline.models import Change, Item
from watch.models import Delivery, Notification


def two_beats(app, broker, at):
    """Every sweep of the beat schedule, sent twice at `at` (the order beat uses)."""
    for name in ("timeline.tasks.sweep_overdue", "watch.tasks.process_changes", "watch.tasks.fire_reminders",
                 "watch.tasks.reclaim_leases", "watch.tasks.dispatch_deliveries"):
        for _ in range(2):
            app.send_task(name, kwargs={"now": at.isoformat()}, queue="sweeps")
        wait_for_idle_broker(broker, timeout=60, what=f"both beats' {name} at {at:%H:%M}")
    # What the dispatch handed out, sent (the worker's deliver tasks).
    wait_for_idle_broker(broker, timeout=60, what="the deliveries")


def test_an_hour_without_beat_then_two_beats_send_each_due_reminder_once(
    worker, private_redis, celery_on_private_redis, published, mailbox, receiver
):
    T = timezone.now().replace(second=0, microsecond=0)
    broker = private_redis.client()
    room = newsroom(receiver, webhooks=3, emails=2, milestones=0, news=("reminders", "verdicts"), now=T,
                    lead_times=("1h", "30m"))
    a = make_milestone(now=T, when=time_when(T + timedelta(minutes=50)), storylines=[room.storyline],
                       title="A: opens during the downtime")
    b = make_milestone(now=T, when=time_when(T + timedelta(minutes=100)), storylines=[room.storyline],
                       title="B: opens after it")
    e = make_expectation(now=T, when=window_when(T - timedelta(days=1), T + timedelta(minutes=30)),
                         storylines=[room.storyline], title="E: due during the downtime",
                         grace_period=timedelta(minutes=10))
    wait_for_idle_broker(broker, timeout=60)  # the creations' change rows, processed at once (no news wanted)
    assert not Delivery.objects.exists()

    # ... an hour passes with no beat ...
    two_beats(celery_on_private_redis, broker, T + timedelta(minutes=60))
    two_beats(celery_on_private_redis, broker, T + timedelta(minutes=75))

    reminders = Notification.objects.filter(kind="reminder")
    by_item = Counter(reminders.values_list("item_id", "lead"))
    assert (a.pk, timedelta(minutes=30)) not in by_item and (a.pk, timedelta(hours=1)) not in by_item
    assert by_item == {(b.pk, timedelta(hours=1)): room.endpoints, (b.pk, timedelta(minutes=30)): room.endpoints}
    e = Item.objects.get(pk=e.pk)
    assert e.status == "missed"
    assert Change.objects.filter(item=e, kind="overdue_noticed").count() == 1
    assert Change.objects.filter(item=e, kind="settled").count() == 1
    verdicts = Notification.objects.filter(item=e)
    assert verdicts.count() == room.endpoints
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}
    # At the receivers, by id: one per delivery, 3 pieces of news per endpoint.
    hooks = Counter(r.webhook_id for r in receiver.requests)
    assert set(hooks.values()) == {1} and len(hooks) == room.webhooks * 3
    assert len(mailbox.messages()) == room.emails * 3
    texts = [r.json()["data"]["item"]["title"] for r in receiver.requests]
    assert not any(t.startswith("A:") for t in texts)
