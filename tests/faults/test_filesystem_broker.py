"""The embedded defaults of `make run` (config.settings.local with nothing
set: SQLite in var/, kombu's filesystem broker in var/broker/), with real
processes: web (gunicorn), worker and beat. The worker is SIGKILLed in the
middle of delivering, and web, worker and beat are restarted in two
different orders, with writes made through the API while the worker is
down. The same promises as on Redis, counted the same way: every
notification delivered, none written twice, every id at the receivers a
delivery's own.

The filesystem transport has no "unacknowledged" store: a message a killed
worker had taken is gone with it. The delivery lease brings it back (beat's
reclaim sweep), so the lease is short here (8 s, with webhook and SMTP
timeouts under it), and beat ticks every 2 seconds.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import urllib.request
from collections import Counter
from pathlib import Path

from tests.faults.test_burst import free_port
from tests.integration.support import Worker, wait_until
from watch.channels.email import message_id

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
WEBHOOKS = 12
EMAILS = 4

SETUP = """
import json, django
django.setup()
from datetime import timedelta
from django.utils import timezone
from rest_framework.authtoken.models import Token
from tests.builders import make_milestone, make_storyline, time_when
from tests.factories import make_editor
from watch import services
now = timezone.now()
storyline = make_storyline("Gaza ceasefire", slug="gaza")
milestones = [make_milestone(now=now, when=time_when(now + timedelta(days=3, hours=n)), storylines=[storyline],
                             title=f"Round {{n}}") for n in range(3)]
for n in range({webhooks}):
    services.subscription_create(now=now, email=f"hook{{n}}@example.org", storyline=storyline, send_email=False,
        webhook_url="http://127.0.0.1:{port}/slow/60/desk%d" % n, news=["moves"], confirmed=True)
for n in range({emails}):
    services.subscription_create(now=now, email=f"reader{{n}}@example.org", storyline=storyline, news=["moves"],
        confirmed=True)
token = Token.objects.create(user=make_editor("desk")).key
print(json.dumps({{"token": token, "milestones": [str(m.public_id) for m in milestones]}}))
"""


class Process:
    def __init__(self, name, argv, env, log):
        self.name, self.argv, self.env, self.log = name, argv, env, log
        self.process = None

    def start(self):
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)

    def stop(self):
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
        self.process = None


def test_the_embedded_broker_loses_nothing_when_processes_die_and_restart_in_any_order(mailbox, receiver, tmp_path):
    var = tmp_path / "var"
    for folder in ("queue", "processed", "control"):  # as scripts/run.sh makes them
        (var / "broker" / folder).mkdir(parents=True)
    web_port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FW_", "CELERY_", "DATABASE_",
                                                                     "EMAIL_", "CACHE_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.local", "FW_VAR_DIR": str(var),
        "EMAIL_URL": f"smtp://127.0.0.1:{mailbox.port}", "FW_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32",
        "FW_SWEEP_INTERVAL_SECONDS": "2", "FW_WATCH_DELIVERY_LEASE_SECONDS": "8",
        "FW_WEBHOOK_CONNECT_TIMEOUT": "1", "FW_WEBHOOK_READ_TIMEOUT": "3", "DJANGO_EMAIL_TIMEOUT": "3",
        "FW_WATCH_RETRY_BASE_SECONDS": "1", "FW_WATCH_RETRY_FACTOR": "1", "FW_WATCH_MAX_ATTEMPTS": "10",
        "PYTHONUNBUFFERED": "1",
    })
    run = lambda *argv: subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)  # noqa: E731
    migrated = run(sys.executable, "manage.py", "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    made = run(sys.executable, "-c", SETUP.format(webhooks=WEBHOOKS, emails=EMAILS, port=receiver.port))
    assert made.returncode == 0, made.stderr[-3000:]
    setup = json.loads(made.stdout.strip().splitlines()[-1])
    assert run(sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0").returncode == 0
    database = var / "forecast-watch.sqlite3"

    def rows(sql):
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as db:
            return db.execute(sql).fetchall()

    def states():
        return dict(rows("SELECT state, count(*) FROM watch_delivery GROUP BY state"))

    web = Process("web", [str(BIN / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{web_port}", "-w", "1"],
                  env, tmp_path / "web.log")
    beat = Process("beat", [str(BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO",
                            "--schedule", str(var / "celerybeat-schedule")], env, tmp_path / "beat.log")
    worker = Worker(env=env, log_path=tmp_path / "worker.log", name="embedded@%h")

    def postpone(n, days):
        request = urllib.request.Request(
            f"http://127.0.0.1:{web_port}/api/v1/milestones/{setup['milestones'][n]}/postpone/",
            data=json.dumps({"when": {"edtf": f"2031-0{days}-01", "tz": "UTC"}}).encode(), method="POST",
            headers={"Authorization": f"Token {setup['token']}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200

    def web_up():
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{web_port}/api/v1/", timeout=2).status == 200
        except OSError:
            return False

    endpoints = WEBHOOKS + EMAILS
    try:
        worker.start()
        beat.start()
        web.start()
        wait_until(web_up, timeout=60, interval=0.2, what="web to answer")

        # 1. The worker killed mid-delivery; then web, then beat restarted, a write
        #    made while the worker is down, and the worker last.
        postpone(0, 2)
        wait_until(lambda: receiver.count() >= 3, timeout=60, what="the first deliveries to arrive", seen=states)
        worker.kill()
        web.stop()
        web.start()
        wait_until(web_up, timeout=60, interval=0.2, what="web to answer again")
        postpone(1, 3)
        beat.stop()
        beat.start()
        worker.start()
        wait_until(lambda: states() == {"sent": endpoints * 2}, timeout=120, interval=0.5,
                   what="every delivery of two postponements to be sent", seen=states)

        # 2. Killed again; this time the worker comes back first, then beat, then web.
        postpone(2, 4)
        wait_until(lambda: receiver.count() >= WEBHOOKS * 2 + 3, timeout=60, what="the third round to arrive")
        worker.kill()
        worker.start()
        beat.stop()
        beat.start()
        web.stop()
        web.start()
        wait_until(lambda: states() == {"sent": endpoints * 3}, timeout=120, interval=0.5,
                   what="every delivery of three postponements to be sent", seen=states)
    finally:
        worker.stop()
        beat.stop()
        web.stop()

    notifications = rows("SELECT endpoint_id, change_id, delivery_id FROM watch_notification")
    assert len(notifications) == endpoints * 3
    assert len({(e, c) for e, c, _ in notifications}) == len(notifications)  # none written twice
    assert len({d for _, _, d in notifications}) == len(notifications)  # one delivery each
    deliveries = dict(rows("SELECT public_id, id FROM watch_delivery"))
    hooks = Counter(r.webhook_id for r in receiver.requests)
    by_message_id = {message_id(pid): pid for pid in deliveries}
    mails = Counter(by_message_id.get(str(m["Message-ID"]), "unknown") for m in mailbox.messages())
    assert set(hooks) | set(mails) == set(deliveries), "an id missing at the receivers, or one no delivery has"
    lost = rows("SELECT count(*) FROM watch_deliveryattempt WHERE outcome = 'lost'")[0][0]
    print(f"\n[faults] embedded broker: 2 SIGKILLs, web/worker/beat restarted in two orders; "
          f"{len(notifications)} notifications, {sum(hooks.values())} webhook requests, {sum(mails.values())} emails, "
          f"{sum(n - 1 for n in hooks.values()) + sum(n - 1 for n in mails.values())} repeats of known ids, "
          f"{lost} attempts taken back by the lease")
