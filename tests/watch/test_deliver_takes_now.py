"""`deliver` works at the moment its caller gives it and never reads the clock
itself: the lease check, the re-check, the signing secrets and every time it
records are that `now`. The `deliver` task reads the worker's clock once, or
takes an ISO `now` like the sweeps do."""

from datetime import date, datetime, timedelta, timezone

import pytest

from core.errors import InvalidInput
from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import LEASE, subscribe
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services, tasks
from watch.models import Delivery, DeliveryAttempt, Endpoint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loopback_webhooks")]

# Years away from the machine's clock: a time read from the clock would show.
FAR = datetime(2031, 3, 4, 5, 6, 7, tzinfo=timezone.utc)


def claimed_delivery(now, **subscription):
    storyline = make_storyline(slug="now-driven")
    milestone = make_milestone(now=now, when=day_when(date(2032, 1, 23)), storylines=[storyline])
    subscribe(now=now, storyline="now-driven", news=["moves"], **subscription)
    timeline.milestone_confirm(milestone=milestone, by=SYSTEM, now=now)
    services.process_changes(now=now)
    [claim] = services.deliveries_claim(now=now, batch=10, lease=LEASE)
    return claim


def test_every_time_a_delivery_records_is_the_now_it_was_given(email_channel):
    claim = claimed_delivery(FAR)

    assert services.deliver(delivery_id=claim.delivery_id, lease_token=claim.lease_token, now=FAR) == "sent"

    delivery = Delivery.objects.get(pk=claim.delivery_id)
    assert (delivery.sent_at, delivery.updated_at) == (FAR, FAR)
    [attempt] = DeliveryAttempt.objects.filter(delivery=delivery)
    assert attempt.started_at == FAR
    # The attempt ends when the channel returned: `now` plus the time the send took.
    assert FAR <= attempt.finished_at < FAR + timedelta(seconds=5)


def test_a_failure_is_retried_from_the_now_it_was_given(email_channel):
    from watch.channels.base import DeliveryError

    claim = claimed_delivery(FAR)
    email_channel.failures = [DeliveryError("421 try later", retryable=True)]

    assert services.deliver(delivery_id=claim.delivery_id, lease_token=claim.lease_token, now=FAR) == "failed"

    low, high = services.retry_delay_bounds(1)
    delivery = Delivery.objects.get(pk=claim.delivery_id)
    assert FAR + low <= delivery.next_attempt_at <= FAR + high


def test_the_secrets_that_sign_are_those_of_the_given_now(webhook_channel, settings):
    settings.WATCH_SECRET_ROTATION_OVERLAP = timedelta(hours=72)
    claim = claimed_delivery(FAR, send_email=False, webhook_url="http://127.0.0.1:9/hook")
    endpoint = Endpoint.objects.get(kind=Endpoint.Kind.WEBHOOK)
    old = endpoint.secret
    new = services.webhook_rotate_secret(endpoint=endpoint, now=FAR - timedelta(hours=73))

    # Rotated 73 hours before `now`: the real clock (years earlier) would still
    # sign with both; at `now` the old secret has expired.
    assert services.deliver(delivery_id=claim.delivery_id, lease_token=claim.lease_token, now=FAR) == "sent"
    [outgoing] = webhook_channel.sent
    assert outgoing.webhook_secrets == (new,)
    assert old not in outgoing.webhook_secrets


def test_the_lease_is_checked_against_the_given_now(email_channel):
    claim = claimed_delivery(FAR)

    after_the_lease = FAR + LEASE
    assert services.deliver(delivery_id=claim.delivery_id, lease_token=claim.lease_token,
                            now=after_the_lease) == "lease-expired"
    assert Delivery.objects.get(pk=claim.delivery_id).attempts == 0


def test_deliver_needs_an_aware_now(email_channel):
    claim = claimed_delivery(FAR)

    with pytest.raises(TypeError):
        services.deliver(delivery_id=claim.delivery_id, lease_token=claim.lease_token)
    with pytest.raises(InvalidInput):
        services.deliver(delivery_id=claim.delivery_id, lease_token=claim.lease_token, now=FAR.replace(tzinfo=None))


def test_the_task_passes_an_iso_now_through(email_channel):
    claim = claimed_delivery(FAR)

    assert tasks.deliver(claim.delivery_id, now=FAR.isoformat(), lease_token=claim.lease_token) == "sent"
    assert Delivery.objects.get(pk=claim.delivery_id).sent_at == FAR


def test_the_task_without_now_reads_the_workers_clock_once(email_channel):
    from django.utils import timezone as django_timezone

    before = django_timezone.now()
    claim = claimed_delivery(before)

    assert tasks.deliver(claim.delivery_id, lease_token=claim.lease_token) == "sent"

    delivery = Delivery.objects.get(pk=claim.delivery_id)
    [attempt] = DeliveryAttempt.objects.filter(delivery=delivery)
    assert before <= attempt.started_at <= django_timezone.now()
    # One reading for the whole attempt: the delivery's times are the attempt's start.
    assert delivery.sent_at == delivery.updated_at == attempt.started_at
