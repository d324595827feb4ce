"""How a webhook send fails: every bad answer is a recorded DeliveryError that
says whether a retry can help, and nothing keeps a worker waiting for long."""

import time

import pytest

from watch.channels.base import DeliveryError
from watch.channels.webhook import WebhookChannel

from .receivers import closed_port, make_outgoing


def send(address, **fields):
    return WebhookChannel().send(make_outgoing(channel="webhook", address=address, **fields))


@pytest.mark.parametrize("path", ["/hook", "/text", "/status/202", "/status/204"])
def test_any_2xx_is_success_whatever_the_body(webhook_receiver, path):
    note = send(webhook_receiver.url(path))

    assert note.startswith("HTTP 20")
    assert webhook_receiver.paths() == [path]


@pytest.mark.parametrize("status", [500, 502, 503, 408, 429])
def test_a_receiver_in_trouble_or_asking_to_wait_is_retried(webhook_receiver, status):
    with pytest.raises(DeliveryError) as caught:
        send(webhook_receiver.url(f"/status/{status}"))

    assert caught.value.retryable is True
    assert f"HTTP {status}" in caught.value.message
    assert "the receiver said no" in caught.value.message  # the start of its answer, for the admin


@pytest.mark.parametrize("status", [400, 401, 404, 410])
def test_a_client_error_is_permanent(webhook_receiver, status):
    with pytest.raises(DeliveryError) as caught:
        send(webhook_receiver.url(f"/status/{status}"))

    assert caught.value.retryable is False
    assert f"HTTP {status}" in caught.value.message


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_not_followed_and_fails_permanently(webhook_receiver, status):
    with pytest.raises(DeliveryError) as caught:
        send(webhook_receiver.url(f"/redirect/{status}"))

    assert caught.value.retryable is False
    assert "redirects are not followed" in caught.value.message
    assert webhook_receiver.paths() == [f"/redirect/{status}"]  # /landing was never asked for


def test_a_receiver_that_hangs_fails_within_the_read_timeout_and_is_retried(webhook_receiver, settings):
    settings.WEBHOOK_READ_TIMEOUT = 0.5
    started = time.monotonic()

    with pytest.raises(DeliveryError) as caught:
        send(webhook_receiver.url("/slow"))

    assert time.monotonic() - started < 3
    assert caught.value.retryable is True
    assert "did not answer within 0.5 s" in caught.value.message
    assert webhook_receiver.paths() == ["/slow"]


def test_an_answer_that_is_not_http_is_a_retryable_failure(webhook_receiver):
    with pytest.raises(DeliveryError) as caught:
        send(webhook_receiver.url("/not-http"))

    assert caught.value.retryable is True
    assert "did not answer in HTTP" in caught.value.message


def test_a_closed_port_is_a_retryable_failure(allow_loopback):
    with pytest.raises(DeliveryError) as caught:
        send(f"http://127.0.0.1:{closed_port()}/hook")

    assert caught.value.retryable is True
    assert "Connection refused" in caught.value.message


def test_a_host_that_does_not_resolve_is_retried(allow_loopback):
    channel = WebhookChannel(resolver=lambda host, port: [])

    with pytest.raises(DeliveryError) as caught:
        channel.send(make_outgoing(channel="webhook", address="http://hooks.test/hook"))

    assert caught.value.retryable is True
    assert "hooks.test" in caught.value.message


def test_proxy_settings_in_the_environment_are_ignored(webhook_receiver, monkeypatch):
    # A proxy that would refuse every connection: were it used, the send would fail.
    dead_proxy = f"http://127.0.0.1:{closed_port()}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, dead_proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)

    assert send(webhook_receiver.url()) == "HTTP 200"
    assert webhook_receiver.paths() == ["/hook"]


@pytest.mark.parametrize(
    "address",
    ["ftp://127.0.0.1/hook", "http://user:secret@127.0.0.1/hook", "http:///hook", "not a url"],
)
def test_an_unusable_url_fails_permanently_without_a_request(webhook_receiver, address, network_guard):
    with pytest.raises(DeliveryError) as caught:
        send(address)

    assert caught.value.retryable is False
    assert network_guard.connects == []


def test_a_webhook_without_a_secret_is_not_sent_unsigned(webhook_receiver):
    with pytest.raises(DeliveryError) as caught:
        send(webhook_receiver.url(), webhook_secrets=())

    assert caught.value.retryable is False
    assert "signing secret" in caught.value.message
    assert webhook_receiver.requests == []


def test_a_malformed_secret_fails_permanently_without_showing_it(webhook_receiver):
    with pytest.raises(DeliveryError) as caught:
        send(webhook_receiver.url(), webhook_secrets=("whsec_not*base64*at*all",))

    assert caught.value.retryable is False
    assert "not*base64*at*all" not in caught.value.message
    assert webhook_receiver.requests == []
