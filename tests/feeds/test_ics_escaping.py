"""No field can break a line or inject a property: the library escapes text,
and a second, independent parser (`ical`, from PyPI) reads the same values,
so the feed is valid iCalendar and not only something we agree with."""

from django.urls import reverse
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from tests.builders import day_when, make_milestone

INJECTED = "Summit\r\nATTENDEE:mailto:attacker@example.org\r\nEND:VEVENT"


def test_a_title_with_crlf_and_a_property_stays_one_summary(client, record):
    injected = make_milestone(now=record.now, title=INJECTED, storylines=[record.storyline],
                              when=day_when(record.davos.when_start.date()),
                              summary="Line one\nDESCRIPTION:forged; with, punctuation\\")

    response = client.get(reverse("feeds:storyline-ics", kwargs={"slug": record.storyline.slug}))

    lines = response.content.decode().split("\r\n")
    assert not any(line.startswith("ATTENDEE") for line in lines)
    assert sum(line.startswith("END:VEVENT") for line in lines) == sum(line == "BEGIN:VEVENT" for line in lines)
    [event] = [e for e in Calendar.from_ical(response.content).events if str(injected.public_id) in str(e["UID"])]
    assert str(event["SUMMARY"]) == INJECTED.replace("\r\n", "\n")
    assert "ATTENDEE" not in event
    assert str(event["DESCRIPTION"]).startswith("Line one\nDESCRIPTION:forged; with, punctuation\\")


def test_a_second_parser_reads_the_same_entries(client, record):
    response = client.get(reverse("feeds:storyline-ics", kwargs={"slug": record.storyline.slug}))
    ours = {str(e["UID"]): e for e in Calendar.from_ical(response.content).events}

    theirs = IcsCalendarStream.calendar_from_ics(response.content.decode())

    assert {event.uid for event in theirs.events} == set(ours)
    for event in theirs.events:
        mine = ours[event.uid]
        assert event.summary == str(mine["SUMMARY"])
        assert event.description == str(mine["DESCRIPTION"])
        assert event.sequence == mine["SEQUENCE"]
        assert event.status.value == str(mine["STATUS"])
        assert event.dtstart == mine.decoded("DTSTART")
        assert event.dtend == mine.decoded("DTEND")
        assert event.url == str(mine["URL"])
        # `ical` splits CATEGORIES on escaped commas too, so only names without one compare.
        assert event.categories == [str(c) for c in mine["CATEGORIES"].cats]
    assert "Europe/Zurich" in [tz.tz_id for tz in theirs.timezones]
