"""`manage.py read_article`: what it prints, --json, a second run, and clear
one-line errors for bad input (no traceback, nothing written)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reading.models import ArticleReading
from timeline.models import Item

from .reader_helpers import ARTICLE_PATH, make_reference

pytestmark = pytest.mark.django_db

NOW = "2025-12-30T12:00:00Z"


def run(*args):
    out = StringIO()
    call_command("read_article", *args, stdout=out)
    return out.getvalue()


def test_reads_the_example_article_into_proposals():
    make_reference()
    out = run(str(ARTICLE_PATH), "--published", "2025-12-30", "--storyline", "gaza-ceasefire", "--outlet", "axios",
              "--now", NOW)
    assert out.startswith("Axios, 30 Dec 2025: 13 proposed, 0 cited on existing items, 0 postponement(s) proposed.")
    assert "milestone proposed “The first meeting of the Gaza Board of Peace" in out
    assert "(23 Jan 2026)" in out
    assert Item.objects.filter(editorial_state="proposed", storylines__slug="gaza-ceasefire").count() == 13


def test_json_and_a_second_run_that_writes_nothing():
    make_reference()
    args = (str(ARTICLE_PATH), "--published", "2025-12-30", "--url", "https://www.axios.com/a", "--now", NOW, "--json")
    first = json.loads(run(*args))
    assert first["already_read"] is False and len(first["proposals"]) == 13
    davos = next(p for p in first["proposals"] if p["kind"] == "milestone" and "Davos" in p["quote"])
    assert davos["when"]["tz"] == "Europe/Zurich" and davos["when"]["start"] == "2026-01-22T23:00:00+00:00"
    assert davos["editorial_state"] == "proposed" and davos["action"] == "created"
    items = Item.objects.count()
    second = json.loads(run(*args))
    assert second["already_read"] is True
    assert [p["item"] for p in second["proposals"]] == [p["item"] for p in first["proposals"]]
    assert Item.objects.count() == items and ArticleReading.objects.count() == 1


@pytest.mark.parametrize("args, message", [
    (["--published", "30/12/2025"], "--published must be a date as YYYY-MM-DD, not '30/12/2025'."),
    (["--published", "2025-12-30", "--storyline", "nope"], "No storyline with slug 'nope'."),
    (["--published", "2025-12-30", "--outlet", "nope"], "No outlet with slug 'nope'."),
    (["--published", "2025-12-30", "--as-editor", "nobody"], "No active user 'nobody'."),
    (["--published", "2025-12-30", "--url", "not a url"],
     "The article cannot be read. (url: Not a web address (http or https, at most 500 characters).)"),
    (["--published", "2025-12-30", "--zone", "Mars/Olympus"],
     "The article cannot be read. (zone: Unknown time zone 'Mars/Olympus'.)"),
    (["--published", "2025-12-30", "--now", "yesterday"], None),
])
def test_bad_options_are_clear_errors(args, message):
    with pytest.raises(CommandError) as raised:
        run(str(ARTICLE_PATH), *args)
    if message is not None:
        assert str(raised.value) == message
    assert "--now" in str(raised.value) or message is not None
    assert not Item.objects.exists() and not ArticleReading.objects.exists()


def test_bad_files_are_clear_errors(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    cases = {
        str(tmp_path / "missing.txt"): f"No such file: {tmp_path / 'missing.txt'}",
        str(tmp_path): f"{tmp_path} is a folder; give one article's file.",
        str(binary): f"{binary} is not UTF-8 text.",
        str(empty): "The article cannot be read. (text: Paste the article's text.)",
    }
    for name, message in cases.items():
        with pytest.raises(CommandError) as raised:
            run(name, "--published", "2025-12-30")
        assert str(raised.value) == message
    assert not ArticleReading.objects.exists()


def test_published_is_required():
    with pytest.raises(CommandError, match="--published"):
        run(str(ARTICLE_PATH))
