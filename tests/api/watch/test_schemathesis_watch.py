"""Schemathesis over watch's operations, with their path parameters pinned to
real rows, so generated requests reach the views and services rather than
stopping at 404 (tests/api/test_schemathesis_live.py walks the whole schema
but knows no subscription or delivery).

As an admin, who may do everything here: read and change someone's
subscription, rotate its secret, unsubscribe it, read and resend a dead
delivery. Same checks, seed and bounds as the live test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from tests.api.conftest import Record
from tests.api.test_schemathesis_live import CHECKS, SEED
from tests.api.watch.conftest import Alerts

MAX_EXAMPLES = 10
TIME_BUDGET = 45
# subscriptions: list, create, retrieve, patch, delete, rotate-secret; deliveries: list, retrieve, resend
OPERATIONS = 9


@pytest.mark.django_db(transaction=True)
def test_watch_operations_conform_to_the_schema(live_server, admin_user, subscriber, outsider, clock, channels,
                                                 tmp_path):
    alerts = Alerts(record=Record(clock), subscriber=subscriber, outsider=outsider, clock=clock, channels=channels)
    pins = [
        (r"^/api/v1/subscriptions/\\{pk\\}", "pk", alerts.subscription.pk),
        (r"^/api/v1/deliveries/\\{pk\\}", "pk", alerts.dead.pk),
    ]
    config = tmp_path / "schemathesis.toml"
    config.write_text("".join(
        f'[[operations]]\ninclude-path-regex = "{regex}"\nparameters = {{ "path.{name}" = "{value}" }}\n\n'
        for regex, name, value in pins
    ))
    token = Token.objects.create(user=admin_user)
    report_dir = tmp_path / "schemathesis"
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(config),
        "run", f"{live_server.url}/api/schema/?format=json",
        "--include-path-regex", "^/api/v1/(subscriptions|deliveries)/",
        "--url", live_server.url, "--checks", CHECKS, "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED),
        "--max-time", str(TIME_BUDGET), "--phases", "examples,coverage,fuzzing", "--workers", "1",
        "--header", f"Authorization: Token {token.key}", "--request-timeout", "10",
        "--report", "json", "--report-dir", str(report_dir), "--no-color",
    ]

    run = subprocess.run(command, capture_output=True, text=True, timeout=TIME_BUDGET + 60, cwd=tmp_path)

    print(run.stdout[-8000:], run.stderr[-2000:])
    [report_file] = report_dir.glob("*.json")
    report = json.loads(report_file.read_text())
    print(f"schemathesis: {report['test_cases']['generated']} requests over {report['operations']['tested']} "
          f"operations; {report['test_cases']['unique_failures']} failures, {len(report['errors'])} errors")
    assert report["operations"]["tested"] == OPERATIONS
    assert report["failures"] == [] and report["errors"] == []
    assert run.returncode == 0, "schemathesis found failures (see the output above)"
