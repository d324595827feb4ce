"""What a feed's entries say, read back property by property with icalendar:
all-day windows with an exclusive DTEND in the item's zone, exact times with
TZID and VTIMEZONE, a deadline on its last day, and the item's UID, SEQUENCE,
STATUS, DESCRIPTION, URL and CATEGORIES."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from timeline import services

from .conftest import events_by_uid, fetch_ics
from .support import INTERNAL


def storyline_feed(client, record):
    return fetch_ics(client, reverse("feeds:storyline-ics", kwargs={"slug": record.storyline.slug}))


def test_a_month_is_all_day_from_its_first_to_the_first_of_the_next(client, record):
    _, calendar = storyline_feed(client, record)
    event = events_by_uid(calendar)[str(record.month.public_id)]
    year = record.now.year + 1

    assert event.decoded("DTSTART") == date(year, 1, 1)
    assert event.decoded("DTEND") == date(year, 2, 1)
    assert event["DTSTART"].params["VALUE"] == "DATE"


def test_a_day_at_davos_is_that_date_in_zurich(client, record):
    response, calendar = storyline_feed(client, record)
    event = events_by_uid(calendar)[str(record.davos.public_id)]
    year = record.now.year + 1

    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (date(year, 1, 23), date(year, 1, 24))
    assert f"DTSTART;VALUE=DATE:{year}0123".encode() in response.content


def test_an_exact_time_keeps_its_zone_and_the_zone_is_defined(client, record):
    response, calendar = storyline_feed(client, record)
    event = events_by_uid(calendar)[str(record.meeting.public_id)]
    year = record.now.year + 1

    assert event["DTSTART"].params["TZID"] == "Europe/Zurich"
    assert event.decoded("DTSTART") == datetime(year, 3, 30, 14, 30, tzinfo=ZoneInfo("Europe/Zurich"))
    assert f"DTSTART;TZID=Europe/Zurich:{year}0330T143000".encode() in response.content
    assert [str(tz["TZID"]) for tz in calendar.timezones] == ["Europe/Zurich"]


def test_a_deadline_is_its_last_day(client, record):
    _, calendar = storyline_feed(client, record)
    event = events_by_uid(calendar)[str(record.deadline.public_id)]
    year = record.now.year + 1

    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (date(year, 12, 31), date(year + 1, 1, 1))
    assert str(event["SUMMARY"]) == "Deadline: Hamas disarms"


def test_each_entry_carries_the_item_identity_and_what_it_is(client, record, settings):
    settings.SITE_URL = "https://watch.example.org"
    _, calendar = storyline_feed(client, record)
    davos = record.davos
    event = events_by_uid(calendar)[str(davos.public_id)]

    assert str(event["UID"]) == f"{davos.public_id}@watch.example.org"
    assert event["SEQUENCE"] == davos.schedule_version
    assert event.decoded("DTSTAMP") == davos.updated_at.replace(microsecond=0)
    assert str(event["SUMMARY"]) == "Board of Peace meets at Davos"
    assert str(event["STATUS"]) == "TENTATIVE"
    assert str(event["URL"]) == f"https://watch.example.org/items/{davos.public_id}/"
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Gaza ceasefire", "Iran's nuclear and missile programs"]
    description = str(event["DESCRIPTION"])
    assert "Reported by: Axios, citing a U.S. official and two additional U.S. sources" in description
    assert "As reported: on Jan. 23" in description
    assert "Status: scheduled." in description
    assert description.endswith(f"https://watch.example.org/items/{davos.public_id}/")


def test_a_confirmed_milestone_is_confirmed_and_a_move_raises_the_sequence(client, record, editor):
    services.milestone_confirm(milestone=record.davos, by=editor, now=record.now)
    _, calendar = storyline_feed(client, record)
    event = events_by_uid(calendar)[str(record.davos.public_id)]

    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == record.davos.schedule_version == 2


def test_cancelled_and_retracted_items_stay_as_cancelled_with_their_public_reason(client, record):
    _, calendar = storyline_feed(client, record)
    entries = events_by_uid(calendar)

    cancelled = entries[str(record.cancelled.public_id)]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert "Status: cancelled: The ceremony was called off." in str(cancelled["DESCRIPTION"])
    assert str(entries[str(record.retracted.public_id)]["STATUS"]) == "CANCELLED"
    assert INTERNAL.encode() not in calendar.to_ical()


def test_an_approximate_window_says_so(client, record, editor):
    when = record.month.when
    from dataclasses import replace

    services.item_edit(item=record.month, by=editor, now=record.now, when=replace(when, approximate=True))
    _, calendar = storyline_feed(client, record)

    assert str(events_by_uid(calendar)[str(record.month.public_id)]["SUMMARY"]) == \
        "Trump announces phase two (date approximate)"


def test_the_calendar_names_itself_and_asks_to_be_refreshed(client, record):
    response, calendar = storyline_feed(client, record)

    assert str(calendar["X-WR-CALNAME"]) == "Gaza ceasefire · Forecast Watch"
    assert str(calendar["X-WR-TIMEZONE"]) in ("UTC", "Europe/Zurich", "America/New_York")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.content
    assert b"X-PUBLISHED-TTL:PT1H" in response.content
    assert "METHOD" not in calendar
