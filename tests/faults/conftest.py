"""Fault tests: the real pieces of tests/integration (a Celery worker process,
an aiosmtpd SMTP server, an HTTP receiver, PostgreSQL), with a Redis of
their own: a private redis-server on a free port from 6391, started and
stopped by these tests (the shared one on 6379 is never touched), so a test
can take the broker away and bring it back.

Every test here is marked `faults` (pytest -m faults runs them alone) and
bounded: each wait has a deadline (tests/integration/support.wait_until).
The package's fixtures:

- `private_redis`: the redis-server process (start/stop/url); emptied before each test;
- `worker`: `celery -A config worker` on it, with config.settings.local read
  from the environment: the test database, that Redis, the SMTP server,
  webhooks to 127.0.0.1 only, fast retries (1 s base, factor 1, 4 attempts);
- `mailbox`, `receiver`: as in tests/integration;
- `fault_test` (autouse): receivers emptied before; after, the worker
  restarted if a test left it dead, and the broker emptied.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time

import pytest

from tests.conftest import service_unavailable
from tests.integration.support import (  # noqa: F401 - mailbox and receiver are the package's fixtures
    Worker, add_worker_log, mailbox, receiver, recording_published, wait_until, worker_env,
)

FIRST_PORT = 6391

_running: dict = {}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.faults)
            item.add_marker(pytest.mark.postgres)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    add_worker_log(outcome.get_result(), _running.get("worker"), title="fault worker log (last lines)")


class PrivateRedis:
    """A redis-server of the tests' own, nothing saved to disk."""

    def __init__(self, folder):
        self.folder = folder
        self.port = self._free_port()
        self.process: subprocess.Popen | None = None
        self.stops = 0

    @staticmethod
    def _free_port() -> int:
        for port in range(FIRST_PORT, FIRST_PORT + 60):
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        raise RuntimeError("no free port from 6391 for a private redis-server")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/1"

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=5)

    def start(self) -> None:
        assert self.process is None
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        )

        def up():
            try:
                return self.client().ping()
            except Exception:
                return False

        wait_until(up, timeout=20, what=f"the private redis-server on port {self.port}")

    def stop(self) -> None:
        """Gone at once, as a crashed or restarted Redis is (with nothing on disk, its queues go with it)."""
        if self.process is None:
            return
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None
        self.stops += 1


@pytest.fixture(scope="package")
def private_redis(tmp_path_factory):
    import shutil

    if not shutil.which("redis-server"):
        service_unavailable("the fault tests need redis-server (Debian's redis-server package)")
    server = PrivateRedis(tmp_path_factory.mktemp("private-redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def celery_on_private_redis(private_redis):
    from config.celery_app import app

    previous = (app.conf.broker_url, app.conf.broker_transport_options)

    def use(url, options):
        app.conf.broker_url = url
        app.conf.broker_transport_options = options
        app._after_fork()

    use(private_redis.url, {"visibility_timeout": 3600})
    yield app
    use(*previous)


@pytest.fixture(scope="package")
def published(celery_on_private_redis):
    with recording_published() as messages:
        yield messages


@pytest.fixture(scope="package")
def worker(django_db_setup, private_redis, celery_on_private_redis, mailbox, receiver, tmp_path_factory):
    from django.db import connection

    if connection.vendor != "postgresql":
        service_unavailable("the fault tests need PostgreSQL: set DATABASE_URL=postgres://...")
    folder = tmp_path_factory.mktemp("fault-worker")
    env = worker_env(broker_url=private_redis.url, smtp_port=mailbox.port, folder=folder)
    process = Worker(env=env, log_path=folder / "worker.log", name="faults@%h")
    process.start()
    _running["worker"] = process
    try:
        yield process
    finally:
        _running.pop("worker", None)
        process.stop()
        print(f"\nfault worker log: {process.log_path}")


@pytest.fixture(autouse=True)
def fault_test(transactional_db, worker, private_redis, celery_on_private_redis, published, mailbox, receiver,
               settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    if private_redis.process is None:
        private_redis.start()
    private_redis.client().flushdb()
    mailbox.reset()
    receiver.reset()
    published.clear()
    yield
    if private_redis.process is None:
        private_redis.start()
    # Whatever a test left (messages a killed worker held, sweeps it queued)
    # must not spill into the next one: stop the worker, empty the broker.
    worker.stop()
    private_redis.client().flushdb()
    worker.start()
    time.sleep(0.1)
