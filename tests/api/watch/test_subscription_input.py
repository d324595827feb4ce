"""Bad input is a 400 in the one error body, naming each field, and writes
nothing; never a 500."""

import uuid

import pytest

from tests.api.watch.conftest import HOOK, SUBSCRIPTIONS, subscription_url
from watch.models import Endpoint, Subscriber, Subscription

pytestmark = pytest.mark.django_db

STORYLINE = {"storyline": "gaza-ceasefire"}


def names(field: str, fields: dict) -> bool:
    """The error names the field, or an entry of it ("channels.0")."""
    return any(name == field or name.startswith(f"{field}.") for name in fields)

BAD_CREATES = {
    # what: exactly one known target
    "unknown storyline": ({"storyline": "gaza"}, "storyline"),
    "unknown actor": ({"actor": "nobody"}, "actor"),
    "unknown item": ({"item": str(uuid.uuid4())}, "item"),
    "not an item id": ({"item": "12"}, "item"),
    "two targets": ({**STORYLINE, "actor": "trump"}, "target"),
    "no target": ({"news": ["verdicts"]}, "target"),
    "empty slug": ({"storyline": ""}, "storyline"),
    # which news
    "unknown news": ({**STORYLINE, "news": ["reschedules"]}, "news"),
    "no news": ({**STORYLINE, "news": []}, "news"),
    # how
    "no channel": ({**STORYLINE, "channels": []}, "channels"),
    "unknown channel": ({**STORYLINE, "channels": ["sms"]}, "channels"),
    "webhook without URL": ({**STORYLINE, "channels": ["webhook"]}, "webhook_url"),
    "URL without webhook": ({**STORYLINE, "webhook_url": HOOK}, "channels"),
    "private address": ({**STORYLINE, "channels": ["webhook"], "webhook_url": "http://10.0.0.7/hook"}, "webhook_url"),
    "metadata service": ({**STORYLINE, "channels": ["webhook"], "webhook_url": "http://169.254.169.254/x"},
                         "webhook_url"),
    "not http": ({**STORYLINE, "channels": ["webhook"], "webhook_url": "ftp://127.0.0.1/hook"}, "webhook_url"),
    "credentials in URL": ({**STORYLINE, "channels": ["webhook"], "webhook_url": "http://u:p@127.0.0.1/"},
                           "webhook_url"),
    "not a URL": ({**STORYLINE, "channels": ["webhook"], "webhook_url": "hook me"}, "webhook_url"),
    "unresolvable host": ({**STORYLINE, "channels": ["webhook"], "webhook_url": "https://no-such-host.invalid/"},
                          "webhook_url"),
    # when
    "unknown cadence": ({**STORYLINE, "cadence": "weekly"}, "cadence"),
    "digest hour 24": ({**STORYLINE, "cadence": "digest", "digest_hour": 24}, "digest_hour"),
    "digest hour -1": ({**STORYLINE, "digest_hour": -1}, "digest_hour"),
    "digest hour in words": ({**STORYLINE, "digest_hour": "eight"}, "digest_hour"),
    "unknown zone": ({**STORYLINE, "tz": "Mars/Olympus"}, "tz"),
    "a folder of zones": ({**STORYLINE, "tz": "America"}, "tz"),
    "not a zone file": ({**STORYLINE, "tz": "zone.tab"}, "tz"),
    "zone path": ({**STORYLINE, "tz": "../../etc/passwd"}, "tz"),
    # lead times: 1 minute to 90 days, whole minutes, number and unit
    "zero lead": ({**STORYLINE, "lead_times": ["0m"]}, "lead_times"),
    "lead over 90 days": ({**STORYLINE, "lead_times": ["91d"]}, "lead_times"),
    "absurd lead": ({**STORYLINE, "lead_times": ["99999999w"]}, "lead_times"),
    "lead without unit": ({**STORYLINE, "lead_times": ["7"]}, "lead_times"),
    "fractional lead": ({**STORYLINE, "lead_times": ["1.5d"]}, "lead_times"),
    "lead in seconds": ({**STORYLINE, "lead_times": ["30s"]}, "lead_times"),
    "lead in words": ({**STORYLINE, "lead_times": ["a week"]}, "lead_times"),
    "too many leads": ({**STORYLINE, "lead_times": [f"{n}m" for n in range(1, 30)]}, "lead_times"),
    # who (admins only; see test_subscription_create for the 403)
    "misspelt field": ({**STORYLINE, "lead_time": ["1d"]}, "lead_time"),
}


@pytest.mark.parametrize("case", list(BAD_CREATES))
def test_a_bad_subscription_is_400_naming_the_field(subscriber_client, record, case):
    body, field = BAD_CREATES[case]

    response = subscriber_client.post(SUBSCRIPTIONS, body, format="json")

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_input" and names(field, error["fields"]), error
    assert not Subscription.objects.exists() and not Endpoint.objects.exists()


def test_a_draft_item_is_unknown(subscriber_client, record):
    response = subscriber_client.post(SUBSCRIPTIONS, {"item": str(record.draft.public_id)}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"item": [f"No published item '{record.draft.public_id}'."]}


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "two@@example.org", " "])
def test_a_bad_email_address_is_400(admin_client, record, email):
    response = admin_client.post(SUBSCRIPTIONS, {**STORYLINE, "email": email}, format="json")

    assert response.status_code == 400
    assert "email" in response.json()["error"]["fields"]
    assert not Subscriber.objects.exists()


def test_user_and_email_together_is_400(admin_client, subscriber, record):
    response = admin_client.post(SUBSCRIPTIONS, {**STORYLINE, "user": "subscriber", "email": "x@example.org"},
                                 format="json")

    assert response.status_code == 400
    assert "email" in response.json()["error"]["fields"]


@pytest.mark.parametrize("body, content_type, status", [
    ("{not json", "application/json", 400),
    ("storyline=gaza-ceasefire", "application/x-www-form-urlencoded", 415),
    ("[1, 2]", "application/json", 400),
    ("null", "application/json", 400),
])
def test_a_body_that_is_not_a_json_object(subscriber_client, record, body, content_type, status):
    response = subscriber_client.post(SUBSCRIPTIONS, body, content_type=content_type)

    assert response.status_code == status
    assert set(response.json()["error"]) == {"code", "message", "fields", "current"}


BAD_PATCHES = {
    "lead over 90 days": ({"lead_times": ["100d"]}, "lead_times"),
    "unknown news": ({"news": ["everything"]}, "news"),
    "unknown cadence": ({"cadence": "hourly"}, "cadence"),
    "the zone": ({"tz": "UTC"}, "tz"),
    "the digest hour": ({"digest_hour": 9}, "digest_hour"),
    "the channels": ({"channels": ["email"]}, "channels"),
    "the webhook URL": ({"webhook_url": HOOK}, "webhook_url"),
    "the target": ({"storyline": "other"}, "storyline"),
}


@pytest.mark.parametrize("case", list(BAD_PATCHES))
def test_a_bad_change_is_400_and_changes_nothing(subscriber_client, alerts, case):
    body, field = BAD_PATCHES[case]
    before = subscriber_client.get(subscription_url(alerts.subscription)).json()

    response = subscriber_client.patch(subscription_url(alerts.subscription), body, format="json")

    assert response.status_code == 400
    assert names(field, response.json()["error"]["fields"])
    assert subscriber_client.get(subscription_url(alerts.subscription)).json() == before
