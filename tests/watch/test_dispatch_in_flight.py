"""Dispatch claims no more than the workers can send within a lease
(WATCH_DELIVERY_IN_FLIGHT) and, stopped by that cap, queues itself behind the
sends it handed out, so the rest is claimed as the workers reach it; it never
queues itself when it claimed nothing."""

import base64
import json

import pytest

from tests.watch.support import LEASE
from tests.watch.test_delivery_claim import make_deliveries
from watch import services, tasks
from watch.models import Delivery

pytestmark = pytest.mark.django_db


def queued(client):
    return [json.loads(raw)["headers"]["task"] for raw in client.lrange("delivery", 0, -1)]


def test_the_cap_stops_the_claim_and_the_next_dispatch_waits_behind_the_sends(
    now, broker, settings, django_capture_on_commit_callbacks
):
    settings.WATCH_DELIVERY_BATCH = 2
    settings.WATCH_DELIVERY_IN_FLIGHT = 3
    make_deliveries(now, 5)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch_deliveries(now=now.isoformat()) == 3

    # Redis lists are pushed on the left and popped on the right: oldest last.
    # Two claims (of 2, then of the 1 the cap leaves room for): one batch message each.
    assert list(reversed(queued(broker))) == ["watch.tasks.deliver_batch"] * 2 + ["watch.tasks.dispatch_deliveries"]
    assert Delivery.objects.filter(state="sending").count() == 3
    [message] = [json.loads(raw) for raw in broker.lrange("delivery", 0, 0)]
    assert json.loads(base64.b64decode(message["body"]))[1] == {"now": now.isoformat()}

    # While all three are still sending, a dispatch claims nothing and queues nothing.
    broker.delete("delivery")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch_deliveries(now=now.isoformat()) == 0
    assert queued(broker) == []

    # Once they are sent, the rest fits under the cap: claimed, and no dispatch queued.
    for delivery in Delivery.objects.filter(state="sending"):
        Delivery.objects.filter(pk=delivery.pk).update(state="sent")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch_deliveries(now=now.isoformat()) == 2
    assert queued(broker) == ["watch.tasks.deliver_batch"]


def test_in_flight_counts_only_leases_still_running(now):
    make_deliveries(now, 2)
    services.deliveries_claim(now=now, batch=10, lease=LEASE)
    assert services.deliveries_in_flight(now=now) == 2
    assert services.deliveries_in_flight(now=now + LEASE) == 0
