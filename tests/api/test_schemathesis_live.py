"""Schemathesis over the whole schema against a live server.

pytest-django's live_server runs the real stack (routing, auth, throttles,
transactions) on a loopback port against the test database; schemathesis
(its CLI, in a subprocess) fetches /api/schema/, generates requests for
every operation, valid and invalid, authenticated as an editor with a token,
and checks each answer: no server error, a documented status code, the
documented content type and headers, and a body that matches the schema.

Path parameters of existing resources are pinned to the record made here
(a milestone, an expectation, an event, a storyline, an actor), so generated
bodies reach the services instead of stopping at 404.

Bounded: a fixed seed, a few examples per operation, a time budget, so it
fits in `make test`. The test prints the requests made and the failures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from tests.api.conftest import Record

CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
])
MAX_EXAMPLES = 10
TIME_BUDGET = 80  # seconds of generation at most
SEED = 20260123


def pinned_parameters(record: Record) -> str:
    """schemathesis.toml pinning the path of each item route to a real item."""
    pins = [
        (r"^/api/v1/milestones/\\{public_id\\}", "public_id", record.milestone.public_id),
        (r"^/api/v1/expectations/\\{public_id\\}", "public_id", record.expectation.public_id),
        (r"^/api/v1/(events|items)/\\{public_id\\}", "public_id", record.event.public_id),
        (r"^/api/v1/storylines/\\{slug\\}", "slug", record.storyline.slug),
        (r"^/api/v1/actors/\\{slug\\}", "slug", record.actor.slug),
    ]
    return "".join(
        f'[[operations]]\ninclude-path-regex = "{regex}"\nparameters = {{ "path.{name}" = "{value}" }}\n\n'
        for regex, name, value in pins
    )


@pytest.mark.django_db(transaction=True)
def test_the_api_conforms_to_its_schema(live_server, editor, clock, tmp_path):
    config = tmp_path / "schemathesis.toml"
    config.write_text(pinned_parameters(Record(clock)))
    token = Token.objects.create(user=editor)
    report_dir = tmp_path / "schemathesis"
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(config),
        "run", f"{live_server.url}/api/schema/?format=json",
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
          f"operations in {report['running_time']:.0f}s; {report['test_cases']['unique_failures']} failures, "
          f"{len(report['errors'])} errors")
    assert report["operations"]["tested"] == report["operations"]["total"]
    assert report["failures"] == [] and report["errors"] == []
    assert run.returncode == 0, "schemathesis found failures (see the output above)"
