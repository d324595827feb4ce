"""A webhook is signed per Standard Webhooks 1.0, verifiable by the reference
library on the receiving side, with an id that stays the same on every retry."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from watch.channels.webhook import WebhookChannel
from watch.signing import new_webhook_secret

from .receivers import make_news, make_outgoing


def test_the_receiver_verifies_the_request_with_the_reference_library(webhook_receiver):
    secret = new_webhook_secret()
    outgoing = make_outgoing(channel="webhook", address=webhook_receiver.url(), webhook_secrets=(secret,))

    note = WebhookChannel().send(outgoing)

    assert note == "HTTP 200"
    [request] = webhook_receiver.requests
    payload = Webhook(secret).verify(request.body, request.headers)
    assert request.headers["webhook-id"] == "dlv_0001"
    assert request.headers["content-type"] == "application/json"
    assert payload["type"] == "milestone.reminder"
    assert payload["version"] == "1"
    assert payload["id"] == "dlv_0001"
    assert payload["data"]["item"] == {
        "public_id": "ms_board_of_peace",
        "kind": "milestone",
        "title": "First meeting of the Gaza Board of Peace",
        "url": "http://127.0.0.1:8000/items/ms_board_of_peace/",
        "status": "scheduled",
        "editorial_state": "published",
        "schedule_version": 3,
    }
    assert payload["data"]["when"] == {
        "start": "2026-01-23T00:00:00+01:00",
        "end": "2026-01-24T00:00:00+01:00",
        "precision": "day",
        "approximate": False,
        "tz": "Europe/Zurich",
        "edtf": "2026-01-23",
        "text": "on Jan. 23",
        "display": "23 Jan 2026",
    }


def test_the_signature_is_the_hmac_of_id_timestamp_and_body_as_the_spec_says(webhook_receiver):
    # Computed by hand from the specification, independently of both our code
    # and the reference library.
    key = bytes(range(32))
    secret = "whsec_" + base64.b64encode(key).decode()

    WebhookChannel().send(make_outgoing(channel="webhook", address=webhook_receiver.url(), webhook_secrets=(secret,)))

    [request] = webhook_receiver.requests
    signed = f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.".encode() + request.body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert request.headers["webhook-signature"] == f"v1,{expected}"
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60


def test_a_retry_keeps_the_id_and_is_signed_afresh_with_its_own_timestamp(webhook_receiver):
    secret = new_webhook_secret()
    outgoing = make_outgoing(channel="webhook", address=webhook_receiver.url(), webhook_secrets=(secret,))

    WebhookChannel().send(outgoing)
    # The same delivery tried again a minute later.
    WebhookChannel(clock=lambda: time.time() + 60).send(outgoing)

    first, retry = webhook_receiver.requests
    assert first.headers["webhook-id"] == retry.headers["webhook-id"] == "dlv_0001"
    assert int(retry.headers["webhook-timestamp"]) - int(first.headers["webhook-timestamp"]) >= 59
    assert first.headers["webhook-signature"] != retry.headers["webhook-signature"]
    for request in (first, retry):
        assert Webhook(secret).verify(request.body, request.headers)["id"] == "dlv_0001"


def test_during_a_rotation_both_secrets_sign_and_each_verifies(webhook_receiver):
    new_secret, old_secret = new_webhook_secret(), new_webhook_secret()
    outgoing = make_outgoing(
        channel="webhook", address=webhook_receiver.url(), webhook_secrets=(new_secret, old_secret)
    )

    WebhookChannel().send(outgoing)

    [request] = webhook_receiver.requests
    signatures = request.headers["webhook-signature"].split(" ")
    assert len(signatures) == 2
    assert all(signature.startswith("v1,") for signature in signatures)
    Webhook(new_secret).verify(request.body, request.headers)
    Webhook(old_secret).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_webhook_secret()).verify(request.body, request.headers)


def test_text_beyond_ascii_is_sent_as_utf_8_and_verifies(webhook_receiver):
    secret = new_webhook_secret()
    news = make_news(item_title="Treffen in Zürich – «Board of Peace»", when_display="23 janv. 2026")

    WebhookChannel().send(
        make_outgoing(channel="webhook", address=webhook_receiver.url(), webhook_secrets=(secret,), news=(news,))
    )

    [request] = webhook_receiver.requests
    assert "Zürich".encode() in request.body
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload["data"]["item"]["title"] == "Treffen in Zürich – «Board of Peace»"


def test_a_changed_body_no_longer_verifies(webhook_receiver):
    secret = new_webhook_secret()

    WebhookChannel().send(make_outgoing(channel="webhook", address=webhook_receiver.url(), webhook_secrets=(secret,)))

    [request] = webhook_receiver.requests
    forged = request.body.replace(b'"scheduled"', b'"cancelled"')
    assert forged != request.body
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(forged, request.headers)


def test_a_digest_carries_every_piece_of_news_under_data(webhook_receiver):
    secret = new_webhook_secret()
    moved = make_news(cause="moved", headline="Moved: Trump announces phase two", item_public_id="ms_phase_two")
    verdict = make_news(
        cause="verdict",
        headline="Missed: The Board of Peace meets at Davos on Jan. 23",
        item_public_id="ex_davos",
        item_kind="expectation",
        item_status="missed",
        verdict={"status": "missed", "decided_by": "system", "note": "No meeting was reported."},
    )
    outgoing = make_outgoing(
        channel="webhook",
        address=webhook_receiver.url(),
        webhook_secrets=(secret,),
        news=(moved, verdict),
        is_digest=True,
        delivery_id="dlv_digest_7",
    )

    WebhookChannel().send(outgoing)

    [request] = webhook_receiver.requests
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload["type"] == "digest"
    assert payload["id"] == request.headers["webhook-id"] == "dlv_digest_7"
    assert payload["data"]["count"] == 2
    assert [news["item"]["public_id"] for news in payload["data"]["news"]] == ["ms_phase_two", "ex_davos"]
    assert payload["data"]["news"][1]["verdict"] == {
        "status": "missed", "decided_by": "system", "note": "No meeting was reported."
    }


@pytest.mark.parametrize(
    ("cause", "kind", "expected_type"),
    [
        ("reminder", "milestone", "milestone.reminder"),
        ("reminder", "expectation", "expectation.reminder"),
        ("moved", "milestone", "item.moved"),
        ("cancelled", "milestone", "item.cancelled"),
        ("verdict", "expectation", "expectation.verdict"),
        ("new_item", "event", "item.new"),
        ("retracted", "event", "item.retracted"),
    ],
)
def test_the_type_names_the_cause(webhook_receiver, cause, kind, expected_type):
    news = make_news(cause=cause, item_kind=kind)

    WebhookChannel().send(make_outgoing(channel="webhook", address=webhook_receiver.url(), news=(news,)))

    [request] = webhook_receiver.requests
    assert json.loads(request.body)["type"] == expected_type
