"""`manage.py when`: read a phrase from the command line. No database needed."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

REPO = Path(__file__).resolve().parents[2]


def run(*args):
    out = StringIO()
    call_command("when", *args, stdout=out)
    return out.getvalue()


def test_prints_the_when_readably():
    out = run("on Jan. 23", "--as-of", "2025-12-30", "--tz", "Europe/Zurich")
    lines = dict(line.split(":", 1) for line in out.splitlines())
    assert lines["text"].strip() == "on Jan. 23"
    assert lines["start"].strip() == "2026-01-23T00:00:00+01:00"
    assert lines["end"].strip() == "2026-01-24T00:00:00+01:00 (exclusive)"
    assert lines["precision"].strip() == "day"
    assert lines["approximate"].strip() == "no"
    assert lines["tz"].strip() == "Europe/Zurich"
    assert lines["edtf"].strip() == "2026-01-23"
    assert lines["display"].strip() == "23 Jan 2026"


def test_json_output():
    data = json.loads(run("in June", "--as-of", "2025-12-30", "--kind", "event", "--json"))
    assert data == {
        "text": "in June",
        "start": "2025-06-01T00:00:00+00:00",
        "end": "2025-07-01T00:00:00+00:00",
        "precision": "month",
        "approximate": False,
        "tz": "UTC",
        "edtf": "2025-06",
    }


def test_kind_changes_the_reading():
    event = json.loads(run("in June", "--as-of", "2025-12-30", "--kind", "event", "--json"))
    milestone = json.loads(run("in June", "--as-of", "2025-12-30", "--json"))
    assert event["edtf"] == "2025-06" and milestone["edtf"] == "2026-06"


def test_undated():
    data = json.loads(run("undated", "--as-of", "2025-12-30", "--json"))
    assert (data["precision"], data["start"], data["end"], data["edtf"]) == ("undated", None, None, "")


@pytest.mark.parametrize(
    "args, message",
    [
        (["soon", "--as-of", "2025-12-30"], "Cannot read the date phrase 'soon'"),
        (["Feb. 29, 2026", "--as-of", "2025-12-30"], "not a leap year"),
        (["in June", "--as-of", "2025-13-30"], "--as-of must be a date as YYYY-MM-DD"),
        (["in June", "--as-of", "30/12/2025"], "--as-of must be a date as YYYY-MM-DD"),
        (["in June"], "--as-of YYYY-MM-DD is required"),
        (["in June", "--as-of", "2025-12-30", "--tz", "Mars/Olympus"], "Unknown time zone 'Mars/Olympus'"),
        (["in June", "--as-of", "2025-12-30", "--kind", "thing"], "Unknown --kind 'thing'"),
        (["--as-of", "2025-12-30"], "Give the phrase"),
    ],
)
def test_errors_are_command_errors_with_status_1(args, message):
    with pytest.raises(CommandError, match=message) as excinfo:
        run(*args)
    assert excinfo.value.returncode == 1
    assert "\n" not in str(excinfo.value)


def manage(*args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "when", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )


def test_from_the_shell_an_error_is_one_line_and_status_1():
    result = manage("blah", "--as-of", "2025-12-30")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "CommandError: Cannot read the date phrase 'blah': not a date phrase this parser knows"
    ]
    assert "Traceback" not in result.stderr


def test_from_the_shell_a_bad_date_is_one_line_and_status_1():
    result = manage("in June", "--as-of", "yesterday")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--as-of must be a date" in result.stderr


def test_from_the_shell_success():
    result = manage("between Jan. 10 and Jan. 20", "--as-of", "2025-12-30", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["start"], data["end"], data["precision"]) == (
        "2026-01-10T00:00:00+00:00", "2026-01-21T00:00:00+00:00", "range",
    )
