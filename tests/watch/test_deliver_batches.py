"""A batch of claimed deliveries is sent by one task: each delivery gets the
same re-check, the same outcome and the same attempt row as when sent alone,
the bookkeeping costs the same few queries whatever the batch's size, and a
batch that would outlast its lease hands the rest back unsent."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import LEASE, subscribe
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services
from watch.channels.base import DeliveryError
from watch.models import Delivery, DeliveryAttempt

pytestmark = pytest.mark.django_db


def moved_news_to(now, count, *, slug="batches"):
    """`count` readers of one storyline, each owed one email about a confirmed milestone."""
    storyline = make_storyline(slug=slug)
    milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline])
    subscriptions = [
        subscribe(f"reader{n}@{slug}.example.org", now=now, storyline=slug, news=["moves"]) for n in range(count)
    ]
    timeline.milestone_confirm(milestone=milestone, by=SYSTEM, now=now)
    services.process_changes(now=now)
    return subscriptions


def claim_all(now, lease=LEASE):
    claims = services.deliveries_claim(now=now, batch=1000, lease=lease)
    return [claim.delivery_id for claim in claims], claims[0].lease_token


def test_a_batch_records_each_outcome_as_a_lone_send_would(now, email_channel):
    subscriptions = moved_news_to(now, 4)
    services.subscription_unsubscribe(subscription=subscriptions[0], now=now)
    email_channel.failures = [
        DeliveryError("451 try again later", retryable=True),
        DeliveryError("550 no such mailbox", retryable=False),
    ]
    ids, token = claim_all(now)

    states = services.deliveries_send(delivery_ids=ids, now=now, lease_token=token)

    by_address = {d.endpoint.address: d for d in Delivery.objects.select_related("endpoint")}
    withdrawn = by_address["reader0@batches.example.org"]
    assert states[withdrawn.pk] == "withdrawn" and withdrawn.state == "withdrawn"
    assert "No active subscription of this endpoint covers the item" in withdrawn.withdrawn_reason
    assert withdrawn.attempts == 0 and not withdrawn.attempts_made.exists()

    # The other three were sent in claim order: a retryable failure, a permanent one, a success.
    failed, dead, sent = (by_address[f"reader{n}@batches.example.org"] for n in (1, 2, 3))
    assert [states[d.pk] for d in (failed, dead, sent)] == ["failed", "dead", "sent"]
    assert failed.state == "failed" and failed.last_error == "451 try again later"
    low, high = services.retry_delay_bounds(1)
    assert now + low <= failed.next_attempt_at <= now + high
    assert dead.state == "dead" and dead.next_attempt_at is None
    assert sent.state == "sent" and sent.sent_at == now and sent.last_error == ""
    for delivery in (failed, dead, sent):
        assert delivery.attempts == 1 and delivery.lease_token == "" and delivery.send_started_at is None
        [attempt] = delivery.attempts_made.all()
        assert (attempt.number, attempt.outcome, attempt.started_at) == (1, delivery.state, now)
    assert [o.address for o in email_channel.attempts] == [
        f"reader{n}@batches.example.org" for n in (1, 2, 3)
    ]


def test_the_bookkeeping_of_a_batch_does_not_grow_with_its_size(now, email_channel):
    moved_news_to(now, 3, slug="small")
    small, token = claim_all(now)
    with CaptureQueriesContext(connection) as three:
        services.deliveries_send(delivery_ids=small, now=now, lease_token=token)

    moved_news_to(now, 30, slug="large")
    large, token = claim_all(now)
    with CaptureQueriesContext(connection) as thirty:
        services.deliveries_send(delivery_ids=large, now=now, lease_token=token)

    assert len(email_channel.sent) == 33
    assert Delivery.objects.filter(state="sent").count() == 33
    assert len(thirty.captured_queries) == len(three.captured_queries)
    # Read the deliveries, their notifications, the re-check, count the
    # attempts, then one transaction: lock, outcomes, attempt rows.
    assert len(thirty.captured_queries) <= 10


def test_a_message_of_an_earlier_claim_sends_nothing(now, email_channel):
    moved_news_to(now, 2)
    ids, _ = claim_all(now)

    states = services.deliveries_send(delivery_ids=ids, now=now, lease_token="an-earlier-claim")

    assert set(states.values()) == {"not-claimed"}
    assert email_channel.attempts == []
    assert set(Delivery.objects.values_list("state", "attempts")) == {("sending", 0)}


def test_a_batch_that_would_outlast_its_lease_hands_the_rest_back(now, email_channel, settings):
    # The slowest send (the channels' timeouts) no longer fits in what is
    # left of the lease once the first is out: the rest go back unsent.
    settings.EMAIL_TIMEOUT = 10
    moved_news_to(now, 3)
    ids, token = claim_all(now, lease=timedelta(seconds=5))

    states = services.deliveries_send(delivery_ids=ids, now=now, lease_token=token)

    assert [states[pk] for pk in ids] == ["sent", "handed-back", "handed-back"]
    assert len(email_channel.sent) == 1
    for delivery in Delivery.objects.filter(pk__in=ids[1:]):
        assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("pending", 0, now)
        assert delivery.lease_token == "" and delivery.send_started_at is None
        assert "ran out of lease" in delivery.last_error
    assert DeliveryAttempt.objects.count() == 1
    # Handed back, they are claimed and sent by the next dispatch.
    ids, token = claim_all(now)
    assert set(services.deliveries_send(delivery_ids=ids, now=now, lease_token=token).values()) == {"sent"}
    assert len(email_channel.sent) == 3
