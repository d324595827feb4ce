"""The double opt-in mail's outbox (watch.services.confirmations): owed by
the request, sent by the worker, once; at most one more per hour for the same
address and target; a send that fails is tried again; a confirmation that
comes first, or an unsubscribe, leaves nothing to send.

Mail goes to Django's in-memory outbox, except in the failure test, which
points the SMTP backend at a loopback port with nothing listening: a real
refused connection."""

import socket
from datetime import date, timedelta

import pytest
from django.core import mail

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import send_due, subscribe
from watch import services, tasks
from watch.models import Subscription
from watch.services import confirmations

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def storyline():
    return make_storyline("Gaza ceasefire", slug="gaza-ceasefire")


def ask(now, email="reader@example.org", **options) -> Subscription:
    return services.subscription_create(now=now, email=email, storyline="gaza-ceasefire", **options).subscription


def fresh(subscription) -> Subscription:
    return Subscription.objects.get(pk=subscription.pk)


def test_the_request_owes_the_mail_and_the_task_sends_it_once(now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        subscription = ask(now)
    assert len(callbacks) == 1  # the message asking a worker to send it, after commit
    assert mail.outbox == []

    assert tasks.send_confirmation(subscription.pk, now=(now + timedelta(seconds=1)).isoformat()) == "sent"
    assert tasks.send_confirmation(subscription.pk, now=(now + timedelta(seconds=2)).isoformat()) == "nothing"
    assert services.confirmations_send(now=now + HOUR, limit=10) == 0

    [message] = mail.outbox
    assert "Confirm your Forecast Watch alerts: storyline Gaza ceasefire" == message.subject
    assert (fresh(subscription).confirm_due_at, fresh(subscription).confirm_sent_at) == (None, now + timedelta(seconds=1))


def test_asking_again_within_the_hour_owes_no_second_mail_and_after_it_one(now):
    first = ask(now)
    services.confirmations_send(now=now, limit=10)

    ask(now + timedelta(minutes=10))
    ask(now + timedelta(minutes=59))
    assert fresh(first).confirm_due_at is None
    assert services.confirmations_send(now=now + timedelta(minutes=59), limit=10) == 0

    again = ask(now + HOUR + timedelta(seconds=1))
    assert again.pk == first.pk
    assert services.confirmations_send(now=now + 2 * HOUR, limit=10) == 1
    assert len(mail.outbox) == 2


def test_a_second_target_of_the_same_address_has_its_own_mail(now):
    make_storyline("Iran", slug="iran")
    ask(now)
    services.subscription_create(now=now, email="reader@example.org", storyline="iran")
    assert services.confirmations_send(now=now, limit=10) == 2


def test_a_failed_send_is_tried_again_by_the_sweep(now, settings):
    with socket.socket() as probe:  # a loopback port with nothing listening
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    subscription = ask(now)

    assert confirmations.confirmation_send(subscription_id=subscription.pk, now=now) == "failed"
    assert fresh(subscription).confirm_due_at == now + confirmations.RETRY_AFTER
    assert services.confirmations_send(now=now + timedelta(minutes=1), limit=10) == 0  # not yet due

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.confirmations_send(now=now + confirmations.RETRY_AFTER, limit=10) == 1
    assert len(mail.outbox) == 1 and fresh(subscription).confirm_due_at is None


def test_a_worker_that_died_mid_send_leaves_the_mail_to_the_sweep_after_its_lease(now):
    subscription = ask(now)
    # A claim whose worker never came back: the lease holds the mail, then lets it go.
    Subscription.objects.filter(pk=subscription.pk).update(confirm_due_at=now + confirmations.CLAIM_LEASE)
    assert services.confirmations_send(now=now + timedelta(minutes=1), limit=10) == 0
    assert services.confirmations_send(now=now + confirmations.CLAIM_LEASE, limit=10) == 1


def test_confirmed_or_ended_before_the_mail_went_nothing_is_sent(now):
    confirmed = ask(now)
    services.subscription_confirm(subscription=confirmed, now=now)
    ended = ask(now, email="other@example.org")
    services.subscription_unsubscribe(subscription=ended, now=now)

    assert services.confirmations_send(now=now, limit=10) == 0
    assert mail.outbox == []
    assert fresh(confirmed).confirm_due_at is None and fresh(ended).confirm_due_at is None


def test_an_unconfirmed_address_receives_nothing_but_its_link(now, email_channel):
    davos = make_storyline(slug="davos")
    services.subscription_create(now=now, email="reader@example.org", storyline="davos")
    subscribe("confirmed@example.org", now=now, storyline="davos")
    make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[davos])

    services.process_changes(now=now)
    send_due(now)

    assert [o.address for o in email_channel.sent] == ["confirmed@example.org"]
