"""The SMTP server and the webhook receiver down, for real (the SMTP server
stopped: connections refused; the receiver answering 503), against a real
worker: for the length of several retries, each failure is recorded with a
later next attempt (the backoff), the worker stays free (its tasks end; the
broker empties after every round), and once they are back everything is
delivered with the id it had from the start. Down past the last retry
(WATCH_MAX_ATTEMPTS, 4 here): dead, listed for an admin with every attempt,
and resent by the admin under the same id once the receivers are back.

Retries are driven by running the dispatch sweep at the moments the
deliveries fall due (their next_attempt_at), as beat would each minute.
"""

from __future__ import annotations

from datetime import timedelta

from aiosmtpd.controller import Controller
from django.utils import timezone

from tests.api.conftest import API, token_client
from tests.builders import time_when
from tests.factories import make_admin
from tests.integration.support import MAX_ATTEMPTS
from tests.faults.support import count_by_id, newsroom, states
from tests.integration.support import dispatch, wait_for_idle_broker, wait_until
from timeline import services as timeline
from timeline.models import SYSTEM
from watch.models import Delivery, DeliveryAttempt


class Outage:
    """Both receivers down or up, switched by the test (both run in this process)."""

    def __init__(self, mailbox, receiver):
        self.mailbox, self.receiver = mailbox, receiver
        self._answer = receiver._answer
        self.down = False

    def stop(self):
        self.down = True
        self.mailbox.controller.stop()
        self.receiver._answer = lambda path: 503

    def start(self):
        self.down = False
        controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.mailbox.port)
        controller.start()
        self.mailbox.controller = controller
        self.receiver._answer = self._answer


def round_of_retries(broker, published, at):
    """One dispatch sweep at `at`, and the worker's sends to their end."""
    claimed, _ = dispatch(at, published)
    wait_for_idle_broker(broker, timeout=60, what="the worker to finish a round of retries")
    return claimed


def postpone_all(room):
    now = timezone.now()
    for n, milestone in enumerate(room.milestones):
        milestone.refresh_from_db()
        timeline.milestone_postpone(milestone=milestone, by=SYSTEM, now=now,
                                    when=time_when(now + timedelta(days=5, hours=n)))


def settled_room(receiver, broker):
    room = newsroom(receiver, webhooks=4, emails=3, milestones=1, news=("moves",))
    wait_for_idle_broker(broker, timeout=60)
    return room


def test_down_for_several_retries_then_back_everything_arrives_once_per_id(
    worker, private_redis, published, mailbox, receiver
):
    broker = private_redis.client()
    room = settled_room(receiver, broker)
    outage = Outage(mailbox, receiver)
    outage.stop()
    try:
        postpone_all(room)  # the worker fans out and tries at once: refused, 503
        wait_until(lambda: Delivery.objects.filter(state=Delivery.State.FAILED).count() == room.endpoints,
                   timeout=60, what="every first attempt to fail", seen=states)
        at = timezone.now()
        for _ in range(MAX_ATTEMPTS - 2):  # more failures, short of the last attempt
            at = max(Delivery.objects.values_list("next_attempt_at", flat=True)) + timedelta(seconds=1)
            assert round_of_retries(broker, published, at) == room.endpoints
            assert worker.alive()
    finally:
        outage.start()
    at = max(Delivery.objects.values_list("next_attempt_at", flat=True)) + timedelta(seconds=1)
    round_of_retries(broker, published, at)

    assert states() == {Delivery.State.SENT: room.endpoints}, states()
    for delivery in Delivery.objects.all():
        attempts = list(DeliveryAttempt.objects.filter(delivery=delivery).order_by("pk"))
        assert [a.outcome for a in attempts] == ["failed"] * (MAX_ATTEMPTS - 1) + ["sent"], attempts
    failed = DeliveryAttempt.objects.filter(outcome="failed")
    assert failed.count() == room.endpoints * (MAX_ATTEMPTS - 1)
    hooks, mails = count_by_id(mailbox, receiver)
    ids = set(Delivery.objects.values_list("public_id", flat=True))
    # The receiver saw every attempt (each under the delivery's one id); the mailbox only the last.
    assert set(hooks) | set(mails) == ids
    assert set(hooks.values()) == {MAX_ATTEMPTS} and set(mails.values()) == {1}


def test_down_past_the_last_retry_is_dead_visible_and_resent_with_the_same_id(
    worker, private_redis, published, mailbox, receiver
):
    broker = private_redis.client()
    room = settled_room(receiver, broker)
    outage = Outage(mailbox, receiver)
    outage.stop()
    try:
        postpone_all(room)
        wait_until(lambda: Delivery.objects.filter(state=Delivery.State.FAILED).count() == room.endpoints,
                   timeout=60, what="every first attempt to fail", seen=states)
        for _ in range(MAX_ATTEMPTS - 1):
            at = max(Delivery.objects.values_list("next_attempt_at", flat=True)) + timedelta(seconds=1)
            round_of_retries(broker, published, at)
        assert states() == {Delivery.State.DEAD: room.endpoints}, states()
        assert worker.alive()
    finally:
        outage.start()

    admin = token_client(make_admin("ops"))
    listed = admin.get(f"{API}/deliveries/?state=dead").json()["results"]
    assert len(listed) == room.endpoints
    assert all(entry["attempt_count"] == MAX_ATTEMPTS and entry["last_error"] for entry in listed), listed[0]
    ids = {entry["message_id"] for entry in listed}
    for entry in listed:
        response = admin.post(f"{API}/deliveries/{entry['id']}/resend/")
        assert response.status_code == 200, response.content
    round_of_retries(broker, published, timezone.now() + timedelta(seconds=1))

    assert states() == {Delivery.State.SENT: room.endpoints}, states()
    hooks, mails = count_by_id(mailbox, receiver)
    assert set(hooks) | set(mails) == set(Delivery.objects.values_list("public_id", flat=True))
    assert len(mails) == room.emails and set(mails.values()) == {1}
    assert ids  # the API names each delivery by its id, the one the receivers dedupe on
