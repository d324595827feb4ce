"""Shared fixtures: the clock, the people, and the real services some tests need.

A test that needs PostgreSQL is marked `@pytest.mark.postgres`; one that needs
Redis takes the `redis_url` fixture. Without the service such a test is skipped
with the reason, unless REQUIRE_SERVICES=1 (as in CI), where it fails instead:
CI must never go green by skipping what it was meant to run.
"""

import os
from datetime import datetime, timezone

import pytest

from tests import factories

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}
DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/9"


def service_unavailable(reason):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this is an error, not a skip)", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            service_unavailable(
                f"needs PostgreSQL, but the database is {connection.vendor}: set DATABASE_URL=postgres://..."
            )


def connect_test_redis(url):
    """A client for the tests' Redis database, or a skip (a failure with REQUIRE_SERVICES=1)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    if client.connection_pool.connection_kwargs.get("db", 0) == 0:
        client.close()
        pytest.fail(f"TEST_REDIS_URL={url} names db 0; tests use a database of their own, e.g. /9", pytrace=False)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        service_unavailable(f"needs Redis at {url}: {exc}")
    return client


@pytest.fixture
def redis_url():
    """A Redis URL on a database of the tests' own (TEST_REDIS_URL, default db 9), emptied before and after.

    Only that database is flushed: never db 0, never FLUSHALL.
    """
    url = os.environ.get("TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)
    client = connect_test_redis(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def now():
    """The tests' clock: pass it to services and sweeps instead of reading the time."""
    return datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def editor(db):
    return factories.make_editor("editor")


@pytest.fixture
def admin_user(db):
    return factories.make_admin("admin")


@pytest.fixture
def subscriber(db):
    return factories.make_user("subscriber")


@pytest.fixture
def outsider(db):
    """A plain account that owns nothing the test looks at."""
    return factories.make_user("outsider")
