"""A delivery whose lease expired is taken back: re-queued if no worker took
it, counted as a failed attempt if one took it and never reported back."""

from datetime import date, timedelta

import pytest

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import LEASE, subscribe
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services
from watch.channels.registry import override_channel
from watch.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(now):
    storyline = make_storyline(slug="leases")
    milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline])
    subscribe(now=now, storyline="leases", news=["moves"])
    timeline.milestone_confirm(milestone=milestone, by=SYSTEM, now=now)
    services.process_changes(now=now)
    [claim] = services.deliveries_claim(now=now, batch=10, lease=LEASE)
    return claim


def test_nothing_is_reclaimed_while_the_lease_runs(claim, now):
    assert services.deliveries_reclaim(now=now + LEASE - timedelta(seconds=1)) == 0
    assert Delivery.objects.get().state == "sending"


def test_a_delivery_no_worker_took_goes_back_to_pending_without_an_attempt(claim, now, email_channel):
    later = now + LEASE
    assert services.deliveries_reclaim(now=later) == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("pending", 0, later)

    # The message of the lost claim turns up late: it is not ours any more.
    assert services.deliver(delivery_id=claim.delivery_id, lease_token=claim.lease_token, now=later) == "not-claimed"
    # A new claim sends it, with the same id.
    [again] = services.deliveries_claim(now=later, batch=10, lease=LEASE)
    assert services.deliver(delivery_id=again.delivery_id, lease_token=again.lease_token, now=later) == "sent"
    assert [o.delivery_id for o in email_channel.sent] == [delivery.public_id]


def test_a_worker_lost_mid_send_counts_as_a_failed_attempt(claim, now, settings):
    # The worker started sending (the attempt is counted first), then died.
    Delivery.objects.filter(pk=claim.delivery_id).update(attempts=1, send_started_at=now)

    assert services.deliveries_reclaim(now=now + LEASE) == 1
    delivery = Delivery.objects.get()
    assert delivery.state == "failed"
    low, high = services.retry_delay_bounds(1)
    assert now + LEASE + low <= delivery.next_attempt_at <= now + LEASE + high
    assert list(delivery.attempts_made.values_list("number", "outcome")) == [(1, "lost")]


def test_a_delivery_that_keeps_killing_its_worker_ends_dead(claim, now, settings):
    settings.WATCH_MAX_ATTEMPTS = 2
    Delivery.objects.filter(pk=claim.delivery_id).update(attempts=2, send_started_at=now)
    services.deliveries_reclaim(now=now + LEASE)
    assert Delivery.objects.get().state == "dead"


class ReclaimedWhileSending:
    """A channel so slow that the lease sweep runs while it sends."""

    name = "email"

    def __init__(self, *, sweep_at, claim_again: bool):
        self.sweep_at, self.claim_again = sweep_at, claim_again

    def send(self, outgoing):
        services.deliveries_reclaim(now=self.sweep_at)
        if self.claim_again:
            services.deliveries_claim(now=self.sweep_at + timedelta(days=1), batch=10, lease=LEASE)
        return "250 ok, eventually"


def test_a_slow_success_after_a_reclaim_is_still_recorded_as_sent(claim, now):
    with override_channel("email", ReclaimedWhileSending(sweep_at=now + LEASE, claim_again=False)):
        assert services.deliver(delivery_id=claim.delivery_id, lease_token=claim.lease_token, now=now) == "sent"

    delivery = Delivery.objects.get()
    assert delivery.state == "sent"
    assert list(delivery.attempts_made.values_list("number", "outcome")) == [(1, "lost"), (1, "sent")]


def test_a_slow_outcome_does_not_overwrite_a_newer_claim(claim, now):
    with override_channel("email", ReclaimedWhileSending(sweep_at=now + LEASE, claim_again=True)):
        services.deliver(delivery_id=claim.delivery_id, lease_token=claim.lease_token, now=now)

    delivery = Delivery.objects.get()
    assert delivery.state == "sending" and delivery.lease_token != claim.lease_token
    late = delivery.attempts_made.get(outcome="sent")
    assert "the lease had expired" in late.note


def test_a_message_that_arrives_after_its_lease_sends_nothing(claim, now, email_channel):
    late = now + LEASE + timedelta(minutes=1)
    assert services.deliver(delivery_id=claim.delivery_id, lease_token=claim.lease_token, now=late) == "lease-expired"
    assert email_channel.attempts == []
