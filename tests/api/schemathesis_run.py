"""Running schemathesis (its CLI, in a subprocess) against a live test server.

Shared by the whole-schema run and watch's run: the same checks, seed and
bounds, path parameters pinned to real rows so generated requests reach the
services instead of stopping at 404, and the JSON report read back.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
])
SEED = 20260123


@dataclass(frozen=True)
class Outcome:
    returncode: int
    report: dict

    def summary(self) -> str:
        return (f"schemathesis: {self.report['test_cases']['generated']} requests over "
                f"{self.report['operations']['tested']} operations in {self.report['running_time']:.0f}s; "
                f"{self.report['test_cases']['unique_failures']} failures, {len(self.report['errors'])} errors")


def pinned(pins: list[tuple[str, str, object]]) -> str:
    """schemathesis.toml fixing each path parameter matched by a regex to a value."""
    return "".join(
        f'[[operations]]\ninclude-path-regex = "{regex}"\nparameters = {{ "path.{name}" = "{value}" }}\n\n'
        for regex, name, value in pins
    )


def run_schemathesis(*, base_url: str, token: str, pins: list[tuple[str, str, object]], tmp_path: Path,
                     max_examples: int, time_budget: int, extra: tuple[str, ...] = ()) -> Outcome:
    config = tmp_path / "schemathesis.toml"
    config.write_text(pinned(pins))
    report_dir = tmp_path / "schemathesis"
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(config),
        "run", f"{base_url}/api/schema/?format=json", *extra,
        "--url", base_url, "--checks", CHECKS, "--max-examples", str(max_examples), "--seed", str(SEED),
        "--max-time", str(time_budget), "--phases", "examples,coverage,fuzzing", "--workers", "1",
        "--header", f"Authorization: Token {token}", "--request-timeout", "10",
        "--report", "json", "--report-dir", str(report_dir), "--no-color",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=time_budget + 60, cwd=tmp_path)
    print(run.stdout[-8000:], run.stderr[-2000:])
    [report_file] = report_dir.glob("*.json")
    outcome = Outcome(run.returncode, json.loads(report_file.read_text()))
    print(outcome.summary())
    return outcome
