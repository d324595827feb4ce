"""The webhook secret is in the answer that creates the webhook, and in the
one that rotates it; never in a read (list, retrieve, deliveries) and never
in an answer to another request. A retried POST with the same
Idempotency-Key is the exception by design: it replays the same answer."""

from datetime import timedelta

import pytest

from core.models import IdempotencyKey
from tests.api.watch.conftest import DELIVERIES, HOOK, SUBSCRIPTIONS, subscription_url
from watch.models import Endpoint, Subscription

pytestmark = pytest.mark.django_db

WEBHOOK = {"storyline": "gaza-ceasefire", "channels": ["webhook"], "webhook_url": HOOK}


def test_the_secret_is_shown_at_creation_and_never_read_back(subscriber_client, record):
    created = subscriber_client.post(SUBSCRIPTIONS, WEBHOOK, format="json")
    secret = created.json()["webhook_secret"]
    endpoint = Endpoint.objects.get()

    assert created.status_code == 201 and secret.startswith("whsec_") and secret == endpoint.secret
    reads = [subscriber_client.get(SUBSCRIPTIONS), subscriber_client.get(created["Location"]),
             subscriber_client.patch(created["Location"], {"lead_times": ["1d"]}, format="json")]
    for response in reads:
        assert response.status_code == 200
        assert secret not in response.content.decode() and "webhook_secret" not in response.content.decode()


def test_subscribing_again_with_the_same_url_does_not_show_it_again(subscriber_client, record):
    subscriber_client.post(SUBSCRIPTIONS, WEBHOOK, format="json")

    other_target = subscriber_client.post(SUBSCRIPTIONS, {"actor": "trump", "channels": ["webhook"],
                                                          "webhook_url": HOOK}, format="json")
    same_target = subscriber_client.post(SUBSCRIPTIONS, WEBHOOK, format="json")

    assert (other_target.status_code, same_target.status_code) == (201, 200)
    assert other_target.json()["webhook_secret"] is None and same_target.json()["webhook_secret"] is None
    assert Endpoint.objects.count() == 1  # one webhook URL, one secret, shared by both subscriptions


def test_a_retried_create_replays_the_first_answer_secret_included(subscriber_client, record):
    first = subscriber_client.post(SUBSCRIPTIONS, WEBHOOK, format="json", HTTP_IDEMPOTENCY_KEY="sub-1")
    retry = subscriber_client.post(SUBSCRIPTIONS, WEBHOOK, format="json", HTTP_IDEMPOTENCY_KEY="sub-1")

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json() and retry.json()["webhook_secret"].startswith("whsec_")
    assert retry["Idempotent-Replayed"] == "true" and retry["Location"] == first["Location"]
    assert (Subscription.objects.count(), Endpoint.objects.count()) == (1, 1)
    assert IdempotencyKey.objects.get().response_status == 201


def test_the_same_key_for_another_subscription_is_422(subscriber_client, record):
    subscriber_client.post(SUBSCRIPTIONS, WEBHOOK, format="json", HTTP_IDEMPOTENCY_KEY="sub-1")

    other = subscriber_client.post(SUBSCRIPTIONS, {**WEBHOOK, "lead_times": ["1d"]}, format="json",
                                   HTTP_IDEMPOTENCY_KEY="sub-1")

    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert "webhook_secret" not in other.content.decode()


def test_another_account_with_the_same_key_gets_its_own_answer(subscriber_client, editor_client, record):
    mine = subscriber_client.post(SUBSCRIPTIONS, WEBHOOK, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    theirs = editor_client.post(SUBSCRIPTIONS, WEBHOOK, format="json", HTTP_IDEMPOTENCY_KEY="shared")

    assert theirs.status_code == 201 and not theirs.has_header("Idempotent-Replayed")
    assert theirs.json()["webhook_secret"] != mine.json()["webhook_secret"]


def test_rotating_shows_the_new_secret_once_and_both_sign_during_the_overlap(subscriber_client, alerts, settings):
    settings.WATCH_SECRET_ROTATION_OVERLAP = timedelta(hours=72)
    url = subscription_url(alerts.subscription) + "rotate-secret/"

    rotated = subscriber_client.post(url, format="json", HTTP_IDEMPOTENCY_KEY="rotate-1")
    retry = subscriber_client.post(url, format="json", HTTP_IDEMPOTENCY_KEY="rotate-1")

    assert rotated.status_code == 200, rotated.json()
    body = rotated.json()
    new = body["webhook_secret"]
    endpoint = alerts.subscription.webhook_endpoint
    endpoint.refresh_from_db()
    assert new.startswith("whsec_") and new != alerts.secret and endpoint.secret == new
    assert (body["subscription"], body["webhook_url"], body["subscriptions"]) == (
        alerts.subscription.pk, endpoint.address, [alerts.subscription.pk])
    assert retry.json() == body and retry["Idempotent-Replayed"] == "true"  # rotated once, not twice
    assert endpoint.previous_secret == alerts.secret
    now = endpoint.previous_secret_expires_at - timedelta(hours=72)
    assert endpoint.signing_secrets(now) == (new, alerts.secret)

    read = subscriber_client.get(subscription_url(alerts.subscription))
    assert read.json()["previous_secret_valid_until"] == body["previous_secret_valid_until"]
    for secret in (new, alerts.secret):
        assert secret not in read.content.decode()
        assert secret not in subscriber_client.get(DELIVERIES).content.decode()


def test_only_a_subscription_with_a_webhook_has_a_secret_to_rotate(subscriber_client, record):
    email_only = subscriber_client.post(SUBSCRIPTIONS, {"everything": True}, format="json")

    response = subscriber_client.post(email_only.json()["url"] + "rotate-secret/")

    assert response.status_code == 409
    assert response.json()["error"]["current"] == {"channels": ["email"]}


def test_a_cancelled_subscription_rotates_nothing(subscriber_client, alerts):
    url = subscription_url(alerts.subscription)
    subscriber_client.delete(url)

    response = subscriber_client.post(url + "rotate-secret/")

    assert response.status_code == 409
    assert response.json()["error"]["current"]["active"] is False
    alerts.subscription.webhook_endpoint.refresh_from_db()
    assert alerts.subscription.webhook_endpoint.secret == alerts.secret
