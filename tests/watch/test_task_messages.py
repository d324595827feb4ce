"""What the tasks put on the broker: one `deliver_batch` message per
WATCH_DELIVERY_SEND_BATCH claimed deliveries on the "delivery" queue, never
with an ETA; and one processing
message when a change row commits (none when it rolls back)."""

import base64
import json
from datetime import date, timedelta

import pytest
from django.db import transaction

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import subscribe
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services, tasks
from watch.models import Delivery

pytestmark = pytest.mark.django_db


def messages(client, queue):
    return [json.loads(raw) for raw in client.lrange(queue, 0, -1)]


@pytest.fixture
def pending_deliveries(now):
    storyline = make_storyline(slug="queue")
    milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline])
    for n in range(3):
        subscribe(f"reader{n}@example.org", now=now, storyline="queue", news=["moves"])
    timeline.milestone_confirm(milestone=milestone, by=SYSTEM, now=now)
    services.process_changes(now=now)
    return Delivery.objects.all()


def test_dispatch_sends_one_message_per_batch_of_claimed_deliveries_and_no_more(
    pending_deliveries, now, broker, settings, django_capture_on_commit_callbacks
):
    settings.WATCH_DELIVERY_SEND_BATCH = 2
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch_deliveries(now=now.isoformat()) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch_deliveries(now=(now + timedelta(minutes=1)).isoformat()) == 0

    sent = messages(broker, "delivery")
    batches = [json.loads(_body(m)) for m in reversed(sent)]  # oldest first
    assert [len(args[0]) for args, _, _ in batches] == [2, 1]
    handed_out = [pk for args, _, _ in batches for pk in args[0]]
    assert sorted(handed_out) == sorted(pending_deliveries.values_list("pk", flat=True))
    for message, (args, kwargs, _) in zip(reversed(sent), batches):
        headers = message["headers"]
        assert headers["task"] == "watch.tasks.deliver_batch"
        assert headers["eta"] is None and headers.get("countdown") is None
        assert {kwargs["lease_token"]} == set(Delivery.objects.filter(pk__in=args[0]).values_list("lease_token", flat=True))
    assert broker.llen("sweeps") == 0


def test_a_committed_transaction_of_changes_queues_processing_once(
    now, broker, django_capture_on_commit_callbacks
):
    storyline = make_storyline(slug="receiver")
    # A transaction that rolls back queues nothing.
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                make_milestone(now=now, when=day_when(date(2027, 1, 24)), storylines=[storyline])
                raise RuntimeError("the editor's transaction fails")
        except RuntimeError:
            pass
    assert broker.llen("sweeps") == 0

    # One that commits three change rows queues one processing message.
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline])
            timeline.milestone_confirm(milestone=milestone, by=SYSTEM, now=now)
            timeline.milestone_postpone(milestone=milestone, by=SYSTEM, now=now, when=day_when(date(2027, 2, 1)))
    assert [m["headers"]["task"] for m in messages(broker, "sweeps")] == ["watch.tasks.process_changes"]


def test_sweeps_take_an_iso_now(pending_deliveries, now):
    with pytest.raises(Exception, match="UTC offset"):
        tasks.reclaim_leases(now="2026-11-25T12:00:00")
    assert tasks.reclaim_leases(now=now.isoformat()) == 0


def _body(message):
    return base64.b64decode(message["body"]).decode()
