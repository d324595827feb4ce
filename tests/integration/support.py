"""The real pieces of the integration tests: a Celery worker process, an HTTP
receiver with programmable answers, and what they share (bounded waits, a look
into the broker).

Every wait here has a deadline and fails with a message saying what it waited
for and what it saw last; nothing waits forever.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from tests.loopback import LoopbackHTTPServer

BASE_DIR = Path(settings.BASE_DIR)
CELERY = BASE_DIR / ".venv" / "bin" / "celery"
# The queues the worker consumes; a message anywhere else would be a bug too,
# so the broker look below reads every list key, not only these.
QUEUES = ("sweeps", "delivery")


# Runs the worker command with PR_SET_PDEATHSIG, so that a test run killed
# outright (no fixture teardown) does not leave a worker consuming the tests'
# Redis database. It survives the exec; Linux only, a no-op elsewhere.
_DIE_WITH_PARENT = """
import ctypes, os, signal, sys
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
except (AttributeError, OSError):
    pass
os.execv(sys.argv[1], sys.argv[1:])
"""


class WaitTimeout(AssertionError):
    pass


def wait_until(check, *, timeout: float, what: str, interval: float = 0.05, seen=None):
    """Call `check` until it returns something truthy, and return that. After
    `timeout` seconds fail, naming `what` and (if given) `seen()`, the last
    state observed."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            detail = f"; last seen: {seen()}" if seen is not None else ""
            raise WaitTimeout(f"Timed out after {timeout:g} s waiting for {what}{detail}")
        time.sleep(interval)


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL (as django-environ reads it) for the database Django is
    connected to: the test database pytest-django created."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or ""
    port = settings_dict.get("PORT") or ""
    location = f"{host}:{port}" if host and port else host
    return f"postgres://{auth}{location}/{quote(settings_dict['NAME'], safe='')}"


# -- The worker -------------------------------------------------------------------

# What the tests' workers run with, and the tests count on.
MAX_ATTEMPTS = 4
RETRY_BASE_SECONDS = 1


def worker_env(*, broker_url: str, smtp_port: int, folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a test worker (`celery -A config worker`): this
    process's own, less its Django, Celery and service settings, plus
    config.settings.local pointed at the database pytest-django made (not the
    one DATABASE_URL names), the given broker, the tests' SMTP server,
    webhooks to 127.0.0.1 only, and fast retries (1 s base, factor 1,
    MAX_ATTEMPTS attempts). `extra` adds or overrides settings."""
    from django.db import connection

    env = {
        name: value for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "CELERY_", "FW_", "EMAIL_", "DATABASE_"))
    }
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": broker_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "FW_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32",
        "FW_VAR_DIR": str(folder / "var"),
        # This process's key, so links the worker signs are valid here too.
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "FW_WATCH_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        "FW_WATCH_RETRY_BASE_SECONDS": str(RETRY_BASE_SECONDS),
        "FW_WATCH_RETRY_FACTOR": "1",
        "DJANGO_LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        **extra,
    })
    return env


@contextlib.contextmanager
def recording_published():
    """Every task message this process hands to the broker while inside:
    task, eta, countdown, args, kwargs and queue, in the order sent."""
    from celery.signals import after_task_publish

    messages: list[dict] = []

    def record(sender=None, headers=None, body=None, routing_key=None, **kwargs):
        args, kw, _ = body if isinstance(body, (list, tuple)) and len(body) == 3 else ([], {}, {})
        headers = headers or {}
        messages.append({
            "task": headers.get("task", sender), "eta": headers.get("eta"), "countdown": headers.get("countdown"),
            "args": list(args), "kwargs": dict(kw), "queue": routing_key,
        })

    after_task_publish.connect(record, weak=False)
    try:
        yield messages
    finally:
        after_task_publish.disconnect(record)


class Worker:
    """`celery -A config worker` as its own process group, its output in a log file."""

    def __init__(self, *, env: dict[str, str], log_path: Path, name: str = "integ@%h"):
        self.env = env
        self.log_path = log_path
        self.name = name
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, *, timeout: float = 60) -> None:
        assert self.process is None, "the worker is already running"
        self.starts += 1
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            log.write(f"\n===== integration worker, start {self.starts} =====\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [
                    sys.executable, "-c", _DIE_WITH_PARENT, str(CELERY),
                    "-A", "config", "worker", "-Q", ",".join(QUEUES),
                    "--concurrency", "2", "--pool", "prefork", "--loglevel", "INFO", "-n", self.name,
                    # Alone on its Redis database: no other worker to greet or sync with.
                    "--without-gossip", "--without-mingle", "--without-heartbeat",
                ],
                cwd=BASE_DIR, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                # Its own process group, so that one signal reaches the main
                # process and its pool children alike (the SIGKILL test).
                start_new_session=True,
            )

        def ready():
            if self.process.poll() is not None:
                raise AssertionError(
                    f"The worker exited with code {self.process.returncode} while starting:\n{self.tail()}"
                )
            return re.search(rb"\bready\.", self._log_bytes()[offset:])

        try:
            wait_until(ready, timeout=timeout, what="the Celery worker to log 'ready.'", interval=0.1,
                       seen=lambda: "\n" + self.tail(20))
        except BaseException:
            self.stop()
            raise

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole process group: no warm shutdown, no ack, no cleanup."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)
        self._reap_group()
        self.process = None

    def stop(self, *, timeout: float = 20) -> None:
        """A warm shutdown (SIGTERM: finish the running tasks), then SIGKILL
        whatever is left after `timeout`."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def _reap_group(self) -> None:
        # Pool children are not ours to wait for, but they must be gone before
        # the test database is dropped; give the kernel a moment to make it so.
        pgid = self.process.pid

        def gone():
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return True
            except PermissionError:
                return False
            return False

        deadline = time.monotonic() + 10
        while not gone() and time.monotonic() < deadline:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                break
            time.sleep(0.05)

    def _log_bytes(self) -> bytes:
        try:
            return self.log_path.read_bytes()
        except FileNotFoundError:
            return b""

    def tail(self, lines: int = 80) -> str:
        text = self._log_bytes().decode("utf-8", "replace")
        return "\n".join(text.splitlines()[-lines:])

    def log_since(self, offset: int) -> str:
        return self._log_bytes()[offset:].decode("utf-8", "replace")

    def log_size(self) -> int:
        return len(self._log_bytes())


# -- The broker ---------------------------------------------------------------------

@dataclass
class BrokerMessage:
    where: str  # the list key it waits in, or "unacked" (taken by a worker, not acknowledged)
    task: str
    eta: str | None
    countdown: object
    args: list
    kwargs: dict


def _decode_message(raw: bytes | str, where: str) -> BrokerMessage:
    import base64

    message = json.loads(raw)
    headers = message.get("headers") or {}
    body = message.get("body")
    try:
        args, kwargs, _ = json.loads(base64.b64decode(body)) if body else ([], {}, {})
    except (ValueError, TypeError):
        args, kwargs = [], {}
    return BrokerMessage(where=where, task=headers.get("task", "?"), eta=headers.get("eta"),
                         countdown=headers.get("countdown"), args=args, kwargs=kwargs)


def broker_messages(client) -> list[BrokerMessage]:
    """Every task message held in the Redis database: waiting in a queue (any
    list key), or taken by a worker and not yet acknowledged (the `unacked`
    hash, where kombu also keeps what a worker holds back for an ETA)."""
    found = []
    for key in client.scan_iter(count=1000):
        name = key.decode() if isinstance(key, bytes) else key
        if name.startswith("_kombu") or client.type(key) != b"list":
            continue
        found.extend(_decode_message(raw, name) for raw in client.lrange(key, 0, -1))
    for raw in client.hvals("unacked"):
        message, _exchange, _routing_key = json.loads(raw)
        found.append(_decode_message(json.dumps(message), "unacked"))
    return found


def broker_idle(client, *, ignore=None) -> bool:
    """Nothing queued and nothing taken but unacknowledged (with late
    acknowledgement, a task leaves `unacked` only once it has finished), not
    counting the messages `ignore` accepts."""
    return not [m for m in broker_messages(client) if ignore is None or not ignore(m)]


def wait_for_idle_broker(client, *, timeout: float = 30, what: str = "the worker to finish every task",
                         ignore=None) -> None:
    # Twice in a row: a message is briefly in neither place between the
    # worker's BRPOP and its entry in `unacked`.
    def settled():
        if not broker_idle(client, ignore=ignore):
            return False
        time.sleep(0.15)
        return broker_idle(client, ignore=ignore)

    wait_until(settled, timeout=timeout, what=what,
               seen=lambda: Counter((m.where, m.task) for m in broker_messages(client)))


def restore_unacknowledged(url: str) -> None:
    """Put every message taken but never acknowledged back in its queue, as
    the Redis transport does once its visibility timeout (an hour) has passed:
    kombu's own restore, with a visibility timeout of zero."""
    from kombu import Connection

    with Connection(url, transport_options={"visibility_timeout": 0}) as connection:
        connection.default_channel.qos.restore_visible(num=10_000)


# -- The HTTP receiver -----------------------------------------------------------------

@dataclass
class Received:
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes
    status: int  # what the receiver answered

    @property
    def webhook_id(self) -> str:
        return self.headers.get("webhook-id", "")

    def json(self) -> dict:
        return json.loads(self.body)


class HttpReceiver(LoopbackHTTPServer):
    """A threaded HTTP server on 127.0.0.1 that records every POST (headers and
    body, as it arrived, before answering) and answers by path:

        /ok/...             200
        /fail/<n>/...       500 to the first n requests of that exact path, then 200
        /down/...           500, always
        /slow/<ms>/...      waits ms milliseconds, then 200
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._requests: list[Received] = []
        self._seen_per_path: Counter = Counter()
        super().__init__(self._handler_class())

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._seen_per_path.clear()

    @property
    def requests(self) -> list[Received]:
        with self._lock:
            return list(self._requests)

    def count(self) -> int:
        with self._lock:
            return len(self._requests)

    def _answer(self, path: str) -> int:
        parts = path.strip("/").split("/")
        with self._lock:
            self._seen_per_path[path] += 1
            seen = self._seen_per_path[path]
        if parts[0] == "fail":
            return 500 if seen <= int(parts[1]) else 200
        if parts[0] == "down":
            return 500
        if parts[0] == "slow":
            time.sleep(int(parts[1]) / 1000)
            return 200
        if parts[0] == "ok":
            return 200
        return 404

    def _handler_class(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                record = Received(
                    path=self.path, headers={k.lower(): v for k, v in self.headers.items()}, body=body, status=0,
                )
                with receiver._lock:
                    receiver._requests.append(record)
                status = receiver._answer(self.path)
                record.status = status
                reply = b'{"ok": true}' if status == 200 else b"receiver says no"
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format, *args):
                pass

        return Handler


# -- Mail -------------------------------------------------------------------------------

class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self._lock = threading.Lock()
        self._envelopes = []

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self._envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def reset(self) -> None:
        with self._lock:
            self._envelopes.clear()

    def count(self) -> int:
        with self._lock:
            return len(self._envelopes)

    def messages(self, to: str | None = None) -> list[email.message.EmailMessage]:
        with self._lock:
            envelopes = list(self._envelopes)
        return [
            email.message_from_bytes(e.original_content or e.content, policy=email.policy.default)
            for e in envelopes
            if to is None or to in e.rcpt_tos
        ]


def text_of(message: email.message.EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


# -- The pipeline, seen from the test ------------------------------------------------------

def wait_changes_processed(*, timeout: float = 30) -> None:
    """Until the worker has processed every change row (the task a commit
    queues: watch/receivers.py)."""
    from timeline.models import Change

    pending = Change.objects.filter(processed_at__isnull=True)
    wait_until(lambda: not pending.exists(), timeout=timeout, what="the worker to process every change row",
               seen=lambda: list(pending.values_list("pk", "kind")))


def dispatch(now, published: list[dict]) -> tuple[int, list[dict]]:
    """Run the dispatch sweep in this process at `now`, as beat's task would:
    it claims what is due and hands each claim to the worker through Redis.
    Returns how many it claimed and the messages it published (`published`
    is the fixture recording them)."""
    from watch import tasks

    before = len(published)
    claimed = tasks.dispatch_deliveries(now=now.isoformat())
    return claimed, published[before:]


def verified(request: Received, secret: str) -> dict:
    """The payload of a webhook request, verified by the Standard Webhooks
    reference library with the subscription's secret (and the wall clock)."""
    from standardwebhooks import Webhook

    return Webhook(secret).verify(request.body, request.headers)


def wait_for_arrivals(client, mailbox: Mailbox, receiver: HttpReceiver, *, emails: int, webhooks: int, what: str,
                      timeout: float = 30) -> None:
    """Until the SMTP server holds `emails` messages and the HTTP receiver
    `webhooks` requests (at least), and then until the worker has finished:
    a receiver has the message a moment before the worker records the outcome."""
    wait_until(lambda: mailbox.count() >= emails and receiver.count() >= webhooks, timeout=timeout, what=what,
               seen=lambda: f"{mailbox.count()} emails, {receiver.count()} webhook requests")
    wait_for_idle_broker(client, what=f"the worker to record the outcome of {what}")


@contextlib.contextmanager
def running_mailbox():
    """An aiosmtpd server on a free loopback port, keeping what it accepts:
    yields the Mailbox, with `port` and `controller` (fault tests stop and
    start it) set; stopped on the way out, whatever state it was left in."""
    from aiosmtpd.controller import Controller

    handler = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    handler.controller = controller
    try:
        yield handler
    finally:
        try:
            controller.stop()
        except Exception:  # noqa: BLE001 - a fault test may have stopped it already
            pass


# -- Fixtures of the packages that run a worker ----------------------------------
# tests/integration and tests/faults import these into their conftest.py, so
# each package gets receivers of its own, started once for the package.

@pytest.fixture(scope="package")
def mailbox():
    with running_mailbox() as handler:
        yield handler


@pytest.fixture(scope="package")
def receiver():
    server = HttpReceiver().start()
    yield server
    server.stop()


def add_worker_log(report, worker: Worker | None, *, title: str, lines: int = 120) -> None:
    """A failed test's report shows the tail of the worker's log."""
    if report.failed and worker is not None:
        report.sections.append((title, worker.tail(lines)))
