"""Subscribing with bad input gives clear errors per field and writes nothing;
good input makes one subscriber, its endpoints and the subscription."""

from datetime import date, timedelta

import pytest

from tests.builders import day_when, make_actor, make_milestone, make_storyline
from timeline.exceptions import InvalidInput
from watch import services
from watch.models import Endpoint, Subscriber, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def storyline():
    return make_storyline(slug="gaza-ceasefire")


def refused(now, **options) -> dict:
    options.setdefault("email", "reader@example.org")
    with pytest.raises(InvalidInput) as caught:
        services.subscription_create(now=now, **options)
    assert not Subscriber.objects.exists() and not Subscription.objects.exists() and not Endpoint.objects.exists()
    return caught.value.fields


def test_bad_email_addresses_are_refused(storyline, now):
    assert refused(now, email="not-an-address", storyline="gaza-ceasefire") == {
        "email": ["'not-an-address' is not an email address."]
    }
    assert "email" in refused(now, email="", storyline="gaza-ceasefire")


def test_unknown_targets_are_refused(storyline, now):
    assert refused(now, storyline="no-such-storyline") == {"storyline": ["No storyline 'no-such-storyline'."]}
    assert refused(now, actor="nobody") == {"actor": ["No actor 'nobody'."]}
    assert refused(now, item="not-a-uuid") == {"item": ["No published item 'not-a-uuid'."]}
    assert "target" in refused(now)
    assert "target" in refused(now, storyline="gaza-ceasefire", everything=True)


def test_a_draft_item_cannot_be_followed_and_is_not_revealed(storyline, now):
    draft = make_milestone(now=now, when=day_when(date(2027, 1, 23)), published=False)
    assert refused(now, item=str(draft.public_id)) == {"item": [f"No published item '{draft.public_id}'."]}


@pytest.mark.parametrize("lead, message", [
    ("0m", "between 1 minute and 90 days"),
    ("-1d", "number and a unit"),
    ("91d", "between 1 minute and 90 days"),
    ("soon", "number and a unit"),
    (30, "whole minutes"),
])
def test_lead_times_out_of_range_are_refused(storyline, now, lead, message):
    fields = refused(now, storyline="gaza-ceasefire", lead_times=["7d", lead])
    assert list(fields) == ["lead_times"]
    assert message in fields["lead_times"][0]


def test_lead_times_accept_the_documented_forms():
    assert services.parse_lead("1m") == timedelta(minutes=1)
    assert services.parse_lead("36h") == timedelta(hours=36)
    assert services.parse_lead("2w") == timedelta(days=14)
    assert services.parse_lead("90d") == timedelta(days=90)
    assert services.parse_leads(["1d", "7d", "24h"]) == [7 * 86400, 86400]


def test_webhook_urls_are_checked_against_the_allow_list(storyline, now, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = None  # the default: public addresses only
    fields = refused(now, storyline="gaza-ceasefire", webhook_url="http://127.0.0.1:8080/hook")
    assert "127.0.0.1" in fields["webhook_url"][0] and "loopback" in fields["webhook_url"][0]
    fields = refused(now, storyline="gaza-ceasefire", webhook_url="http://169.254.169.254/latest/meta-data")
    assert "link-local" in fields["webhook_url"][0]
    assert "http:// or https://" in refused(now, storyline="gaza-ceasefire", webhook_url="ftp://example.org/x")[
        "webhook_url"][0]
    fields = refused(now, storyline="gaza-ceasefire", webhook_url="https://hooks.example.org/fw",
                     resolver=lambda host, port: ["10.0.0.7"])
    assert "private" in fields["webhook_url"][0]


def test_every_problem_is_reported_at_once(now):
    fields = refused(now, email="nope", storyline="missing", lead_times=["0m"], digest_hour=25, tz="Mars/Olympus",
                     news=["gossip"], cadence="hourly")
    assert set(fields) == {"email", "storyline", "lead_times", "digest_hour", "tz", "news", "cadence"}


def test_a_subscription_needs_a_channel(storyline, now):
    assert "channel" in refused(now, storyline="gaza-ceasefire", send_email=False)


def test_one_subscriber_and_one_email_endpoint_per_address(storyline, now):
    make_actor(slug="donald-trump")
    services.subscription_create(now=now, email="Reader@Example.org", storyline="gaza-ceasefire", confirmed=True)
    services.subscription_create(now=now, email="reader@example.org", actor="donald-trump", confirmed=True)

    assert Subscriber.objects.get().email == "reader@example.org"
    assert Endpoint.objects.count() == 1
    assert Subscription.objects.count() == 2


def test_subscribing_again_to_the_same_target_updates_it(storyline, now):
    first = services.subscription_create(now=now, email="r@example.org", storyline="gaza-ceasefire", confirmed=True)
    again = services.subscription_create(now=now, email="r@example.org", storyline="gaza-ceasefire", confirmed=True,
                                         lead_times=["2d"], news=["reminders"])
    assert not again.created and again.subscription.pk == first.subscription.pk
    subscription = Subscription.objects.get()
    assert subscription.lead_times == [2 * 86400]
    assert [n for n in Subscription.NEWS if subscription.wants(n)] == ["reminders"]


def test_an_unconfirmed_request_cannot_change_a_confirmed_subscription(storyline, now):
    services.subscription_create(now=now, email="r@example.org", storyline="gaza-ceasefire", confirmed=True,
                                 tz="Europe/Zurich")
    services.subscription_create(now=now, email="r@example.org", storyline="gaza-ceasefire", news=["verdicts"],
                                 tz="Pacific/Auckland", digest_hour=3)
    assert Subscription.objects.get().wants_moves
    assert (Subscriber.objects.get().tz, Subscriber.objects.get().digest_hour) == ("Europe/Zurich", 8)


def test_an_account_shares_the_subscriber_of_its_own_address(storyline, now, subscriber):
    services.subscription_create(now=now, email=subscriber.email, storyline="gaza-ceasefire", confirmed=True)
    make_actor(slug="hamas")
    services.subscription_create(now=now, user=subscriber, actor="hamas", confirmed=True)

    assert Subscriber.objects.get().user == subscriber
    assert Endpoint.objects.count() == 1


def test_a_webhook_gets_a_secret_shown_once_and_kept(storyline, now, loopback_webhooks):
    made = services.subscription_create(now=now, email="ops@example.org", storyline="gaza-ceasefire",
                                        webhook_url="http://127.0.0.1:9000/hook", send_email=False, confirmed=True)
    assert made.webhook_secret.startswith("whsec_")
    assert made.subscription.channels == ["webhook"]
    again = services.subscription_create(now=now, email="ops@example.org", everything=True,
                                         webhook_url="http://127.0.0.1:9000/hook", send_email=False, confirmed=True)
    assert again.webhook_secret is None  # the same endpoint: its secret is not shown again
    assert Endpoint.objects.get().secret == made.webhook_secret
