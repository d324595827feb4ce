"""`manage.py subscribe`: staff subscribe an address, which is sent a
confirmation link first (double opt-in, as on the site; a webhook-only
subscription is confirmed at once); bad input is a message and exit status 1,
with nothing written."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from tests.builders import day_when, make_actor, make_milestone, make_storyline
from watch import services
from watch.models import Endpoint, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference():
    make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    make_actor("Donald Trump", slug="donald-trump")


def run(*args) -> str:
    out = io.StringIO()
    call_command("subscribe", *args, stdout=out)
    return out.getvalue()


def test_subscribes_to_several_targets_each_waiting_for_its_confirmation(now):
    item = make_milestone(now=now, when=day_when(date(2027, 1, 23)))
    output = run("desk@example.org", "--storyline", "gaza-ceasefire", "--actor", "donald-trump",
                 "--item", str(item.public_id), "--lead", "7d", "--lead", "1d")

    assert "Subscribed desk@example.org to storyline Gaza ceasefire (email, immediate, lead times: 7d, 1d)" in output
    assert "Waiting for confirmation: a link goes to desk@example.org" in output
    assert Subscription.objects.count() == 3
    # Staff cannot vouch for someone's inbox: each waits for its link, owed in the outbox.
    assert not any(s.is_active or s.confirmed_at for s in Subscription.objects.all())
    assert all(s.confirm_due_at is not None for s in Subscription.objects.all())


def test_digest_hour_and_zone(now):
    run("night@example.org", "--all", "--digest-hour", "7", "--tz", "Europe/Zurich")
    subscription = Subscription.objects.get()
    assert (subscription.cadence, subscription.subscriber.digest_hour, subscription.subscriber.tz) == (
        "digest", 7, "Europe/Zurich")
    # The digest goes on the calendar once the address has confirmed.
    assert Endpoint.objects.get().next_digest_at is None
    services.subscription_confirm(subscription=subscription, now=now)
    assert Endpoint.objects.get().next_digest_at is not None


def test_a_webhook_only_subscription_is_confirmed_at_once(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    run("ops@example.org", "--all", "--webhook", "http://127.0.0.1:9000/hook", "--no-email")
    subscription = Subscription.objects.get()
    assert subscription.is_active and subscription.confirm_due_at is None


def test_a_webhook_secret_is_printed_once(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    output = run("ops@example.org", "--all", "--webhook", "http://127.0.0.1:9000/hook", "--no-email")
    secret = Endpoint.objects.get(kind="webhook").secret
    assert f"Webhook signing secret (shown this once, store it now): {secret}" in output
    assert "whsec_" not in run("ops@example.org", "--storyline", "gaza-ceasefire",
                               "--webhook", "http://127.0.0.1:9000/hook", "--no-email")


@pytest.mark.parametrize("args, message", [
    (["not-an-email", "--all"], "'not-an-email' is not an email address."),
    (["a@example.org", "--storyline", "nope"], "storyline: No storyline 'nope'."),
    (["a@example.org", "--storyline", "gaza-ceasefire", "--lead", "100d"], "between 1 minute and 90 days"),
    (["a@example.org", "--storyline", "gaza-ceasefire", "--lead", "tomorrow"], "number and a unit"),
    (["a@example.org"], "Say what to follow"),
    (["a@example.org", "--all", "--webhook", "http://10.1.2.3/hook"], "private address"),
])
def test_bad_input_is_a_clear_error_and_writes_nothing(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(")) as caught:
        run(*args)
    assert caught.value.returncode == 1
    assert not Subscription.objects.exists() and not Endpoint.objects.exists()


def test_one_bad_target_writes_none_of_them():
    with pytest.raises(CommandError):
        run("a@example.org", "--storyline", "gaza-ceasefire", "--actor", "nobody")
    assert not Subscription.objects.exists()
