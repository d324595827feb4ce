"""Integration fixtures: a real Celery worker process, Redis, SMTP and HTTP receivers.

For the whole package (started once, torn down at its end):
- `integ_redis`: the tests' Redis database (TEST_REDIS_URL), emptied before and after;
- `mailbox`: an aiosmtpd server on 127.0.0.1 keeping every message;
- `receiver`: an HTTP server on 127.0.0.1 keeping every request, with answers
  chosen by path (see support.HttpReceiver);
- `worker`: `celery -A config worker -Q sweeps,delivery --concurrency 2
  --pool prefork`, with config.settings.local read from the environment:
  the pytest test database, that Redis, that SMTP server, webhooks allowed to
  127.0.0.1 only, fast retries (1 s base, factor 1) and 4 attempts at most.
  Its log goes to a file; a failing test shows its tail.
- the Celery app of this process publishes to the same Redis, and every
  message it publishes is recorded (`published`).

Each test gets `clock` (the wall clock at its start, from which it drives
time forward by passing `now`), the receivers emptied, and, at its end, a
wait until the worker has finished every task, so that nothing is still
writing when pytest-django empties the tables.

Tests here commit their data (transaction=True) so the worker sees it, and run
on PostgreSQL only: without it (or without Redis) they are skipped, or fail
with REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import os

import pytest
from django.utils import timezone

from tests.conftest import DEFAULT_TEST_REDIS_URL, connect_test_redis, service_unavailable

from .support import (  # noqa: F401 - mailbox and receiver are the package's fixtures
    Worker, add_worker_log, mailbox, receiver, recording_published, wait_for_idle_broker, worker_env,
)

_running: dict[str, Worker] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    add_worker_log(outcome.get_result(), _running.get("worker"), title="integration worker log (last lines)")


@pytest.fixture(scope="package")
def integ_redis():
    url = os.environ.get("TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)
    client = connect_test_redis(url)
    client.flushdb()
    yield url, client
    client.flushdb()
    client.close()


@pytest.fixture(scope="package")
def celery_on_redis(integ_redis):
    """This process's Celery app publishes to the tests' Redis (as the
    `broker` fixture of tests/watch does, for the whole package)."""
    from config.celery_app import app

    url, client = integ_redis
    previous = (app.conf.broker_url, app.conf.broker_transport_options)

    def use(broker_url, options):
        app.conf.broker_url = broker_url
        app.conf.broker_transport_options = options
        app._after_fork()  # drop pools built for the previous broker

    use(url, {"visibility_timeout": 3600})
    yield client
    use(*previous)


@pytest.fixture(scope="package")
def published(celery_on_redis):
    """Every task message this process hands to the broker: task, eta, args, kwargs, queue."""
    with recording_published() as messages:
        yield messages


@pytest.fixture(scope="package")
def worker(django_db_setup, integ_redis, celery_on_redis, mailbox, receiver, tmp_path_factory):
    from django.db import connection

    if connection.vendor != "postgresql":
        service_unavailable(
            f"the integration tests need PostgreSQL (the worker shares the test database), "
            f"but the database is {connection.vendor}: set DATABASE_URL=postgres://..."
        )
    url, _ = integ_redis
    folder = tmp_path_factory.mktemp("integ-worker")
    env = worker_env(broker_url=url, smtp_port=mailbox.port, folder=folder)
    process = Worker(env=env, log_path=folder / "worker.log")
    process.start()
    _running["worker"] = process
    try:
        yield process
    finally:
        _running.pop("worker", None)
        process.stop()
        print(f"\nintegration worker log: {process.log_path}")


@pytest.fixture
def clock():
    """The wall clock at the start of the test, to the second. The worker's
    own clock runs on from it; tests move time further by passing `now`."""
    return timezone.now().replace(microsecond=0)


@pytest.fixture(autouse=True)
def integration_test(transactional_db, worker, celery_on_redis, published, mailbox, receiver, settings):
    """Around each test: empty receivers before; after, wait for the worker to
    finish (and restart it if a test left it dead), before pytest-django
    empties the tables it may still be writing to."""
    # Subscribing checks webhook addresses in this process too.
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    wait_for_idle_broker(celery_on_redis, what="the worker to finish the previous test's tasks")
    mailbox.reset()
    receiver.reset()
    published.clear()
    yield
    if not worker.alive():
        worker.stop()
        worker.start()
    try:
        wait_for_idle_broker(celery_on_redis, timeout=60, what="the worker to finish this test's tasks")
    except AssertionError:
        # Whatever is stuck (a message held by a killed worker, say) must not
        # spill into the next test: start again from an empty broker.
        worker.stop()
        celery_on_redis.flushdb()
        worker.start()
        raise


