"""POST /subscriptions/: an account subscribes itself (confirmed at once);
admins may subscribe another account or an email address; the same target
again updates the subscription (200) instead of making a second one."""

import pytest

from tests.api.conftest import token_client
from tests.api.watch.conftest import HOOK, SUBSCRIPTIONS
from tests.factories import make_user
from watch.models import Endpoint, Subscriber, Subscription

pytestmark = pytest.mark.django_db


def test_an_account_subscribes_itself_by_email_by_default(subscriber_client, subscriber, record):
    response = subscriber_client.post(SUBSCRIPTIONS, {"storyline": "gaza-ceasefire"}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    subscription = Subscription.objects.get()
    assert response["Location"] == f"http://testserver{SUBSCRIPTIONS}{subscription.pk}/" == body["url"]
    assert subscription.subscriber.user == subscriber and subscription.is_active
    assert body["user"] == "subscriber" and body["active"] is True and body["confirmed_at"]
    target = (body["target"], body["storyline"], body["actor"], body["item"])
    assert target == ("storyline", "gaza-ceasefire", None, None)
    assert body["channels"] == ["email"] and body["email"] == "subscriber@example.org"
    assert body["webhook_url"] is None and body["webhook_secret"] is None
    assert body["news"] == ["reminders", "moves", "verdicts", "new_items"]
    assert body["lead_times"] == ["7d", "1d"] and body["cadence"] == "immediate"


def test_every_target_kind(subscriber_client, record):
    targets = [{"actor": "trump"}, {"item": str(record.milestone.public_id)}, {"everything": True}]

    bodies = [subscriber_client.post(SUBSCRIPTIONS, target, format="json").json() for target in targets]

    assert [(b["target"], b["actor"], b["item"]) for b in bodies] == [
        ("actor", "trump", None), ("item", None, str(record.milestone.public_id)), ("everything", None, None),
    ]


def test_webhook_digest_and_lead_times(subscriber_client, subscriber, record):
    response = subscriber_client.post(SUBSCRIPTIONS, {
        "storyline": "gaza-ceasefire", "news": ["reminders", "verdicts"], "channels": ["email", "webhook"],
        "webhook_url": HOOK, "cadence": "digest", "digest_hour": 7, "tz": "Europe/Berlin",
        "lead_times": ["30m", "1d", "90d", "36h"],
    }, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["channels"] == ["email", "webhook"] and body["webhook_url"] == HOOK
    assert body["webhook_secret"].startswith("whsec_")
    assert (body["cadence"], body["digest_hour"], body["tz"]) == ("digest", 7, "Europe/Berlin")
    assert body["lead_times"] == ["90d", "36h", "1d", "30m"]
    assert body["news"] == ["reminders", "verdicts"]
    assert (subscriber.watch_subscriber.digest_hour, subscriber.watch_subscriber.tz) == (7, "Europe/Berlin")


def test_the_same_target_again_updates_the_subscription(subscriber_client, record):
    first = subscriber_client.post(SUBSCRIPTIONS, {"storyline": "gaza-ceasefire"}, format="json")
    again = subscriber_client.post(SUBSCRIPTIONS, {"storyline": "gaza-ceasefire", "lead_times": ["2d"],
                                                   "news": ["moves"]}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert (again.json()["lead_times"], again.json()["news"]) == (["2d"], ["moves"])
    assert Subscription.objects.count() == 1


def test_an_admin_subscribes_another_account(admin_client, subscriber, record):
    response = admin_client.post(SUBSCRIPTIONS, {"user": "subscriber", "actor": "trump"}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["user"] == "subscriber" and response.json()["email"] == "subscriber@example.org"
    assert Subscription.objects.get().subscriber.user == subscriber
    # Mail to another account's address waits for that account's owner to confirm it.
    assert response.json()["active"] is False
    # The subscriber sees it as theirs.
    assert token_client(subscriber).get(response["Location"]).status_code == 200


def test_an_admin_subscribes_an_email_address_by_double_opt_in(admin_client, record):
    response = admin_client.post(SUBSCRIPTIONS, {"email": "Desk@Example.org", "storyline": "gaza-ceasefire"},
                                 format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    # Someone else's inbox: a confirmation link is owed, nothing is sent before it is followed.
    assert (body["user"], body["email"], body["active"], body["confirmed_at"]) == (
        None, "desk@example.org", False, None)
    assert Subscriber.objects.get(email="desk@example.org").user is None
    assert Subscription.objects.get().confirm_due_at is not None


def test_an_unknown_account_is_a_400_for_admins(admin_client, record):
    response = admin_client.post(SUBSCRIPTIONS, {"user": "nobody", "everything": True}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"user": ["No active account 'nobody'."]}


@pytest.mark.parametrize("whom", [{"user": "outsider"}, {"user": "nobody"}, {"email": "victim@example.org"}])
def test_a_subscriber_may_not_subscribe_anyone_else(subscriber_client, outsider, record, whom):
    # The same 403 whether the account exists or not: no user names leak.
    response = subscriber_client.post(SUBSCRIPTIONS, {**whom, "everything": True}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Subscription.objects.exists()


def test_naming_oneself_is_allowed(subscriber_client, record):
    response = subscriber_client.post(SUBSCRIPTIONS, {"user": "subscriber", "everything": True}, format="json")

    assert response.status_code == 201


def test_an_account_without_an_address_may_use_a_webhook_only(record):
    client = token_client(make_user("hookonly", email=""))

    by_email = client.post(SUBSCRIPTIONS, {"everything": True}, format="json")
    by_webhook = client.post(SUBSCRIPTIONS, {"everything": True, "channels": ["webhook"], "webhook_url": HOOK},
                             format="json")

    assert by_email.status_code == 400
    assert by_email.json()["error"]["fields"] == {"email": ["The account has no email address to send to."]}
    assert by_webhook.status_code == 201
    assert Endpoint.objects.get().kind == "webhook"
