"""A broken file or event is reported with its line and reason and skipped,
never half-imported, and no input ends in a traceback: the malformed
fixtures, and every truncation of a good export."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.builders import make_storyline
from timeline.feeds.ics_in import import_documents
from timeline.feeds.ics_in.fetch import Document
from timeline.models import CalendarLink, Change, Milestone

FIXTURES = Path(__file__).parent / "fixtures" / "ics"


def run_import(location) -> list[str]:
    out = io.StringIO()
    call_command("import_ics", str(location), "--storyline", "gaza", "--now", "2026-12-01T12:00:00Z",
                 stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


@pytest.fixture
def storyline(db):
    return make_storyline("Gaza ceasefire", slug="gaza")


def test_each_broken_event_is_rejected_with_its_line_and_the_good_one_imports(storyline):
    lines = run_import(FIXTURES / "broken_events.ics")

    source = str(FIXTURES / "broken_events.ics")
    assert lines == [
        "1 created, 0 updated, 0 unchanged, 0 conflicts, 8 rejected.",
        f"rejected: {source}, line 9 (UID bad-date@example.org): DTSTART: Wrong date format 20271305",
        f"rejected: {source}, line 14: No UID: a second import could not recognise the event, so it is not imported.",
        f"rejected: {source}, line 18 (UID no-summary@example.org): No SUMMARY: a milestone needs a title.",
        f"rejected: {source}, line 22 (UID backwards@example.org): DTEND (2027-05-08T09:00:00+00:00) is not after "
        "DTSTART (2027-05-08T10:00:00+00:00).",
        f"rejected: {source}, line 28 (UID no-start@example.org): No DTSTART: the event has no date.",
        f"rejected: {source}, line 32 (UID mars@example.org): Unknown time zone 'Mars/Olympus_Mons', and no "
        "VTIMEZONE defines it.",
        f"rejected: {source}, line 37 (UID bad-sequence@example.org): SEQUENCE: Expected int, got: many",
        f"rejected: {source}, line 43 (UID bad-rrule@example.org): RRULE: Expected frequency, got: SOMETIMES",
    ]
    assert list(Milestone.objects.values_list("title", flat=True)) == ["The one good event"]


@pytest.mark.parametrize(("name", "reason"), [
    ("unclosed.ics", "line 3: BEGIN:VEVENT at line 3 has no END:VEVENT before line 7."),
    ("not_a_calendar.ics", "line 1: Line 1 is not an iCalendar content line (NAME:value): 'Dear editor,'."),
    ("empty.ics", ": The file is empty or holds no BEGIN:VCALENDAR."),
    ("binary.ics", ": Not a text file (neither UTF-8 nor Latin-1)."),
    ("vcard.ics", "line 1: The file does not start with BEGIN:VCALENDAR."),
])
def test_a_file_that_is_no_calendar_is_one_rejection(storyline, name, reason):
    lines = run_import(FIXTURES / name)

    assert lines == ["0 created, 0 updated, 0 unchanged, 0 conflicts, 1 rejected.",
                     f"rejected: {FIXTURES / name}{', ' if reason.startswith('line') else ''}{reason}"]
    assert not Milestone.objects.exists()


def test_a_missing_path_is_a_rejection_too(storyline, tmp_path):
    assert run_import(tmp_path / "nothing.ics")[1].endswith("is neither a file, a folder nor an http(s) URL.")
    assert run_import(tmp_path)[1] == f"rejected: {tmp_path}: {tmp_path} holds no .ics file."


def test_a_file_over_the_cap_is_refused_unread(storyline, settings):
    settings.FW_ICS_IMPORT_MAX_BYTES = 200

    assert run_import(FIXTURES / "google.ics")[1].endswith("is larger than 200 bytes (FW_ICS_IMPORT_MAX_BYTES).")


def test_an_event_the_services_refuse_leaves_nothing_behind(storyline, editor, now):
    """A refusal midway rolls back that event's writes, and the others go in.
    Here the milestone was retracted (the link made to look as if the import
    had left it so): the move goes through, then the new title is refused,
    since a retracted item cannot be edited, and the move is undone with it."""
    from timeline import services
    from timeline.feeds.ics_in.apply import milestone_fingerprint

    run_import(FIXTURES / "google.ics")
    davos = Milestone.objects.get(title="Board of Peace meets at Davos")
    services.item_retract(item=davos, by=editor, now=now, reason="Wrong.")
    davos.refresh_from_db()
    CalendarLink.objects.filter(milestone=davos).update(milestone_fingerprint=milestone_fingerprint(davos))
    changes = Change.objects.count()
    data = (FIXTURES / "later" / "google_moved.ics").read_bytes().replace(
        b"SUMMARY:Board of Peace meets at Davos", b"SUMMARY:Board of Peace meets at Davos, a day later")

    report = import_documents([Document("moved.ics", data)], storyline=storyline, by=editor, now=now)

    assert [r.reason for r in report.rejections] == ["A retracted item cannot be edited; correct it instead."]
    assert report.rejections[0].line == 9
    assert report.updated == 1  # phase two, cancelled
    davos.refresh_from_db()
    assert (davos.title, davos.when_start.day, davos.schedule_version) == (
        "Board of Peace meets at Davos", 23, 2)
    assert Change.objects.count() == changes + 1  # the cancellation of phase two alone


def test_no_truncation_of_an_export_ends_in_a_traceback(storyline, now):
    data = (FIXTURES / "google.ics").read_bytes() + (FIXTURES / "outlook.ics").read_bytes()
    for cut in range(0, len(data), 37):
        report = import_documents([Document(f"cut-{cut}.ics", data[:cut])], storyline=storyline, by="system",
                                  now=now)
        assert report.rejected or report.created or report.unchanged or report.updated, cut
