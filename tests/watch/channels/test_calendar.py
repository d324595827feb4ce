"""An item as an iCalendar entry: all-day dates in the item's zone for day-or-coarser
windows, UTC for exact times, the item's UID and schedule version, and CANCEL for
news that takes it off calendars."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.builders import time_when, window_when
from timeline.when import When
from watch.calendar import build_ics, calendar_method

from .receivers import make_news

NOW = datetime(2026, 1, 16, 9, 0, tzinfo=timezone.utc)


def only_event(ics: bytes):
    calendar = Calendar.from_ical(ics)
    [event] = calendar.events
    return calendar, event


def test_a_day_in_zurich_is_an_all_day_entry_on_that_date(settings):
    settings.SITE_URL = "https://watch.example.org"

    ics = build_ics(make_news(), now=NOW)

    calendar, event = only_event(ics)
    assert b"DTSTART;VALUE=DATE:20260123" in ics
    assert b"DTEND;VALUE=DATE:20260124" in ics  # exclusive, like our half-open window
    assert (event.start, event.end) == (date(2026, 1, 23), date(2026, 1, 24))
    assert str(event["UID"]) == "ms_board_of_peace@watch.example.org"
    assert event["SEQUENCE"] == 3
    assert event["DTSTAMP"].dt == NOW
    assert str(event["SUMMARY"]) == "First meeting of the Gaza Board of Peace"
    assert str(event["URL"]) == "http://127.0.0.1:8000/items/ms_board_of_peace/"
    assert str(event["STATUS"]) == "TENTATIVE"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "23 Jan 2026" in str(event["DESCRIPTION"])


def test_a_month_is_all_day_from_its_first_day_to_the_first_of_the_next():
    zone = ZoneInfo("America/New_York")
    january = window_when(
        datetime(2026, 1, 1, tzinfo=zone), datetime(2026, 2, 1, tzinfo=zone),
        precision="month", tz="America/New_York", text="in January",
    )

    _, event = only_event(build_ics(make_news(when=january), now=NOW))

    assert (event.start, event.end) == (date(2026, 1, 1), date(2026, 2, 1))


def test_an_exact_time_is_written_in_utc():
    at = datetime(2026, 1, 23, 14, 30, tzinfo=ZoneInfo("Europe/Zurich"))

    ics = build_ics(make_news(when=time_when(at, tz="Europe/Zurich")), now=NOW)

    _, event = only_event(ics)
    assert b"DTSTART:20260123T133000Z" in ics
    assert event.start == datetime(2026, 1, 23, 13, 30, tzinfo=timezone.utc)
    assert event.end == datetime(2026, 1, 23, 13, 31, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("item_status", "expected"),
    [
        ("scheduled", "TENTATIVE"),
        ("open", "TENTATIVE"),
        ("confirmed", "CONFIRMED"),
        ("happened", "CONFIRMED"),
        ("met", "CONFIRMED"),
        ("cancelled", "CANCELLED"),
        ("missed", "CANCELLED"),
    ],
)
def test_the_status_follows_the_item(item_status, expected):
    _, event = only_event(build_ics(make_news(item_status=item_status), now=NOW))

    assert str(event["STATUS"]) == expected


@pytest.mark.parametrize(
    "news",
    [
        make_news(cause="cancelled", item_status="cancelled", schedule_version=4),
        make_news(cause="retracted", editorial_state="retracted", schedule_version=4),
    ],
    ids=["cancelled", "retracted"],
)
def test_cancelled_or_retracted_news_cancels_the_entry(news):
    method = calendar_method(news)

    calendar, event = only_event(build_ics(news, method=method, now=NOW))

    assert method == "CANCEL"
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 4


def test_other_news_publishes():
    assert calendar_method(make_news(cause="moved")) == "PUBLISH"


def test_an_undated_item_has_no_calendar_entry():
    with pytest.raises(ValueError, match="undated"):
        build_ics(make_news(when=When.undated("some day")), now=NOW)


def test_several_items_make_one_entry_each_and_undated_ones_are_left_out():
    older = make_news(schedule_version=2, item_title="Before the move")
    newer = make_news(schedule_version=5, item_title="After the move")
    other = make_news(item_public_id="ms_phase_two", item_title="Phase two")
    undated = make_news(item_public_id="ex_round_two", when=When.undated())

    calendar = Calendar.from_ical(build_ics([older, other, newer, undated], now=NOW))

    entries = {str(event["UID"]).split("@")[0]: event for event in calendar.events}
    assert set(entries) == {"ms_board_of_peace", "ms_phase_two"}
    assert entries["ms_board_of_peace"]["SEQUENCE"] == 5
    assert str(entries["ms_board_of_peace"]["SUMMARY"]) == "After the move"


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="REQUEST"):
        build_ics(make_news(), method="REQUEST", now=NOW)
