"""A whole storyline exported as JSON loads back, through the services, into
an empty database with the same items, Whens and history."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from timeline.feeds.export import storyline_export
from timeline.feeds.load import comparable
from timeline.models import Change, Item, Storyline

DEMO_NOW = "2026-11-25T12:00:00Z"


def exported(slug: str) -> dict:
    out = io.StringIO()
    call_command("export_storyline", slug, stdout=out)
    return json.loads(out.getvalue())


def without_row_ids(document: dict) -> dict:
    document = json.loads(json.dumps(document))
    for row in document["items"]:
        row.pop("pk")
    for rows in (document["storylines"], document["actors"], document["citations"]):
        for row in rows:
            row.pop("pk")
    for change in document["changes"]:
        change["before"], change["after"] = comparable(change["before"]), comparable(change["after"])
    return document


@pytest.mark.django_db(transaction=True)
def test_the_demo_storyline_round_trips(tmp_path):
    call_command("load_demo", "--now", DEMO_NOW, stdout=io.StringIO())
    slug = Storyline.objects.order_by("pk").first().slug
    before = exported(slug)
    path = tmp_path / "storyline.json"
    path.write_text(json.dumps(before))
    assert before["changes"] and any(c["kind"] == "settled" for c in before["changes"])

    call_command("flush", "--no-input", stdout=io.StringIO())
    assert not Item.objects.exists()
    out = io.StringIO()
    call_command("load_storyline", str(path), stdout=out)

    after = exported(slug)
    assert out.getvalue().startswith(f"Loaded {len(before['items'])} items and {len(before['changes'])} changes.")
    assert without_row_ids(after) == without_row_ids(before)
    assert {row["public_id"]: row["edtf"] for row in after["items"]} == \
        {row["public_id"]: row["edtf"] for row in before["items"]}


@pytest.mark.django_db(transaction=True)
def test_a_record_with_moves_verdicts_and_retractions_round_trips(tmp_path, editor):
    from .support import build_record

    record = build_record(editor)
    from timeline import services
    services.milestone_confirm(milestone=record.davos, by=editor, now=record.now, reason="Official.",
                               public_note="Confirmed by the organisers.")
    services.expectation_settle(expectation=record.deadline, by=editor, now=record.now, status="void",
                                note="The agreement collapsed.")
    before = storyline_export(record.storyline)
    path = tmp_path / "record.json"
    path.write_text(json.dumps(before))

    call_command("flush", "--no-input", stdout=io.StringIO())
    call_command("load_storyline", str(path), stdout=io.StringIO())

    after = storyline_export(Storyline.objects.get(slug=record.storyline.slug))
    assert without_row_ids(after) == without_row_ids(before)
    assert Change.objects.filter(kind="retracted").get().reason == "INTERNAL-do-not-publish"


@pytest.mark.django_db(transaction=True)
def test_a_database_that_holds_it_already_is_refused_whole(tmp_path, editor):
    from .support import build_record

    record = build_record(editor)
    path = tmp_path / "record.json"
    path.write_text(json.dumps(storyline_export(record.storyline)))
    changes = Change.objects.count()

    with pytest.raises(CommandError, match="Nothing was loaded: .* exists already"):
        call_command("load_storyline", str(path), stdout=io.StringIO())

    assert Change.objects.count() == changes


@pytest.mark.parametrize("content", ["not json", "[]", '{"format": "something else"}'])
def test_a_file_that_is_no_export_is_refused(tmp_path, db, content):
    path = tmp_path / "bad.json"
    path.write_text(content)

    with pytest.raises(CommandError):
        call_command("load_storyline", str(path), stdout=io.StringIO())
