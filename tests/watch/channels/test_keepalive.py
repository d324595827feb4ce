"""Consecutive sends of one process reuse their connection: one SMTP session
for many emails, one kept-alive HTTP connection per webhook receiver; a
connection in doubt (an error, a server that hung up, an idle one) is not
reused. Connections are counted by the network guard (every socket.connect)."""

import socket

import pytest

from watch.channels import email as email_channel
from watch.channels.base import DeliveryError
from watch.channels.email import EmailChannel
from watch.channels.webhook import WebhookChannel, close_pools

from .receivers import make_outgoing


@pytest.fixture(autouse=True)
def fresh_pools():
    close_pools()
    yield
    close_pools()


def connects_to(guard, port):
    return sum(1 for address in guard.connects if len(address) >= 2 and address[1] == port)


@pytest.fixture
def smtp_connects(smtp_server, settings, network_guard):
    """Connections to the SMTP server from now on (aiosmtpd's controller
    makes one of its own when it starts)."""
    before = connects_to(network_guard, settings.EMAIL_PORT)
    return lambda: connects_to(network_guard, settings.EMAIL_PORT) - before


def test_three_emails_go_through_one_smtp_session(smtp_server, smtp_connects):
    channel = EmailChannel()
    for n in range(3):
        channel.send(make_outgoing(channel="email", address=f"reader{n}@example.org", delivery_id=f"dlv_{n}"))
    channel.close()

    assert [e.rcpt_tos for e in smtp_server.envelopes] == [[f"reader{n}@example.org"] for n in range(3)]
    assert smtp_connects() == 1


def test_an_idle_session_is_not_reused(smtp_server, smtp_connects, monkeypatch):
    monkeypatch.setattr(email_channel, "KEEPALIVE_SECONDS", -1)
    channel = EmailChannel()
    for n in range(2):
        channel.send(make_outgoing(channel="email", address=f"reader{n}@example.org", delivery_id=f"dlv_{n}"))
    channel.close()

    assert len(smtp_server.envelopes) == 2
    assert smtp_connects() == 2


def test_a_session_the_server_dropped_is_replaced_and_the_email_sent(smtp_server, smtp_connects):
    channel = EmailChannel()
    channel.send(make_outgoing(channel="email", address="first@example.org", delivery_id="dlv_1"))
    # The connection ends while we keep the session (as idle sessions do).
    channel._connection.connection.sock.shutdown(socket.SHUT_RDWR)

    channel.send(make_outgoing(channel="email", address="second@example.org", delivery_id="dlv_2"))
    channel.close()

    assert [e.rcpt_tos for e in smtp_server.envelopes] == [["first@example.org"], ["second@example.org"]]
    assert smtp_connects() == 2


def test_three_webhooks_to_one_receiver_share_one_connection(webhook_receiver, network_guard):
    channel = WebhookChannel()
    for n in range(3):
        assert channel.send(make_outgoing(channel="webhook", address=webhook_receiver.url(), delivery_id=f"dlv_{n}"))

    assert webhook_receiver.paths() == ["/hook"] * 3
    assert connects_to(network_guard, webhook_receiver.port) == 1


def test_after_a_failed_answer_the_next_webhook_opens_a_new_connection(webhook_receiver, network_guard):
    channel = WebhookChannel()
    with pytest.raises(DeliveryError):
        channel.send(make_outgoing(channel="webhook", address=webhook_receiver.url("/status/503")))
    channel.send(make_outgoing(channel="webhook", address=webhook_receiver.url()))
    channel.send(make_outgoing(channel="webhook", address=webhook_receiver.url()))

    assert webhook_receiver.paths() == ["/status/503", "/hook", "/hook"]
    assert connects_to(network_guard, webhook_receiver.port) == 2
