"""When a reminder is due: the lead time before the window opens (or before a
`by` deadline); for a day-or-coarser window at 09:00 in the item's zone on the
day the lead lands on; leads finer than the window are skipped."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.builders import day_when, make_expectation, make_milestone, make_storyline, time_when, window_when
from tests.watch.support import subscribe
from timeline.models import Expectation
from timeline.when import When
from watch import services
from watch.models import ReminderDue

pytestmark = pytest.mark.django_db

ZURICH = ZoneInfo("Europe/Zurich")
DAY, WEEK = timedelta(days=1), timedelta(days=7)


def due_rows(item):
    return {
        row.lead: row.due_at.astimezone(ZURICH)
        for row in ReminderDue.objects.filter(item_id=item.pk, state="pending")
    }


def test_a_day_in_zurich_is_reminded_at_nine_zurich_time(now):
    storyline = make_storyline(slug="gaza-ceasefire")
    davos = make_milestone(now=now, when=day_when(date(2027, 1, 23), tz="Europe/Zurich"), storylines=[storyline])
    subscribe(now=now, storyline="gaza-ceasefire")  # default lead times: 7 days and 1 day

    assert due_rows(davos) == {
        WEEK: datetime(2027, 1, 16, 9, 0, tzinfo=ZURICH),
        DAY: datetime(2027, 1, 22, 9, 0, tzinfo=ZURICH),
    }


def test_the_nine_oclock_rule_counts_on_the_local_calendar_across_dst(now):
    # 2027-03-28 is the spring-forward Sunday in Zurich: a week before a day
    # window starting 2027-04-01 is 25 March, still at 09:00 local.
    item = make_milestone(now=now, when=day_when(date(2027, 4, 1), tz="Europe/Zurich"))
    assert services.reminder_due_at(item, WEEK) == datetime(2027, 3, 25, 9, 0, tzinfo=ZURICH)
    assert services.reminder_due_at(item, DAY) == datetime(2027, 3, 31, 9, 0, tzinfo=ZURICH)


def test_the_hour_is_a_setting(now, settings):
    settings.FW_REMINDER_HOUR = 7
    item = make_milestone(now=now, when=day_when(date(2027, 1, 23), tz="Europe/Zurich"))
    assert services.reminder_due_at(item, DAY) == datetime(2027, 1, 22, 7, 0, tzinfo=ZURICH)


def test_an_exact_time_is_reminded_exactly_the_lead_before(now):
    start = datetime(2027, 1, 23, 14, 30, tzinfo=ZURICH)
    item = make_milestone(now=now, when=time_when(start, tz="Europe/Zurich"))
    assert services.reminder_due_at(item, timedelta(hours=2)) == start - timedelta(hours=2)
    assert services.reminder_due_at(item, timedelta(minutes=1)) == start - timedelta(minutes=1)


def test_leads_finer_than_the_window_are_skipped(now):
    january = When(text="in January", start=datetime(2027, 1, 1, tzinfo=ZURICH),
                   end=datetime(2027, 2, 1, tzinfo=ZURICH), precision="month", tz="Europe/Zurich")
    item = make_milestone(now=now, when=january)
    assert services.reminder_due_at(item, timedelta(hours=1)) is None  # no "1 hour before January"
    assert services.reminder_due_at(item, WEEK) is None
    assert services.reminder_due_at(item, timedelta(days=30)) == datetime(2026, 12, 2, 9, 0, tzinfo=ZURICH)

    day_item = make_milestone(now=now, when=day_when(date(2027, 1, 23), tz="Europe/Zurich"))
    assert services.reminder_due_at(day_item, timedelta(hours=12)) is None
    assert services.reminder_due_at(day_item, DAY) is not None


def test_a_by_expectation_counts_back_from_its_deadline(now):
    window = window_when(datetime(2026, 11, 1, tzinfo=ZURICH), datetime(2027, 2, 1, tzinfo=ZURICH), tz="Europe/Zurich",
                         text="by the end of January")
    by = make_expectation(now=now, when=window, target_kind=Expectation.TargetKind.BY)
    during = make_expectation(now=now, when=window, target_kind=Expectation.TargetKind.DURING)

    assert services.reminder_due_at(by, DAY) == datetime(2027, 1, 31, 9, 0, tzinfo=ZURICH)
    assert services.reminder_due_at(during, DAY) == datetime(2026, 10, 31, 9, 0, tzinfo=ZURICH)


def test_expectation_deadlines_get_due_rows_like_milestones(now):
    storyline = make_storyline(slug="iran")
    deadline = window_when(datetime(2026, 11, 1, tzinfo=ZURICH), datetime(2027, 2, 1, tzinfo=ZURICH),
                           tz="Europe/Zurich")
    expectation = make_expectation(now=now, when=deadline, target_kind="by", storylines=[storyline])
    subscribe(now=now, storyline="iran", lead_times=["7d"])
    assert due_rows(expectation) == {WEEK: datetime(2027, 1, 25, 9, 0, tzinfo=ZURICH)}


def test_undated_dormant_and_unpublished_items_have_no_reminders(now):
    storyline = make_storyline(slug="quiet")
    undated = make_milestone(now=now, when=When.undated("some day"), storylines=[storyline])
    dormant = make_expectation(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline],
                               expectation_type="conditional", condition="if Iran rebuilds")
    draft = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline], published=False)
    subscribe(now=now, storyline="quiet")
    services.process_changes(now=now)

    assert services.reminder_due_at(undated, DAY) is None
    assert dormant.status == "dormant"
    assert not ReminderDue.objects.filter(item_id__in=[undated.pk, dormant.pk, draft.pk]).exists()


def test_no_due_row_is_written_for_a_time_already_past(now):
    storyline = make_storyline(slug="soon")
    soon = make_milestone(now=now, when=day_when((now + timedelta(days=3)).date(), tz="Europe/Zurich"),
                          storylines=[storyline])
    subscribe(now=now, storyline="soon")  # 7 days before is past; 1 day before is ahead
    assert set(due_rows(soon)) == {DAY}


def test_one_row_per_lead_in_use_whatever_the_number_of_subscribers(now):
    storyline = make_storyline(slug="busy")
    item = make_milestone(now=now, when=day_when(date(2027, 1, 23), tz="Europe/Zurich"), storylines=[storyline])
    for n in range(5):
        subscribe(f"reader{n}@example.org", now=now, storyline="busy", lead_times=["7d", "1d"])
    subscribe("hasty@example.org", now=now, storyline="busy", lead_times=["2d"])
    subscribe("no-reminders@example.org", now=now, storyline="busy", lead_times=["30d"], news=["verdicts"])

    assert set(due_rows(item)) == {WEEK, DAY, 2 * DAY}
    # Rewriting (any change of the item does) keeps exactly those.
    services.reminders_rewrite(item=item, now=now)
    assert ReminderDue.objects.filter(item_id=item.pk).count() == 3
