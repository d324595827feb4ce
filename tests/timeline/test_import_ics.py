"""Calendars in: Google, Outlook and Apple exports become milestones of the
storyline through the services, with their times read right, and a second
import of the same files changes nothing."""

import io
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from tests.builders import make_storyline
from timeline.models import CalendarLink, Change, Milestone

FIXTURES = Path(__file__).parent / "fixtures" / "ics"
NOW = "2026-12-01T12:00:00Z"
ZURICH = ZoneInfo("Europe/Zurich")


def run_import(location, *args, storyline="gaza") -> str:
    out = io.StringIO()
    call_command("import_ics", str(location), "--storyline", storyline, "--now", NOW, *args,
                 stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def storyline(db):
    return make_storyline("Gaza ceasefire", slug="gaza")


def milestone(title: str) -> Milestone:
    return Milestone.objects.get(title=title)


def test_google_export_utc_times_come_back_in_the_calendars_zone(storyline):
    out = run_import(FIXTURES / "google.ics")

    assert out.splitlines()[0] == "6 created, 0 updated, 0 unchanged, 0 conflicts, 0 rejected."
    davos = milestone("Board of Peace meets at Davos")
    assert (davos.when_tz, davos.when_precision, davos.status) == ("Europe/Zurich", "time", "confirmed")
    assert davos.when_start == datetime(2027, 1, 23, 9, 30, tzinfo=ZURICH)
    assert davos.when_end == datetime(2027, 1, 23, 11, 0, tzinfo=ZURICH)
    assert davos.summary == "First meeting of the Board of Peace, chaired by Trump."
    january = milestone("Trump announces phase two")
    assert (january.when_precision, january.when_edtf, january.when_tz) == ("month", "2027-01", "Europe/Zurich")
    assert january.when_start == datetime(2027, 1, 1, tzinfo=ZURICH)
    assert january.when_end == datetime(2027, 2, 1, tzinfo=ZURICH)
    assert set(storyline.items.values_list("editorial_state", flat=True)) == {"proposed"}


def test_a_weekly_rrule_is_expanded_with_its_cancelled_occurrence(storyline):
    run_import(FIXTURES / "google.ics")

    briefings = Milestone.objects.filter(title="Weekly ceasefire briefing").order_by("when_start")
    assert [(m.when_start.astimezone(ZURICH).date(), m.status) for m in briefings] == [
        (date(2027, 1, 4), "scheduled"), (date(2027, 1, 11), "cancelled"),
        (date(2027, 1, 18), "scheduled"), (date(2027, 1, 25), "scheduled"),
    ]
    assert set(CalendarLink.objects.filter(uid="weekly-briefing@google.com").values_list("recurrence", flat=True)) \
        == {"2027-01-04T08:00:00+00:00", "2027-01-11T08:00:00+00:00", "2027-01-18T08:00:00+00:00",
            "2027-01-25T08:00:00+00:00"}


def test_the_horizon_bounds_the_expansion(storyline):
    run_import(FIXTURES / "google.ics", "--horizon-days", "40")

    assert Milestone.objects.filter(title="Weekly ceasefire briefing").count() == 1  # 4 January; the 11th is day 41


def test_outlook_windows_zone_names_and_folded_lines(storyline):
    out = run_import(FIXTURES / "outlook.ics")

    assert out.splitlines()[0] == "2 created, 0 updated, 0 unchanged, 0 conflicts, 0 rejected."
    cairo = milestone("Envoys meet in Cairo")
    assert cairo.when_tz == "Europe/Berlin"
    assert cairo.when_start == datetime(2027, 3, 30, 14, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert "long enough that Outlook folds it over two lines" in cairo.summary
    signing = milestone("Signing ceremony")
    assert (signing.status, signing.when_precision) == ("cancelled", "day")
    assert signing.milestone.cancel_reason == "Cancelled in the source calendar."


def test_apple_zones_weeks_and_floating_times(storyline):
    out = run_import(FIXTURES / "apple.ics", "--tz", "Asia/Qatar")

    assert out.splitlines()[0] == "3 created, 0 updated, 0 unchanged, 0 conflicts, 0 rejected."
    donors = milestone("Donor conference for Gaza reconstruction")
    assert (donors.when_tz, donors.when_start) == ("Europe/Zurich", datetime(2027, 6, 15, 10, tzinfo=ZURICH))
    doha = milestone("Week of talks in Doha")
    assert (doha.when_precision, doha.when_tz, doha.when_edtf) == ("week", "Asia/Qatar", "2027-03-08/2027-03-14")
    floating = milestone("Floating-time press briefing")
    assert floating.when_start == datetime(2027, 7, 1, 9, tzinfo=ZoneInfo("Asia/Qatar"))


def test_without_a_zone_the_storylines_own_is_used(storyline, now):
    from tests.builders import day_when, make_milestone

    make_milestone(now=now, title="Written here", storylines=[storyline],
                   when=day_when(date(2027, 1, 2), tz="Asia/Qatar"))

    run_import(FIXTURES / "apple.ics")
    run_import(FIXTURES / "google.ics")  # in Zurich, but imported: it does not move the storyline's zone

    assert milestone("Week of talks in Doha").when_tz == "Asia/Qatar"
    assert "0 created, 0 updated, 3 unchanged" in run_import(FIXTURES / "apple.ics")


def test_a_second_import_changes_nothing(storyline):
    run_import(FIXTURES, "--publish")
    changes = Change.objects.count()

    out = run_import(FIXTURES, "--publish")

    assert out.splitlines()[0].startswith("0 created, 0 updated, 12 unchanged, 0 conflicts")
    assert Change.objects.count() == changes


def test_publish_and_as_editor(storyline, editor):
    run_import(FIXTURES / "outlook.ics", "--publish", "--as-editor", editor.username)

    cairo = milestone("Envoys meet in Cairo")
    assert cairo.editorial_state == "published"
    created = cairo.changes.get(kind="created")
    assert created.by_label == editor.username
    assert "Calendar import from" in created.reason and "outlook.ics, line" in created.reason
    assert created.public_note == ""


@pytest.mark.parametrize(("args", "complaint"), [
    (["--storyline", "nowhere"], "No storyline"),
    (["--storyline", "gaza", "--as-editor", "nobody"], "No active user"),
    (["--storyline", "gaza", "--tz", "Mars/Base"], "Unknown time zone"),
    (["--storyline", "gaza", "--now", "yesterday"], "now"),
])
def test_bad_options_are_told_without_a_traceback(storyline, args, complaint):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=complaint):
        call_command("import_ics", str(FIXTURES / "google.ics"), *args, stdout=io.StringIO())


def test_a_progress_bar_needs_a_terminal(storyline):
    err = io.StringIO()
    call_command("import_ics", str(FIXTURES / "google.ics"), "--storyline", "gaza", "--now", NOW,
                 stdout=io.StringIO(), stderr=err)

    assert err.getvalue() == ""  # not a terminal: nothing drawn into logs


def test_events_far_in_the_past_still_import_but_rrules_start_now(storyline):
    out = run_import(FIXTURES / "google.ics", "--now", (datetime(2027, 1, 12) + timedelta(hours=12)).isoformat())

    assert "4 created" in out  # two single events, and the briefings of 18 and 25 January only


def test_a_utc_time_keeps_its_instant_and_is_shown_in_the_given_zone(storyline, now):
    from timeline.feeds.ics_in import import_documents
    from timeline.feeds.ics_in.fetch import Document

    data = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:utc@example.org\r\n"
            "DTSTART:20270402T070000Z\r\nDTEND:20270402T080000Z\r\nSUMMARY:Talks resume\r\nEND:VEVENT\r\n"
            "END:VCALENDAR\r\n").encode()

    report = import_documents([Document("utc.ics", data)], storyline=storyline, by="system", now=now,
                              tz="Asia/Jerusalem")

    assert report.created == 1
    talks = milestone("Talks resume")
    assert talks.when_start == datetime(2027, 4, 2, 7, tzinfo=ZoneInfo("UTC"))
    assert (talks.when_tz, talks.when_precision) == ("Asia/Jerusalem", "time")
    assert talks.when.display() == "2 Apr 2027, 10:00 IDT"
