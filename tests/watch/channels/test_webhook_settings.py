"""How long a webhook attempt waits, and which CAs it trusts, are settings read
from the environment, and what the settings say is what the channel does.

Settings are read once per process, so the environment's part is checked in
a fresh Python process; the channel's part with overrides and real receivers
on 127.0.0.1 (a receiver that never answers, a listener whose queue is full,
an https receiver whose certificate a private CA signed).
"""

import json
import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import send_due, subscribe
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services
from watch.channels.base import DeliveryError
from watch.channels.webhook import WebhookChannel
from watch.models import Delivery

from .receivers import WebhookReceiver, make_outgoing

ROOT = Path(__file__).resolve().parents[3]
PROBE = (
    "import json, config.settings.base as s; "
    "print(json.dumps([s.WEBHOOK_CONNECT_TIMEOUT, s.WEBHOOK_READ_TIMEOUT, s.WEBHOOK_CA_BUNDLE]))"
)


def settings_in_a_fresh_process(tmp_path, **environment):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FW_", "DJANGO_"))}
    env.update({"FW_VAR_DIR": str(tmp_path), **environment})
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def test_the_defaults_when_the_environment_says_nothing(tmp_path):
    result = settings_in_a_fresh_process(tmp_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [3.0, 10.0, ""]  # "" is certifi's bundle


def test_the_environment_sets_the_timeouts_and_the_ca_bundle(tmp_path):
    result = settings_in_a_fresh_process(
        tmp_path, FW_WEBHOOK_CONNECT_TIMEOUT="1.5", FW_WEBHOOK_READ_TIMEOUT="4", FW_WEBHOOK_CA_BUNDLE="/etc/fw/ca.pem",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [1.5, 4.0, "/etc/fw/ca.pem"]


def test_a_timeout_that_is_not_a_number_stops_the_process_at_startup(tmp_path):
    result = settings_in_a_fresh_process(tmp_path, FW_WEBHOOK_READ_TIMEOUT="ten")

    assert result.returncode != 0
    assert "FW_WEBHOOK_READ_TIMEOUT" in result.stderr and "ValueError" in result.stderr


def send(address, channel=None, **fields):
    return (channel or WebhookChannel()).send(make_outgoing(channel="webhook", address=address, **fields))


def test_the_read_timeout_setting_reaches_the_channel(webhook_receiver, settings):
    settings.WEBHOOK_READ_TIMEOUT = 0.2
    started = time.monotonic()

    with pytest.raises(DeliveryError) as caught:
        send(webhook_receiver.url("/slow"))

    assert time.monotonic() - started < 2, "the default 10 s was used"
    assert caught.value.retryable is True
    assert "did not answer within 0.2 s" in caught.value.message


@pytest.fixture
def full_listener():
    """A port on 127.0.0.1 that listens but never accepts: once its queue is
    full, the kernel drops further connection attempts, so they hang until
    the client's connect timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        try:
            filler.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(filler)
    time.sleep(0.1)
    yield port
    for sock in (*fillers, listener):
        sock.close()


def test_the_connect_timeout_setting_reaches_the_channel(full_listener, allow_loopback, settings):
    settings.WEBHOOK_CONNECT_TIMEOUT = 0.3
    started = time.monotonic()

    with pytest.raises(DeliveryError) as caught:
        send(f"http://127.0.0.1:{full_listener}/hook")

    assert time.monotonic() - started < 2, "the default 3 s was used"
    assert caught.value.retryable is True
    assert "Could not connect to 127.0.0.1" in caught.value.message
    assert "no connection within 0.3 s" in caught.value.message


@pytest.fixture
def private_ca_receiver(tls_files, allow_loopback):
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls_files / "hooks.pem", tls_files / "hooks.key")
    receiver = WebhookReceiver(ssl_context=context).start()
    yield receiver
    receiver.stop()


def pinned():
    return WebhookChannel(resolver=lambda host, port: ["127.0.0.1"])


def test_without_the_ca_bundle_setting_a_private_ca_is_not_trusted(private_ca_receiver, settings):
    settings.WEBHOOK_CA_BUNDLE = ""

    with pytest.raises(DeliveryError) as caught:
        send(private_ca_receiver.url("/hook", host="hooks.test"), channel=pinned())

    assert caught.value.retryable is True
    assert "TLS with hooks.test failed" in caught.value.message
    assert private_ca_receiver.requests == []


def test_the_ca_bundle_setting_reaches_the_channel(private_ca_receiver, tls_files, settings):
    settings.WEBHOOK_CA_BUNDLE = str(tls_files / "ca.pem")

    assert send(private_ca_receiver.url("/hook", host="hooks.test"), channel=pinned()) == "HTTP 200"
    assert private_ca_receiver.paths() == ["/hook"]


@pytest.mark.django_db
def test_a_delivery_to_a_receiver_slower_than_the_setting_is_failed_and_retried(webhook_receiver, settings, now):
    """The whole pipeline, with the real webhook channel: the override decides
    the attempt's outcome, and the delivery waits for its retry."""
    settings.WEBHOOK_READ_TIMEOUT = 0.2
    storyline = make_storyline(slug="slow-hooks")
    milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline])
    subscribe(now=now, storyline="slow-hooks", news=["moves"], send_email=False,
              webhook_url=webhook_receiver.url("/slow"))
    timeline.milestone_confirm(milestone=milestone, by=SYSTEM, now=now)
    services.process_changes(now=now)

    assert send_due(now) == ["failed"]

    delivery = Delivery.objects.get()
    assert delivery.channel == "webhook"
    assert (delivery.attempts, delivery.next_attempt_at > now) == (1, True)
    assert "did not answer within 0.2 s" in delivery.last_error
    assert webhook_receiver.paths() == ["/slow"]
