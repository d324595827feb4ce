"""A real worker SIGKILLed twenty times, in the middle of fan-out and in the
middle of delivery, with Redis and PostgreSQL: every notification owed is
delivered, none is written twice, and the receivers, counting by id, see
nothing but the deliveries' own ids (a second time only for a delivery that
was in flight when its worker died).

Each round postpones one of the storyline's milestones (a change row: news
for every subscriber), committed by this process; the commit queues the
worker's fan-out (process_changes), which hands out the deliveries. Even
rounds kill the worker's process group as soon as the fan-out has started
(the change row is taken but not processed), odd rounds once some of the
round's deliveries have reached the receivers. A new worker starts each time.
At the end the minute sweeps run (recover): unprocessed rows processed,
expired leases taken back, due deliveries handed out, and the messages the
dead workers held given back by Redis, as its visibility timeout would.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from tests.faults.support import assert_each_owed_delivered_once_per_id, newsroom, recover, restore_held, states
from tests.integration.support import wait_changes_processed, wait_until
from timeline import services as timeline
from timeline.models import SYSTEM, Change
from tests.builders import time_when
from watch.models import Delivery, Notification

KILLS = 20
WEBHOOKS = 20
EMAILS = 6
MILESTONES = KILLS  # one postponement each: no news is superseded (and withdrawn) by a later one


def test_twenty_kills_mid_fanout_and_mid_delivery_lose_nothing_and_write_nothing_twice(
    worker, private_redis, published, mailbox, receiver, capsys
):
    rng = random.Random(13)
    room = newsroom(receiver, webhooks=WEBHOOKS, emails=EMAILS, milestones=MILESTONES, slow_ms=10)
    broker = private_redis.client()
    wait_changes_processed(timeout=60)  # the milestones' "new item" news, unharmed...
    wait_until(lambda: states() and set(states()) == {Delivery.State.SENT}, timeout=120,
               what="the new-item news to be delivered before the storm", seen=states)  # ...and delivered
    log = []

    for round_ in range(KILLS):
        milestone = room.milestones[round_ % MILESTONES]
        milestone.refresh_from_db()
        now = timezone.now()
        before_hooks = receiver.count()
        change_count = Change.objects.count()
        timeline.milestone_postpone(milestone=milestone, by=SYSTEM, now=now,
                                    when=time_when(now + timedelta(days=3, minutes=round_)))
        change = Change.objects.order_by("-pk").first()
        assert Change.objects.count() == change_count + 1
        if round_ % 2 == 0:
            # Mid fan-out: as soon as the worker has taken the processing message.
            wait_until(lambda: any(m for m in _taken(broker, "watch.tasks.process_changes")) or
                       Notification.objects.filter(change=change).exists(),
                       timeout=30, interval=0.005, what="the worker to start the fan-out")
            where = "fan-out"
        else:
            # Mid delivery: once part of this round's news has arrived.
            target = before_hooks + rng.randint(2, WEBHOOKS // 2)
            wait_until(lambda: receiver.count() >= target, timeout=60, interval=0.01,
                       what=f"round {round_}: deliveries to start arriving", seen=states)
            where = "delivery"
        worker.kill()
        log.append((round_, where, Notification.objects.filter(change=change).count(),
                    receiver.count() - before_hooks))
        worker.start()

    # The minute sweeps after the storm, and Redis's hand-back of what the dead held.
    recover(broker, published)
    restore_held(private_redis.url, broker)
    recover(broker, published, what="the last deliveries")

    changes = list(Change.objects.filter(kind="postponed"))
    assert len(changes) == KILLS
    counts = assert_each_owed_delivered_once_per_id(room, mailbox, receiver, changes=changes)
    assert Delivery.objects.filter(state=Delivery.State.DEAD).count() == 0
    mid_fanout = [entry for entry in log if entry[1] == "fan-out"]
    assert len(mid_fanout) == KILLS // 2
    with capsys.disabled():
        print(f"\n[faults] {KILLS} SIGKILLs ({len(mid_fanout)} mid fan-out, {KILLS - len(mid_fanout)} mid delivery); "
              f"{counts['notifications']} notifications checked, {counts['deliveries']} deliveries, "
              f"{counts['webhook requests']} webhook requests and {counts['emails']} emails received, "
              f"{counts['repeats']} repeats, all of known ids; per kill (round, where, notifications written, "
              f"webhooks of the round received): {log}")


def _taken(broker, task):
    from tests.integration.support import broker_messages

    return [m for m in broker_messages(broker) if m.where == "unacked" and m.task == task]
