"""Postponing, cancelling or retracting an item rewrites its due rows: the old
ones are withdrawn, new ones written for the new schedule version, never one
whose fire time has passed."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import subscribe
from timeline import services as timeline
from timeline.models import SYSTEM
from timeline.when import When
from watch import services
from watch.models import ReminderDue

pytestmark = pytest.mark.django_db

ZURICH = ZoneInfo("Europe/Zurich")
DAY, WEEK = timedelta(days=1), timedelta(days=7)


@pytest.fixture
def davos(now):
    storyline = make_storyline(slug="gaza-ceasefire")
    item = make_milestone(now=now, when=day_when(date(2027, 1, 23), tz="Europe/Zurich"), storylines=[storyline])
    subscribe(now=now, storyline="gaza-ceasefire")
    services.process_changes(now=now)
    return item


def rows(item, state="pending"):
    return sorted(
        (row.lead, row.schedule_version, row.due_at.astimezone(ZURICH))
        for row in ReminderDue.objects.filter(item_id=item.pk, state=state)
    )


def test_postponing_withdraws_the_old_rows_and_writes_the_new_version(davos, now):
    old_version = davos.schedule_version
    timeline.milestone_postpone(milestone=davos, by=SYSTEM, now=now,
                                when=day_when(date(2027, 2, 6), tz="Europe/Zurich"), reason="moved")
    services.process_changes(now=now)

    assert davos.schedule_version == old_version + 1
    assert rows(davos) == [
        (DAY, old_version + 1, datetime(2027, 2, 5, 9, 0, tzinfo=ZURICH)),
        (WEEK, old_version + 1, datetime(2027, 1, 30, 9, 0, tzinfo=ZURICH)),
    ]
    assert [(lead, version) for lead, version, _ in rows(davos, "withdrawn")] == [
        (DAY, old_version), (WEEK, old_version),
    ]


def test_a_postponement_writes_no_row_whose_time_has_passed(davos, now):
    # A week later, the 7-day reminder of the old date has fired; the item is
    # moved to a date whose 7-day reminder would already be past.
    later = datetime(2027, 1, 16, 10, 0, tzinfo=ZURICH)
    services.fire_due_reminders(now=later)
    timeline.milestone_postpone(milestone=davos, by=SYSTEM, now=later,
                                when=day_when(date(2027, 1, 20), tz="Europe/Zurich"), reason="brought forward")
    services.process_changes(now=later)

    assert rows(davos) == [(DAY, davos.schedule_version, datetime(2027, 1, 19, 9, 0, tzinfo=ZURICH))]
    assert all(row.due_at > later for row in ReminderDue.objects.filter(item_id=davos.pk, state="pending"))


def test_postponing_to_undated_leaves_no_reminder(davos, now):
    timeline.milestone_postpone(milestone=davos, by=SYSTEM, now=now, when=When.undated("later"), reason="no date")
    services.process_changes(now=now)
    assert rows(davos) == []


@pytest.mark.parametrize("end", ["cancel", "retract", "happened"])
def test_cancelling_retracting_or_happening_withdraws_every_row(davos, now, end):
    if end == "cancel":
        timeline.milestone_cancel(milestone=davos, by=SYSTEM, now=now, reason="called off")
    elif end == "retract":
        timeline.item_retract(item=davos, by=SYSTEM, now=now, reason="wrong report")
    else:
        timeline.milestone_mark_happened(milestone=davos, by=SYSTEM, now=now,
                                         actual=day_when(date(2026, 11, 25), tz="Europe/Zurich"))
    services.process_changes(now=now)

    assert rows(davos) == []
    assert len(rows(davos, "withdrawn")) == 2


def test_a_row_of_an_old_version_is_not_fired_even_before_the_change_is_processed(davos, now):
    timeline.milestone_postpone(milestone=davos, by=SYSTEM, now=now,
                                when=day_when(date(2027, 2, 6), tz="Europe/Zurich"), reason="moved")
    # The sweep that fires reminders runs before the one that processes changes.
    result = services.fire_due_reminders(now=datetime(2027, 1, 16, 9, 0, tzinfo=ZURICH))

    assert result.fired == 0 and result.withdrawn == 1
