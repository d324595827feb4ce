"""Two dispatch sweeps at once, and a worker killed with SIGKILL in the middle
of a batch: every notification is still delivered, none is written twice,
and the receiver sees nothing but the deliveries' own ids (a second time
only for what was in flight when the worker died: at least once, with a
stable id).

200 webhooks to a receiver that takes 50 ms to answer; the two sweeps split
the claims between them (SKIP LOCKED) and publish one `deliver_batch` message
per 10 deliveries; once some have arrived the worker's whole process group is killed;
a new worker takes the rest of the queue; the lease sweep, run past the
lease, takes back what the dead worker held; the next dispatch sends it. The
dead worker's messages, returned by Redis once their visibility timeout has
passed, carry a stale lease token and are dropped.
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connections

from tests.builders import make_milestone, make_storyline, time_when
from tests.integration.support import (
    broker_messages, dispatch, restore_unacknowledged, wait_changes_processed, wait_for_idle_broker, wait_until,
)
from watch import services, tasks
from watch.models import Delivery, DeliveryAttempt, Notification

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WEBHOOKS = 200
SEND_BATCH = 10  # deliveries per deliver_batch message
SLOW_MS = 50
KILL_AFTER = 40  # requests received before the worker is killed


def sent(pks=None):
    qs = Delivery.objects.filter(state=Delivery.State.SENT)
    return qs.filter(pk__in=pks) if pks is not None else qs


def states():
    return Counter(Delivery.objects.values_list("state", flat=True))


def ids_of(messages) -> list[int]:
    return [pk for m in messages for pk in m["args"][0]]


def test_two_sweeps_and_a_killed_worker_still_deliver_everything_once_per_id(
    clock, worker, integ_redis, celery_on_redis, published, receiver, settings
):
    settings.WATCH_DELIVERY_SEND_BATCH = SEND_BATCH  # the dispatch runs here, in this process
    storyline = make_storyline()
    opens = clock + timedelta(days=1)
    make_milestone(now=clock, when=time_when(opens), storylines=[storyline], title="Ceasefire talks resume")
    wait_changes_processed()
    for n in range(WEBHOOKS):
        services.subscription_create(
            now=clock, email=f"desk{n}@example.org", storyline=storyline, send_email=False,
            webhook_url=receiver.url(f"/slow/{SLOW_MS}/desk{n}"), news=["reminders"], lead_times=["1h"],
            confirmed=True,
        )
    fire_at = opens - timedelta(hours=1) + timedelta(seconds=1)
    fired = services.fire_due_reminders(now=fire_at)
    assert (fired.fired, fired.fanout.deliveries) == (1, WEBHOOKS)
    public_ids = dict(Delivery.objects.values_list("pk", "public_id"))

    # Two dispatch sweeps at once, each in its own thread and connection.
    before = len(published)
    barrier = threading.Barrier(2)

    def sweep():
        barrier.wait(timeout=10)
        try:
            return tasks.dispatch_deliveries(now=fire_at.isoformat())
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        claimed = [f.result(timeout=60) for f in [pool.submit(sweep) for _ in range(2)]]
    assert sum(claimed) == WEBHOOKS and all(claimed), claimed
    handed_out = published[before:]
    assert [m["task"] for m in handed_out] == ["watch.tasks.deliver_batch"] * (WEBHOOKS // SEND_BATCH)
    assert sorted(ids_of(handed_out)) == sorted(public_ids)  # every delivery in one message, none in two
    assert all(m["eta"] is None and m["countdown"] is None and m["queue"] == "delivery" for m in handed_out)

    # Kill the worker, process group and all, in the middle of the batch.
    wait_until(lambda: receiver.count() >= KILL_AFTER, timeout=60, what=f"{KILL_AFTER} webhooks to arrive",
               seen=lambda: (receiver.count(), states()))
    worker.kill()
    at_kill = receiver.count()
    assert at_kill < WEBHOOKS, "the batch ended before the kill; make the receiver slower"
    held = {  # the deliveries whose messages the dead worker had taken and not acknowledged
        pk for m in broker_messages(celery_on_redis)
        if m.where == "unacked" and m.task == "watch.tasks.deliver_batch" for pk in m.args[0]
    }

    # A new worker takes the rest of the queue, whose claims are still valid.
    worker.start()
    wait_for_idle_broker(
        celery_on_redis, timeout=90, what="the new worker to deliver what was still queued",
        ignore=lambda m: m.where == "unacked" and m.task == "watch.tasks.deliver_batch" and set(m.args[0]) <= held,
    )
    stuck = set(Delivery.objects.filter(state=Delivery.State.SENDING).values_list("pk", flat=True))
    assert sent().count() + len(stuck) == WEBHOOKS
    # Left behind: what the dead worker held, and at most the one message its
    # main process had popped from the queue but not yet noted as unacked
    # (the Redis transport loses that one; only the lease brings it back).
    assert any(stuck - held <= set(m["args"][0]) for m in handed_out), (stuck, held)
    started = set(
        Delivery.objects.filter(pk__in=stuck, send_started_at__isnull=False).values_list("pk", flat=True)
    )
    assert started <= held

    # The lease sweep, past the lease, takes back what the dead worker held...
    lease_ends = fire_at + timedelta(seconds=settings.WATCH_DELIVERY_LEASE_SECONDS)
    assert tasks.reclaim_leases(now=(lease_ends + timedelta(seconds=1)).isoformat()) == len(stuck)
    lost = DeliveryAttempt.objects.filter(outcome=DeliveryAttempt.Outcome.LOST)
    assert set(lost.values_list("delivery_id", flat=True)) == started
    # ...and the next dispatch sends it again, under a new claim.
    again, messages = dispatch(lease_ends + timedelta(days=1), published)
    assert again == len(stuck) == len(ids_of(messages))
    wait_until(lambda: sent().count() == WEBHOOKS, timeout=60, what="every delivery to be sent", seen=states)

    # Redis hands the dead worker's messages out again once their visibility
    # timeout has passed (an hour; here, now): stale claims, dropped unsent.
    received_before = receiver.count()
    restore_unacknowledged(integ_redis[0])
    wait_for_idle_broker(celery_on_redis, what="the new worker to drop the dead worker's messages")
    assert receiver.count() == received_before

    # Every notification delivered; none written twice.
    assert states() == {Delivery.State.SENT: WEBHOOKS}
    notifications = Notification.objects.all()
    assert notifications.count() == WEBHOOKS
    assert len(set(notifications.values_list("endpoint_id", "item_id", "cause"))) == WEBHOOKS
    assert len(set(notifications.values_list("delivery_id", flat=True))) == WEBHOOKS
    for pk in public_ids:
        outcomes = list(DeliveryAttempt.objects.filter(delivery_id=pk).values_list("outcome", flat=True))
        assert outcomes == (["lost", "sent"] if pk in started else ["sent"]), (pk, outcomes)

    # The receiver saw exactly the deliveries' ids; a second time only what
    # was in flight when the worker died.
    seen = Counter(r.webhook_id for r in receiver.requests)
    assert set(seen) == set(public_ids.values())
    in_flight = {public_ids[pk] for pk in started}
    repeated = {webhook_id for webhook_id, times in seen.items() if times > 1}
    assert repeated <= in_flight
    assert max(seen.values()) <= 2
    print(f"killed after {at_kill} requests; the dead worker held {len(held)} messages, {len(started)} of them "
          f"mid-send; {len(stuck)} reclaimed; {len(repeated)} ids arrived twice")
