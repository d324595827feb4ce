"""`manage.py due`: upcoming, overdue and needs-a-verdict, as text or JSON; bad options are one-line errors."""

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.builders import day_when, make_expectation, make_milestone, make_storyline
from timeline import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(now, editor):
    """As of `now` (2026-11-25 12:00 UTC): one thing coming in 3 days, one
    deadline in 5, one in 20; an overdue milestone; a missed-by-system verdict;
    a retracted overdue item; and one overdue item of another storyline."""
    gaza = make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    iran = make_storyline("Iran", slug="iran")
    coming = make_milestone(now=now, when=day_when(date(2026, 11, 28), text="on Friday"), storylines=[gaza],
                            title="Board of Peace meets")
    deadline = make_expectation(now=now, when=day_when(date(2026, 11, 30)), target_kind="by", storylines=[gaza],
                                title="Hamas starts disarming")
    make_milestone(now=now, when=day_when(date(2026, 12, 15)), storylines=[gaza], title="Far off")
    overdue = make_milestone(now=now, when=day_when(date(2026, 11, 1)), storylines=[gaza], title="Phase two begins")
    missed = make_expectation(now=now, when=day_when(date(2026, 10, 1)), storylines=[gaza],
                              title="Technocratic government named")
    services.sweep_overdue(now=now)
    retracted = make_milestone(now=now, when=day_when(date(2026, 11, 2)), storylines=[gaza], title="Withdrawn")
    services.item_retract(item=retracted, by=editor, now=now, reason="Wrong.")
    make_milestone(now=now, when=day_when(date(2026, 11, 3)), storylines=[iran], title="Iran talks")
    return {"coming": coming, "deadline": deadline, "overdue": overdue, "missed": missed}


def due(*args):
    out, err = StringIO(), StringIO()
    call_command("due", *args, stdout=out, stderr=err)
    return out.getvalue()


def sections(text):
    """{heading: [titles]} of the human output."""
    found, current = {}, None
    for line in text.splitlines():
        if line and not line.startswith(" ") and "(" in line and not line.startswith("Due as of"):
            current = line.rsplit(" (", 1)[0]
            found[current] = []
        elif line.startswith("  - "):
            found[current].append(line[4:].rsplit(" [", 1)[0])
    return found


def test_the_human_report_groups_by_section_with_the_reason(desk, now):
    text = due("--now", now.isoformat(), "--storyline", "gaza-ceasefire")

    assert text.startswith("Due as of 2026-11-25 12:00 UTC, storyline gaza-ceasefire\n")
    assert sections(text) == {
        "Upcoming in the next 7d": ["Board of Peace meets", "Hamas starts disarming"],
        "Overdue": ["Phase two begins"],
        "Needs a verdict": ["Phase two begins", "Technocratic government named"],
    }
    assert "  - Board of Peace meets [milestone, scheduled]\n    when: 28 Nov 2026 (on Friday)\n" in text
    assert "    why:  Milestone opens in 2 days.\n" in text
    assert "    why:  Deadline in 5 days.\n" in text
    assert "    why:  Overdue: the window ended 2026-11-02 (23 days ago) and nobody recorded that it happened" in text
    assert "    why:  Missed, decided by the system on 2026-11-25:" in text
    assert f"    id:   {desk['missed'].public_id}" in text


def test_all_storylines_by_default(desk, now):
    found = sections(due("--now", now.isoformat()))
    assert found["Overdue"] == ["Phase two begins", "Iran talks"]
    assert "Withdrawn" not in found["Overdue"], "a retracted item is nobody's business"


def test_within_widens_upcoming(desk, now):
    assert sections(due("--now", now.isoformat(), "--within", "3w"))["Upcoming in the next 3w"] == [
        "Board of Peace meets", "Hamas starts disarming", "Far off"]
    assert sections(due("--now", now.isoformat(), "--within", "90m"))["Upcoming in the next 90m"] == []
    assert sections(due("--now", now.isoformat(), "--within", "72H"))["Upcoming in the next 72h"] == [
        "Board of Peace meets"]


def test_an_empty_section_says_so(now):
    make_storyline("Quiet", slug="quiet")
    text = due("--now", now.isoformat(), "--storyline", "quiet")
    assert text.count("  nothing") == 3


def test_the_json_report(desk, now):
    report = json.loads(due("--now", "2026-11-25T12:00:00Z", "--storyline", "gaza-ceasefire", "--json"))

    assert report["now"] == "2026-11-25T12:00:00+00:00"
    assert report["within"] == "7d"
    assert report["storyline"] == "gaza-ceasefire"
    assert [e["title"] for e in report["upcoming"]] == ["Board of Peace meets", "Hamas starts disarming"]
    assert [e["title"] for e in report["overdue"]] == ["Phase two begins"]
    assert [e["title"] for e in report["needs_verdict"]] == ["Phase two begins", "Technocratic government named"]
    [missed] = [e for e in report["needs_verdict"] if e["kind"] == "expectation"]
    assert missed == {
        "public_id": str(desk["missed"].public_id),
        "kind": "expectation",
        "title": "Technocratic government named",
        "status": "missed",
        "editorial_state": "published",
        "when": {**desk["missed"].when.as_dict(), "display": "1 Oct 2026"},
        "reason": missed["reason"],
    }
    assert missed["reason"].startswith("Missed, decided by the system on 2026-11-25")


def test_now_defaults_to_the_clock_and_a_date_means_utc_midnight(desk):
    reported = datetime.fromisoformat(json.loads(due("--json"))["now"])
    assert abs(reported - datetime.now(timezone.utc)) < timedelta(minutes=1)
    assert json.loads(due("--json", "--now", "2026-11-25"))["now"] == "2026-11-25T00:00:00+00:00"


@pytest.mark.parametrize("value, message", [
    ("7x", "--within takes a whole number and a unit: m (minutes), h (hours), d (days) or w (weeks), e.g. 7d; got '7x'."),
    ("7", "got '7'"),
    ("d", "got 'd'"),
    ("-1d", "got '-1d'"),
    ("1.5d", "got '1.5d'"),
    ("0d", "--within lies between 1 minute and 366 days; got '0d'."),
    ("99999999999w", "--within lies between 1 minute and 366 days; got '99999999999w'."),
    ("367d", "--within lies between 1 minute and 366 days"),  # the API's cap too (core.durations.HORIZON)
    ("3661d", "--within lies between 1 minute and 366 days"),
])
def test_a_bad_within_is_a_clear_error(db, value, message):
    with pytest.raises(CommandError) as excinfo:
        due(f"--within={value}")  # the = form lets argparse take "-1d" as a value
    assert message in str(excinfo.value)
    assert excinfo.value.returncode == 1


def test_an_unknown_storyline_is_a_clear_error(desk):
    with pytest.raises(CommandError) as excinfo:
        due("--storyline", "gaza")
    assert str(excinfo.value) == "No storyline with the slug 'gaza'. Known storylines: gaza-ceasefire, iran."
    assert excinfo.value.returncode == 1


def test_a_bad_now_is_a_clear_error(db):
    with pytest.raises(CommandError) as excinfo:
        due("--now", "next Tuesday")
    assert "--now takes an ISO 8601 date or time" in str(excinfo.value)


def test_from_the_shell_an_error_is_one_line_and_exit_status_1():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "due", "--within", "7x"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "CommandError: --within takes a whole number and a unit: m (minutes), h (hours), d (days) or w (weeks), "
        "e.g. 7d; got '7x'."
    )
    assert result.stdout == ""


def test_a_horizon_past_the_calendar_is_a_clear_error(db):
    with pytest.raises(CommandError) as excinfo:
        due("--now", "9999-12-30", "--within", "1w")
    assert "runs past the year 9999" in str(excinfo.value)
