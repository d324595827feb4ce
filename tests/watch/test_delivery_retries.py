"""A failed send is retried with exponential backoff and jitter, keeping its
id; after the last attempt, or on a permanent error, the delivery is dead."""

import random
from datetime import date, timedelta

import pytest

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import send_due, subscribe
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services
from watch.channels.base import DeliveryError
from watch.models import Delivery, DeliveryAttempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(now):
    storyline = make_storyline(slug="retries")
    milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline])
    subscribe(now=now, storyline="retries", news=["moves"])
    timeline.milestone_confirm(milestone=milestone, by=SYSTEM, now=now)
    services.process_changes(now=now)
    return Delivery.objects.get()


def test_backoff_bounds_grow_exponentially_up_to_the_cap(settings):
    settings.WATCH_RETRY_BASE_SECONDS = 60
    settings.WATCH_RETRY_FACTOR = 4
    settings.WATCH_RETRY_MAX_DELAY_SECONDS = 6 * 3600
    minutes = [tuple(int(b.total_seconds() // 60) for b in services.retry_delay_bounds(n)) for n in range(1, 7)]
    assert minutes == [(0, 1), (2, 4), (8, 16), (32, 64), (128, 256), (180, 360)]


def test_jitter_stays_within_the_bounds_and_varies(settings):
    rng = random.Random(7)
    for failures in range(1, 7):
        low, high = services.retry_delay_bounds(failures)
        delays = [services.retry_delay(failures, rng=rng) for _ in range(200)]
        assert all(low <= d <= high for d in delays)
        assert len(set(delays)) > 100  # not a constant: retries of many deliveries spread out


def test_a_retryable_failure_is_retried_until_the_last_attempt_then_dead(delivery, now, email_channel, settings):
    settings.WATCH_MAX_ATTEMPTS = 3
    email_channel.failures = [DeliveryError("421 try later", retryable=True) for _ in range(3)]

    moment = now
    for attempt in (1, 2):
        assert send_due(moment) == ["failed"]
        delivery.refresh_from_db()
        low, high = services.retry_delay_bounds(attempt)
        assert (delivery.state, delivery.attempts, delivery.last_error) == ("failed", attempt, "421 try later")
        assert moment + low <= delivery.next_attempt_at <= moment + high
        # Not claimed again before its time.
        assert send_due(delivery.next_attempt_at - timedelta(seconds=1)) == []
        moment = delivery.next_attempt_at

    assert send_due(moment) == ["dead"]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("dead", 3, None)
    assert list(delivery.attempts_made.values_list("number", "outcome")) == [(1, "failed"), (2, "failed"), (3, "dead")]
    assert send_due(moment + timedelta(days=1)) == []


def test_a_permanent_error_makes_the_delivery_dead_at_once(delivery, now, email_channel):
    email_channel.failures = [DeliveryError("550 no such mailbox", retryable=False)]

    assert send_due(now) == ["dead"]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("dead", 1, "550 no such mailbox")
    assert DeliveryAttempt.objects.get().note == "550 no such mailbox"


def test_an_unexpected_channel_error_is_retried_and_recorded(delivery, now, email_channel):
    class Broken:
        name = "email"

        def send(self, outgoing):
            raise RuntimeError("template missing")

    from watch.channels.registry import override_channel

    with override_channel("email", Broken()):
        assert send_due(now) == ["failed"]
    delivery.refresh_from_db()
    assert delivery.last_error == "Unexpected error: RuntimeError: template missing"


def test_the_id_is_the_same_on_every_attempt(delivery, now, email_channel):
    email_channel.failures = [DeliveryError("timeout", retryable=True), DeliveryError("timeout", retryable=True)]
    moment = now
    for _ in range(3):
        send_due(moment)
        delivery.refresh_from_db()
        moment = delivery.next_attempt_at or moment

    assert delivery.state == "sent"
    assert len(email_channel.attempts) == 3
    assert {o.delivery_id for o in email_channel.attempts} == {delivery.public_id}
    assert delivery.public_id.startswith("msg_")


def test_an_admin_resends_a_dead_delivery_with_its_id_and_attempts(delivery, now, email_channel, admin_user, editor):
    email_channel.failures = [DeliveryError("550 mailbox full", retryable=False)]
    send_due(now)

    with pytest.raises(Exception, match="Only an admin"):
        services.delivery_resend(delivery=delivery, by=editor, now=now)
    services.delivery_resend(delivery=delivery, by=admin_user, now=now + timedelta(hours=1))
    assert send_due(now + timedelta(hours=1)) == ["sent"]

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2)
    assert [o.delivery_id for o in email_channel.attempts] == [delivery.public_id, delivery.public_id]
    with pytest.raises(Exception, match="Only a dead or failed delivery"):
        services.delivery_resend(delivery=delivery, by=admin_user, now=now)


def test_a_delivery_that_cannot_even_be_prepared_fails_and_ends_dead(delivery, now, email_channel, settings):
    settings.WATCH_MAX_ATTEMPTS = 2
    settings.WATCH_ITEM_URL = "{site}/items/{public_id}/"  # a broken setting: no {site} to fill in

    assert send_due(now) == ["failed"]
    delivery.refresh_from_db()
    assert delivery.last_error == "Could not prepare the message: KeyError: 'site'"
    assert send_due(delivery.next_attempt_at) == ["dead"]
    assert email_channel.attempts == []
