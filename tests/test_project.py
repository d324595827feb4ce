"""The plumbing: settings, the secret key, Celery's configuration and `make run`.

Settings are read once per process, so what depends on the environment is
checked in a fresh Python process with an environment of its own and a
scratch FW_VAR_DIR: nothing here touches var/ or the shared databases.
"""

import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests import conftest, factories

ROOT = Path(__file__).resolve().parent.parent
# Variables that would make a child process use something other than the embedded defaults.
OWN_PREFIXES = ("DJANGO_", "FW_", "CELERY_", "DATABASE_URL", "CACHE_URL", "EMAIL_URL")


def clean_env(var_dir, **extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith(OWN_PREFIXES)}
    env.update({"FW_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "config.settings.local", **extra})
    return env


def run_python(code, env, timeout=60):
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


# Settings ---------------------------------------------------------------------

DEFAULT_SETTINGS_PROBE = """
import json, sqlite3
import django
django.setup()
from django.conf import settings
from django.db import connection, transaction

database = settings.DATABASES["default"]
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
# IMMEDIATE: the write lock is taken at BEGIN, so another writer is refused
# at once (timeout 0) although this transaction has not written yet.
with transaction.atomic():
    other = sqlite3.connect(database["NAME"], timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        write_lock_at_begin = False
    except sqlite3.OperationalError as exc:
        write_lock_at_begin = "locked" in str(exc)
    other.close()
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": database["ENGINE"],
    "name": str(database["NAME"]),
    "journal_mode": journal_mode,
    "transaction_mode": database["OPTIONS"].get("transaction_mode"),
    "write_lock_at_begin": write_lock_at_begin,
    "broker_url": settings.CELERY_BROKER_URL,
    "broker_options": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
}))
"""


@pytest.fixture(scope="module")
def default_settings(tmp_path_factory):
    """What the settings are with nothing set, as `make run` starts them."""
    var_dir = tmp_path_factory.mktemp("var")
    result = run_python(DEFAULT_SETTINGS_PROBE, clean_env(var_dir))
    assert result.returncode == 0, result.stderr
    return var_dir, json.loads(result.stdout.strip().splitlines()[-1])


def test_debug_is_off_by_default(default_settings):
    _, facts = default_settings
    assert facts["debug"] is False


def test_default_database_is_sqlite_in_wal_mode_with_immediate_transactions(default_settings):
    var_dir, facts = default_settings
    assert facts["engine"] == "django.db.backends.sqlite3"
    assert Path(facts["name"]).parent == var_dir
    assert facts["journal_mode"] == "wal"
    assert facts["transaction_mode"] == "IMMEDIATE"
    assert facts["write_lock_at_begin"] is True


def test_filesystem_broker_uses_one_folder_for_in_and_out(default_settings):
    var_dir, facts = default_settings
    options = facts["broker_options"]
    assert facts["broker_url"] == "filesystem://"
    # Every process publishes to and consumes from the same folder; with two,
    # web would publish where no worker ever looks.
    assert options["data_folder_in"] == options["data_folder_out"] == str(var_dir / "broker" / "queue")
    assert options["processed_folder"] == str(var_dir / "broker" / "processed")
    # kombu keeps exchange bindings in "control" under the working directory unless told.
    assert options["control_folder"] == str(var_dir / "broker" / "control")


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = clean_env(tmp_path, DJANGO_SETTINGS_MODULE="config.settings.production")
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_loads_with_a_secret_key_and_debug_off(tmp_path):
    env = clean_env(
        tmp_path, DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="k" * 50, DJANGO_DEBUG="1"
    )
    result = run_python(
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)",
        env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "k" * 50]


# The secret key ---------------------------------------------------------------

# Loads config/secret_key.py by its path: importing the config package would
# import Celery too, and slow the start of each process for nothing.
KEY_RACER = """
import importlib.util, sys, time
from pathlib import Path
ready, go, key = map(Path, sys.argv[1:4])
spec = importlib.util.spec_from_file_location("secret_key", "config/secret_key.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
ready.touch()
while not go.exists():
    time.sleep(0.001)
print(module.load_or_create(key))
"""


def test_secret_key_is_generated_once_by_processes_starting_together(tmp_path):
    var_dir = tmp_path / "var"
    key_file = var_dir / "secret_key"
    signals = tmp_path / "signals"
    signals.mkdir()
    go = signals / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", KEY_RACER, str(signals / f"ready-{i}"), str(go), str(key_file)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for i in range(8)
    ]
    deadline = time.monotonic() + 60
    while len(list(signals.glob("ready-*"))) < 8:
        assert time.monotonic() < deadline, "the processes did not start"
        time.sleep(0.01)
    go.touch()
    keys = []
    for racer in racers:
        out, err = racer.communicate(timeout=60)
        assert racer.returncode == 0, err
        keys.append(out.strip())

    assert len(set(keys)) == 1
    assert len(keys[0]) >= 50
    assert key_file.read_text().strip() == keys[0]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [path.name for path in var_dir.iterdir()] == ["secret_key"], "temporary files were left behind"


# Celery -----------------------------------------------------------------------

WORKER_QUEUES = {"sweeps", "delivery"}


def test_celery_delivers_at_least_once_one_message_at_a_time():
    from config.celery_app import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.task_serializer == "json"
    assert list(conf.accept_content) == ["json"]


def test_every_queue_a_task_goes_to_is_consumed_by_the_workers():
    from config.celery_app import app

    routed = {route["queue"] for route in app.conf.task_routes.values()}
    assert {app.conf.task_default_queue} | routed <= WORKER_QUEUES
    run_script = (ROOT / "scripts" / "run.sh").read_text()
    assert re.search(r"celery\" -A config worker -Q sweeps,delivery\b", run_script)


# The admin account of `make run` --------------------------------------------


@pytest.fixture
def no_admin_env(monkeypatch):
    for name in ("FW_ADMIN_USERNAME", "FW_ADMIN_PASSWORD", "FW_ADMIN_EMAIL"):
        monkeypatch.delenv(name, raising=False)


def ensure_admin():
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_ensure_admin_creates_one_admin_and_prints_its_generated_password(no_admin_env):
    output = ensure_admin()

    admin = get_user_model().objects.get()
    assert admin.username == "admin" and admin.is_superuser and admin.is_staff
    password = re.search(r"password '([^']+)'", output).group(1)
    assert admin.check_password(password)


@pytest.mark.django_db
def test_ensure_admin_is_idempotent_and_never_shows_the_password_again(no_admin_env):
    ensure_admin()
    before = get_user_model().objects.get()

    output = ensure_admin()

    after = get_user_model().objects.get()
    assert after.password == before.password
    assert "exists" in output and "password '" not in output


@pytest.mark.django_db
def test_ensure_admin_takes_its_credentials_from_the_environment(monkeypatch):
    monkeypatch.setenv("FW_ADMIN_USERNAME", "chief")
    monkeypatch.setenv("FW_ADMIN_PASSWORD", "from-the-environment-4821")
    monkeypatch.setenv("FW_ADMIN_EMAIL", "chief@example.org")

    output = ensure_admin()

    admin = get_user_model().objects.get()
    assert (admin.username, admin.email, admin.is_superuser) == ("chief", "chief@example.org", True)
    assert admin.check_password("from-the-environment-4821")
    assert "from-the-environment-4821" not in output


@pytest.mark.django_db
def test_ensure_admin_leaves_an_existing_superuser_alone(no_admin_env):
    factories.make_admin("someone")

    ensure_admin()

    assert list(get_user_model().objects.values_list("username", flat=True)) == ["someone"]


@pytest.mark.django_db
def test_ensure_admin_refuses_to_promote_a_plain_account(no_admin_env):
    factories.make_user("admin")

    with pytest.raises(CommandError, match="not a superuser"):
        ensure_admin()


# `make run` -------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_tree(root_pid):
    """The pids of root_pid's descendants, from /proc."""
    children = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat_file.parent.name))
    found, todo = [], [root_pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def running(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class RunScript:
    """scripts/run.sh in a process group of its own, as a terminal would run it."""

    def __init__(self, var_dir):
        self.port = free_port()
        env = clean_env(
            var_dir, FW_BIND=f"127.0.0.1:{self.port}", FW_SKIP_DEMO="1", FW_WEB_WORKERS="1", FW_STOP_TIMEOUT="20"
        )
        self.process = subprocess.Popen(
            ["bash", "scripts/run.sh"], cwd=ROOT, env=env, start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self):
        return "".join(self.lines)

    def wait_for(self, text, timeout=120):
        deadline = time.monotonic() + timeout
        while text not in self.output:
            assert self.process.poll() is None, f"run.sh exited {self.process.returncode}:\n{self.output}"
            assert time.monotonic() < deadline, f"no {text!r} after {timeout}s:\n{self.output}"
            time.sleep(0.1)

    def wait_for_processes(self, names, timeout=60):
        """Wait until web, worker and beat (and their children) are all up."""
        deadline = time.monotonic() + timeout
        while True:
            tree = process_tree(self.process.pid)
            commands = " ".join(Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
                                for pid in tree if running(pid))
            if all(name in commands for name in names):
                return tree
            assert time.monotonic() < deadline, f"not all of {names} started:\n{self.output}"
            time.sleep(0.2)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        for pid in process_tree(self.process.pid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass


PROCESSES = ["gunicorn", "celery -A config worker", "celery -A config beat"]


@pytest.fixture
def run_script(tmp_path):
    scripts = []

    def start():
        script = RunScript(tmp_path / "var")
        scripts.append(script)
        return script

    yield start
    for script in scripts:
        script.stop()


def assert_all_gone(pids, timeout=10):
    deadline = time.monotonic() + timeout
    while any(running(pid) for pid in pids):
        assert time.monotonic() < deadline, f"still running: {[pid for pid in pids if running(pid)]}"
        time.sleep(0.1)


def test_make_run_prepares_starts_everything_and_ctrl_c_stops_it_all(run_script, tmp_path):
    script = run_script()
    script.wait_for("Forecast Watch is running")
    pids = script.wait_for_processes(PROCESSES)

    var_dir = tmp_path / "var"
    for folder in ("queue", "processed", "control"):
        assert (var_dir / "broker" / folder).is_dir(), folder
    assert stat.S_IMODE((var_dir / "secret_key").stat().st_mode) == 0o600
    assert "Admin account created: username 'admin', password '" in script.output
    assert f"http://127.0.0.1:{script.port}/admin/" in script.output
    with urllib.request.urlopen(f"http://127.0.0.1:{script.port}/admin/login/", timeout=10) as response:
        assert response.status == 200
    with urllib.request.urlopen(f"http://127.0.0.1:{script.port}/static/admin/css/base.css", timeout=10) as response:
        assert response.status == 200  # collectstatic ran and WhiteNoise serves it

    os.killpg(script.process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends

    assert script.process.wait(timeout=60) == 130
    assert_all_gone(pids)
    assert "Stopped web, worker and beat" in script.output


def test_make_run_stops_everything_when_one_process_dies(run_script):
    script = run_script()
    script.wait_for("Forecast Watch is running")
    pids = script.wait_for_processes(PROCESSES)
    beat = next(
        pid for pid in pids
        if "celery -A config beat" in Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    )

    os.kill(beat, signal.SIGKILL)

    assert script.process.wait(timeout=60) == 1
    assert_all_gone(pids)
    assert "beat exited" in script.output


# Tests that need a service ---------------------------------------------------------


@pytest.mark.parametrize("required, outcome", [(False, pytest.skip.Exception), (True, pytest.fail.Exception)])
def test_a_missing_service_skips_a_test_unless_services_are_required(monkeypatch, required, outcome):
    monkeypatch.setattr(conftest, "REQUIRE_SERVICES", required)

    with pytest.raises(outcome, match="needs Redis at redis://127.0.0.1:1/9"):
        conftest.connect_test_redis("redis://127.0.0.1:1/9")  # nothing listens on port 1


def test_the_tests_never_use_redis_database_0():
    with pytest.raises(pytest.fail.Exception, match="db 0"):
        conftest.connect_test_redis("redis://127.0.0.1:6379/0")


def test_redis_url_is_a_database_of_the_tests_own(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    assert client.connection_pool.connection_kwargs["db"] != 0
    assert client.dbsize() == 0, "the fixture empties its database first"
    client.set("forecast-watch-test", "1")
    assert client.get("forecast-watch-test") == b"1"
    client.close()


# Documentation ------------------------------------------------------------------


def test_readme_documents_every_environment_variable_of_the_settings():
    readme = (ROOT / "README.md").read_text()
    names = set()
    for settings_file in (ROOT / "config" / "settings").glob("*.py"):
        names |= set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", settings_file.read_text()))
    assert names, "no env(...) calls found: has the settings' style changed?"
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f"add these to the configuration table of README.md: {missing}"
