"""A newer calendar moves its milestones through the services (so reminders
follow), unless an editor changed a milestone here since the last import:
then the change waits as a conflict, which an editor resolves in the admin
by keeping ours or taking theirs."""

import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.builders import make_storyline
from tests.factories import PASSWORD
from timeline import services
from timeline.models import CalendarLink, Milestone

FIXTURES = Path(__file__).parent / "fixtures" / "ics"
ZURICH = ZoneInfo("Europe/Zurich")


def run_import(name: str, now: str = "2026-12-01T12:00:00Z") -> str:
    out = io.StringIO()
    call_command("import_ics", str(FIXTURES / name), "--storyline", "gaza", "--now", now, "--publish",
                 stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()[0]


@pytest.fixture
def imported(db):
    make_storyline("Gaza ceasefire", slug="gaza")
    run_import("google.ics")
    return {m.title: m for m in Milestone.objects.all()}


def test_a_newer_sequence_moves_and_cancels_through_the_services(imported):
    assert run_import("later/google_moved.ics", "2026-12-02T12:00:00Z") == \
        "0 created, 2 updated, 4 unchanged, 0 conflicts, 0 rejected."

    davos = Milestone.objects.get(title="Board of Peace meets at Davos")
    assert davos.when_start == datetime(2027, 1, 24, 9, 30, tzinfo=ZURICH)
    assert davos.status == "confirmed"  # moved (scheduled again), then confirmed as the calendar says
    assert [c.kind for c in davos.changes.order_by("id")] == ["created", "postponed", "confirmed"]
    assert davos.schedule_version == 3
    january = Milestone.objects.get(title="Trump announces phase two")
    assert january.status == "cancelled"
    assert CalendarLink.objects.get(milestone=january).sequence == 2


def test_an_older_copy_changes_nothing(imported):
    run_import("later/google_moved.ics", "2026-12-02T12:00:00Z")

    assert run_import("google.ics", "2026-12-03T12:00:00Z") == \
        "0 created, 0 updated, 6 unchanged, 0 conflicts, 0 rejected."


def test_an_edit_here_turns_the_incoming_change_into_a_conflict(imported, editor, now):
    davos = imported["Board of Peace meets at Davos"]
    services.item_edit(item=davos, by=editor, now=now, title="Board of Peace meets at Davos (as we report it)")

    assert run_import("later/google_moved.ics", "2026-12-02T12:00:00Z") == \
        "0 created, 1 updated, 4 unchanged, 1 conflicts, 0 rejected."
    davos.refresh_from_db()
    assert davos.when_start == datetime(2027, 1, 23, 9, 30, tzinfo=ZURICH)  # ours stands meanwhile
    link = CalendarLink.objects.get(milestone=davos)
    assert link.pending["sequence"] == 1
    # The same file again: still the one conflict, nothing written.
    assert run_import("later/google_moved.ics", "2026-12-03T12:00:00Z") == \
        "0 created, 0 updated, 5 unchanged, 1 conflicts, 0 rejected."


def test_an_overdue_notice_is_not_an_edit(imported):
    services.sweep_overdue(now=datetime(2027, 6, 1, tzinfo=ZURICH))

    assert "0 conflicts" in run_import("later/google_moved.ics", "2026-12-02T12:00:00Z")


@pytest.fixture
def conflict(imported, editor, now):
    davos = imported["Board of Peace meets at Davos"]
    services.item_edit(item=davos, by=editor, now=now, title="Board of Peace, as we report it")
    run_import("later/google_moved.ics", "2026-12-02T12:00:00Z")
    return CalendarLink.objects.get(milestone=davos)


def resolve(client, editor, link, action):
    client.login(username=editor.username, password=PASSWORD)
    return client.post(reverse("admin:timeline_calendarlink_changelist"),
                       {"action": action, "_selected_action": [link.pk]})


def test_take_theirs_applies_the_calendar_through_the_services(client, editor, conflict):
    assert resolve(client, editor, conflict, "take_theirs").status_code == 302

    davos = Milestone.objects.get(pk=conflict.milestone_id)
    assert (davos.title, davos.when_start) == ("Board of Peace meets at Davos",
                                              datetime(2027, 1, 24, 9, 30, tzinfo=ZURICH))
    assert davos.changes.filter(kind="postponed", by_label=editor.username).exists()
    conflict.refresh_from_db()
    assert conflict.pending is None and conflict.sequence == 1
    assert "0 updated, 6 unchanged, 0 conflicts" in run_import("later/google_moved.ics", "2026-12-04T12:00:00Z")


def test_keep_ours_leaves_the_milestone_and_remembers_the_version(client, editor, conflict):
    assert resolve(client, editor, conflict, "keep_ours").status_code == 302

    davos = Milestone.objects.get(pk=conflict.milestone_id)
    assert (davos.title, davos.when_start.date()) == ("Board of Peace, as we report it", date(2027, 1, 23))
    conflict.refresh_from_db()
    assert conflict.pending is None
    assert "0 updated, 6 unchanged, 0 conflicts" in run_import("later/google_moved.ics", "2026-12-04T12:00:00Z")


def test_the_admin_shows_what_waits(client, editor, conflict):
    client.login(username=editor.username, password=PASSWORD)

    listed = client.get(reverse("admin:timeline_calendarlink_changelist") + "?conflict=yes")
    page = client.get(reverse("admin:timeline_calendarlink_change", args=[conflict.pk]))

    assert listed.status_code == 200 and "Waiting since" in listed.content.decode()
    assert "Board of Peace, as we report it" in page.content.decode()
    assert "24 Jan 2027" in page.content.decode()


def test_the_upload_page_imports_as_the_editor(client, editor, db):
    storyline = make_storyline("Gaza ceasefire", slug="gaza")
    client.login(username=editor.username, password=PASSWORD)
    with open(FIXTURES / "broken_events.ics", "rb") as upload:
        response = client.post(reverse("admin:timeline_calendarlink_upload"),
                               {"calendar": upload, "storyline": storyline.pk, "tz": "Europe/Zurich"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "1 created, 0 updated, 0 unchanged, 0 conflicts, 8 rejected" in text
    assert "broken_events.ics, line 9 (UID bad-date@example.org): DTSTART: Wrong date format 20271305" in text
    made = Milestone.objects.get(title="The one good event")
    assert made.changes.get(kind="created").by_label == editor.username
    assert made.when_tz == "Europe/Zurich"


def test_the_upload_page_needs_an_editor(client, subscriber, db):
    client.login(username=subscriber.username, password=PASSWORD)

    response = client.get(reverse("admin:timeline_calendarlink_upload"))

    assert response.status_code == 302  # to the admin's login: not staff
