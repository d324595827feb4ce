"""Retries against real receivers: one that fails three times and then
answers 200 is delivered on the fourth attempt, with three failed attempts on
record and the same `webhook-id` every time; one that always fails is dead
after the last attempt (the worker runs with FW_WATCH_MAX_ATTEMPTS=4) and is
not tried again."""

from datetime import timedelta

import pytest

from tests.builders import make_milestone, make_storyline, time_when
from tests.integration.support import MAX_ATTEMPTS
from tests.integration.support import dispatch, verified, wait_changes_processed, wait_for_idle_broker, wait_until
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services
from watch.models import Delivery, DeliveryAttempt

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SETTLED = (Delivery.State.SENT, Delivery.State.DEAD)


def test_a_flaky_receiver_gets_it_on_the_fourth_try_and_a_broken_one_ends_dead(
    clock, celery_on_redis, published, receiver
):
    storyline = make_storyline()
    milestone = make_milestone(now=clock, when=time_when(clock + timedelta(days=2)), storylines=[storyline])
    wait_changes_processed()
    flaky_secret = services.subscription_create(
        now=clock, email="flaky@example.org", storyline=storyline, send_email=False,
        webhook_url=receiver.url("/fail/3/flaky"), confirmed=True,
    ).webhook_secret
    services.subscription_create(
        now=clock, email="broken@example.org", storyline=storyline, send_email=False,
        webhook_url=receiver.url("/down/broken"), confirmed=True,
    )

    # The news; the worker processes it on commit and makes the first attempts.
    timeline.milestone_confirm(milestone=milestone, by=SYSTEM, now=clock)
    wait_until(lambda: Delivery.objects.filter(attempts=1).count() == 2, timeout=30,
               what="the first attempt of both deliveries",
               seen=lambda: list(Delivery.objects.values_list("state", "attempts", "last_error")))
    flaky = Delivery.objects.get(endpoint__address__contains="/fail/")
    broken = Delivery.objects.get(endpoint__address__contains="/down/")

    # Each dispatch, an hour later than the last, finds the failed ones due
    # again (next_attempt_at lies at most seconds ahead of the worker's clock).
    moment = clock
    for _ in range(MAX_ATTEMPTS + 2):
        wait_for_idle_broker(celery_on_redis)
        if set(Delivery.objects.values_list("state", flat=True)) <= set(SETTLED):
            break
        moment += timedelta(hours=1)
        dispatch(moment, published)
    wait_for_idle_broker(celery_on_redis)

    flaky.refresh_from_db()
    broken.refresh_from_db()
    assert (flaky.state, flaky.attempts) == (Delivery.State.SENT, 4)
    assert (broken.state, broken.attempts) == (Delivery.State.DEAD, MAX_ATTEMPTS)
    assert list(flaky.attempts_made.values_list("number", "outcome")) == [
        (1, "failed"), (2, "failed"), (3, "failed"), (4, "sent"),
    ]
    assert list(broken.attempts_made.values_list("number", "outcome")) == [
        (1, "failed"), (2, "failed"), (3, "failed"), (4, "dead"),
    ]
    assert "HTTP 500" in broken.last_error

    # The receiver's side: the same id on every attempt, each signed afresh and valid.
    to_flaky = [r for r in receiver.requests if r.path.startswith("/fail/")]
    to_broken = [r for r in receiver.requests if r.path.startswith("/down/")]
    assert [r.status for r in to_flaky] == [500, 500, 500, 200]
    assert {r.webhook_id for r in to_flaky} == {flaky.public_id}
    assert {r.webhook_id for r in to_broken} == {broken.public_id}
    assert len(to_broken) == MAX_ATTEMPTS
    for request in to_flaky:
        assert verified(request, flaky_secret)["id"] == flaky.public_id

    # Dead is final: later dispatches claim nothing and send nothing.
    assert dispatch(moment + timedelta(days=1), published)[0] == 0
    wait_for_idle_broker(celery_on_redis)
    assert receiver.count() == 4 + MAX_ATTEMPTS
    assert DeliveryAttempt.objects.count() == 4 + MAX_ATTEMPTS
