"""The receiver-side verifier printed in docs/alerts.md, run as printed:
a real request from the webhook channel verifies; the same request replayed
after the five minutes, a body changed by one byte, a signature from another
secret or stripped headers are refused. The reference library
(standardwebhooks) agrees on every case."""

import json
import re
from pathlib import Path

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from tests.watch.channels.receivers import WebhookReceiver, make_outgoing
from watch.channels.webhook import WebhookChannel
from watch.signing import new_webhook_secret

DOC = Path(__file__).resolve().parents[2] / "docs" / "alerts.md"


def doc_verifier():
    text = DOC.read_text()
    blocks = re.findall(r"```python\n(# receiver-side verifier\n.*?)```", text, flags=re.S)
    assert len(blocks) == 1, "docs/alerts.md lost its receiver-side verifier"
    scope: dict = {}
    exec(compile(blocks[0], str(DOC), "exec"), scope)
    return scope["verify"], scope["Refused"]


@pytest.fixture
def sent(settings):
    """One real request, as the receiver got it, and the secret it was signed with."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    secret = new_webhook_secret()
    receiver = WebhookReceiver().start()
    try:
        clock = {"now": 1_767_000_000.0}
        WebhookChannel(clock=lambda: clock["now"]).send(
            make_outgoing(channel="webhook", address=receiver.url(), webhook_secrets=(secret,)))
        request = receiver.requests[0]
    finally:
        receiver.stop()
    return secret, request.headers, request.body, clock["now"]


def test_a_real_request_verifies(sent):
    secret, headers, body, at = sent
    verify, _ = doc_verifier()
    verify(secret, headers, body, now=at + 30)
    payload = json.loads(body)
    assert payload["id"] == headers["webhook-id"]


@pytest.mark.parametrize("late", [301, 3600, 86400 * 30])
def test_a_request_replayed_later_is_refused(sent, late):
    secret, headers, body, at = sent
    verify, refused = doc_verifier()
    with pytest.raises(refused, match="timestamp"):
        verify(secret, headers, body, now=at + late)


def test_a_request_with_a_timestamp_from_the_future_is_refused(sent):
    secret, headers, body, at = sent
    verify, refused = doc_verifier()
    with pytest.raises(refused, match="timestamp"):
        verify(secret, headers, body, now=at - 600)


def test_an_altered_body_or_header_is_refused(sent):
    secret, headers, body, at = sent
    verify, refused = doc_verifier()
    payload = json.loads(body)
    payload["data"]["headline"] = "Reminder: something else entirely"
    altered = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    for bad_body, bad_headers in (
        (altered, headers),
        (body[:-1] + b" ", headers),
        (body, {**headers, "webhook-id": headers["webhook-id"] + "x"}),
        (body, {**headers, "webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1)}),
        (body, {k: v for k, v in headers.items() if k != "webhook-signature"}),
    ):
        with pytest.raises(refused):
            verify(secret, bad_headers, bad_body, now=at)
    with pytest.raises(refused, match="signature"):
        verify(new_webhook_secret(), headers, body, now=at)


def test_the_reference_library_refuses_the_same_replay_and_alteration(sent, monkeypatch):
    secret, headers, body, at = sent
    import standardwebhooks.webhooks as library_module

    library = Webhook(secret)
    # The library reads the wall clock: give it the moment of each case.
    class Clock:
        now = at

    monkeypatch.setattr(library_module, "datetime", _FixedDatetime(lambda: Clock.now))
    Clock.now = at + 30
    assert library.verify(body, headers)["id"] == headers["webhook-id"]
    Clock.now = at + 3600
    with pytest.raises(WebhookVerificationError):
        library.verify(body, headers)
    Clock.now = at + 30
    with pytest.raises(WebhookVerificationError):
        library.verify(body[:-1] + b" ", headers)


class _FixedDatetime:
    """Stands in for the datetime class inside standardwebhooks: `now()` is ours."""

    def __init__(self, seconds):
        import datetime as real

        self._real = real.datetime
        self._seconds = seconds

    def now(self, tz=None):
        return self._real.fromtimestamp(self._seconds(), tz=tz)

    def fromtimestamp(self, *args, **kwargs):
        return self._real.fromtimestamp(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._real, name)
