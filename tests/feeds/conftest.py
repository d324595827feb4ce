import pytest
from icalendar import Calendar

from .support import build_record


@pytest.fixture
def record(editor):
    return build_record(editor)


def fetch_ics(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, Calendar.from_ical(response.content)


def events_by_uid(calendar) -> dict:
    return {str(event["UID"]).split("@")[0]: event for event in calendar.events}
