"""Deliveries: a subscriber reads those to its own endpoints, editors read
every one, admins alone resend; each with its attempts and notifications,
never a secret."""

import pytest

from tests.api.watch.conftest import DELIVERIES, delivery_url, subscribe
from tests.builders import make_milestone, make_storyline, day_when
from watch import services
from watch.models import Delivery

pytestmark = pytest.mark.django_db


def listed(client, query="") -> list[str]:
    """The message ids (msg_...) of the deliveries listed."""
    response = client.get(f"{DELIVERIES}?{query}")
    assert response.status_code == 200, response.json()
    return [row["message_id"] for row in response.json()["results"]]


def test_who_sees_which_deliveries(subscriber_client, editor_client, admin_client, alerts):
    mine = {alerts.sent.public_id, alerts.dead.public_id}
    everyone = mine | {alerts.other_sent.public_id, alerts.other_dead.public_id}

    assert set(listed(subscriber_client)) == mine
    assert set(listed(editor_client)) == everyone
    assert set(listed(admin_client)) == everyone
    assert subscriber_client.get(delivery_url(alerts.other_dead)).status_code == 404


def test_a_delivery_carries_its_attempts_and_notifications(subscriber_client, alerts, record):
    response = subscriber_client.get(delivery_url(alerts.dead))

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["message_id"], body["channel"], body["state"], body["attempt_count"]) == (
        alerts.dead.pk, alerts.dead.public_id, "webhook", "dead", 1)
    assert body["last_error"] == "410 Gone" and body["url"] == f"http://testserver{delivery_url(alerts.dead)}"
    assert body["address"] == alerts.subscription.webhook_endpoint.address and body["user"] == "subscriber"
    assert [(a["number"], a["outcome"], a["note"]) for a in body["attempts"]] == [(1, "dead", "410 Gone")]
    [notification] = body["notifications"]
    assert notification["item"] == str(record.milestone.public_id)
    assert notification["cause"].startswith("change:") and notification["kind"] == "confirmed"
    assert notification["news"] == "moves"


def test_no_secret_in_any_delivery(editor_client, alerts):
    endpoint = alerts.subscription.webhook_endpoint
    services.webhook_rotate_secret(endpoint=endpoint, now=endpoint.created_at)
    endpoint.refresh_from_db()

    for response in (editor_client.get(DELIVERIES), editor_client.get(delivery_url(alerts.dead))):
        text = response.content.decode()
        for secret in (alerts.secret, alerts.other_secret, endpoint.secret):
            assert secret not in text
        assert "secret" not in text and "lease" not in text


def test_filters(editor_client, alerts, record):
    dead = {alerts.dead.public_id, alerts.other_dead.public_id}
    sent = {alerts.sent.public_id, alerts.other_sent.public_id}

    assert set(listed(editor_client, "state=dead")) == dead
    assert set(listed(editor_client, "state=dead&state=sent")) == dead | sent
    assert listed(editor_client, "state=pending") == []
    assert set(listed(editor_client, "channel=email")) == sent
    assert set(listed(editor_client, "channel=webhook&state=sent")) == set()
    assert set(listed(editor_client, f"item={record.milestone.public_id}")) == dead | sent
    assert listed(editor_client, f"item={record.expectation.public_id}") == []


@pytest.mark.parametrize("query", ["state=lost", "channel=sms", "item=not-a-uuid", "ordering=state", "cursor=%00",
                                   "message_id=msg_%00"])
def test_a_bad_filter_is_400(subscriber_client, alerts, query):
    response = subscriber_client.get(f"{DELIVERIES}?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


@pytest.mark.parametrize("path", ["999999/", "99999999999999999999/", "0/", "msg_0123/", "-1/"])
def test_an_unknown_or_malformed_id_is_404(admin_client, alerts, path):
    for response in (admin_client.get(f"{DELIVERIES}{path}"), admin_client.post(f"{DELIVERIES}{path}resend/")):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_find_a_delivery_by_the_id_its_receiver_saw(editor_client, alerts):
    rows = editor_client.get(f"{DELIVERIES}?message_id={alerts.dead.public_id}").json()["results"]

    assert [(row["id"], row["message_id"]) for row in rows] == [(alerts.dead.pk, alerts.dead.public_id)]
    assert listed(editor_client, "message_id=msg_unknown") == []


def test_newest_first_and_pages(subscriber, subscriber_client, clock, channels, alerts):
    storyline = make_storyline()
    subscribe(subscriber, now=clock, storyline=storyline.slug)
    for n in range(5):
        make_milestone(now=clock, when=day_when(clock.date()), storylines=[storyline])
    services.process_changes(now=clock)
    expected = list(Delivery.objects.filter(endpoint__subscriber__user=subscriber)
                    .order_by("-created_at", "-id").values_list("public_id", flat=True))

    seen, url = [], f"{DELIVERIES}?page_size=2"
    while url:
        page = subscriber_client.get(url).json()
        seen += [row["message_id"] for row in page["results"]]
        url = page["next"]

    assert len(expected) == 7 and seen == expected
    assert listed(subscriber_client, "ordering=created&page_size=50") == expected[::-1]


def test_an_admin_resends_a_dead_delivery_with_the_same_id(admin_client, alerts):
    response = admin_client.post(delivery_url(alerts.dead) + "resend/", HTTP_IDEMPOTENCY_KEY="resend-1")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["message_id"], body["state"], body["attempt_count"], body["last_error"]) == (
        alerts.dead.public_id, "pending", 1, "")
    assert len(body["attempts"]) == 1
    alerts.dead.refresh_from_db()
    assert alerts.dead.state == "pending" and alerts.dead.next_attempt_at is not None

    retry = admin_client.post(delivery_url(alerts.dead) + "resend/", HTTP_IDEMPOTENCY_KEY="resend-1")
    again = admin_client.post(delivery_url(alerts.dead) + "resend/")
    assert retry.status_code == 200 and retry["Idempotent-Replayed"] == "true"
    assert again.status_code == 409
    assert again.json()["error"]["current"] == {"state": "pending"}


def test_a_sent_delivery_cannot_be_resent(admin_client, alerts):
    response = admin_client.post(delivery_url(alerts.sent) + "resend/")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "transition_not_allowed" and error["current"] == {"state": "sent"}
    alerts.sent.refresh_from_db()
    assert alerts.sent.state == "sent"


@pytest.mark.parametrize("client", ["subscriber_client", "editor_client"])
def test_only_admins_resend(request, alerts, client):
    response = request.getfixturevalue(client).post(delivery_url(alerts.dead) + "resend/")

    assert response.status_code == 403
    alerts.dead.refresh_from_db()
    assert alerts.dead.state == "dead"
