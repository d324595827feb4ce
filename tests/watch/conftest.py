"""Fixtures of the watch tests: a recording channel in place of the transports.

The channels (email, webhook) have end-to-end tests of their own; here the
pipeline is under test, so each channel is replaced through the registry's
seam by one that records what it was asked to send and fails on demand.
"""

import pytest

from tests.watch.support import RecordingChannel
from watch.channels.registry import override_channel


@pytest.fixture
def email_channel():
    channel = RecordingChannel("email")
    with override_channel("email", channel):
        yield channel


@pytest.fixture
def webhook_channel():
    channel = RecordingChannel("webhook")
    with override_channel("webhook", channel):
        yield channel


@pytest.fixture
def loopback_webhooks(settings):
    # These tests subscribe webhooks on 127.0.0.1; production allows public addresses only.
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]


@pytest.fixture
def broker(redis_url):
    """Celery pointed at a Redis database of the tests' own, for tests that
    count the messages a task really publishes. Yields a Redis client of it.

    The app builds its connection pools on first use, for whatever broker was
    configured then; `_after_fork` is Celery's own way of dropping them (what a
    forked worker does), so the next publish connects to the new broker.
    """
    import redis

    from config.celery_app import app

    previous = (app.conf.broker_url, app.conf.broker_transport_options)

    def use(url, options):
        app.conf.broker_url = url
        app.conf.broker_transport_options = options
        app._after_fork()

    use(redis_url, {})
    client = redis.Redis.from_url(redis_url)
    try:
        yield client
    finally:
        client.close()
        use(*previous)
