"""The zone of a When is found from its city as well as its IANA name:
"Jerusalem" is Asia/Jerusalem, "zurich" Europe/Zurich. A city of several
zones, or no zone at all, is a form error naming the candidates. The list
the browser suggests from labels each zone with its city."""

from datetime import date

import pytest

from tests.builders import day_when, make_milestone
from timeline.models import Milestone

from .pages import form_data, form_errors, submit_transition, url

pytestmark = pytest.mark.django_db


def add_milestone(editor_client, tz):
    data = form_data(editor_client.get(url("milestone", "add")))
    data.update(title="Netanyahu meets Trump", editorial_state="draft", status="scheduled",
                when_phrase="on Dec. 29", when_as_of="2025-12-20", when_tz=tz)
    return editor_client.post(url("milestone", "add"), data)


@pytest.mark.parametrize(("typed", "zone"), [
    ("Jerusalem", "Asia/Jerusalem"),
    ("zurich", "Europe/Zurich"),
    ("new york", "America/New_York"),
    ("europe/zurich", "Europe/Zurich"),
    ("  Asia/Jerusalem ", "Asia/Jerusalem"),
])
def test_a_city_or_a_name_in_any_case_is_the_zone(editor_client, typed, zone):
    response = add_milestone(editor_client, typed)

    assert response.status_code == 302, form_errors(response)
    milestone = Milestone.objects.get()
    assert milestone.when_tz == zone
    assert milestone.when_edtf == "2025-12-29"


def test_a_city_of_several_zones_lists_them(editor_client):
    response = add_milestone(editor_client, "buenos aires")

    assert response.status_code == 200
    [error] = form_errors(response)["when"]
    assert "America/Argentina/Buenos_Aires" in error and "America/Buenos_Aires" in error
    assert not Milestone.objects.exists()


def test_an_unknown_zone_names_what_was_typed_and_a_close_one(editor_client):
    response = add_milestone(editor_client, "Europe/Zurch")

    assert response.status_code == 200
    [error] = form_errors(response)["when"]
    assert "Unknown time zone 'Europe/Zurch'" in error
    assert "Did you mean Europe/Zurich?" in error


def test_the_city_finds_the_zone_on_a_postpone_too(editor_client, now):
    milestone = make_milestone(now=now, when=day_when(date(2026, 1, 23)))

    response = submit_transition(editor_client, "milestone", "postpone", milestone,
                                 when_phrase="on Jan. 26", when_as_of="2026-01-10", when_tz="Jerusalem")

    assert response.status_code == 302, form_errors(response)
    milestone.refresh_from_db()
    assert milestone.when_tz == "Asia/Jerusalem"


def test_the_suggestions_carry_the_city_in_their_label(editor_client):
    html = editor_client.get(url("milestone", "add")).content.decode()

    assert '<option value="Asia/Jerusalem" label="Jerusalem (Asia)">' in html
    assert '<option value="America/Argentina/Buenos_Aires" label="Buenos Aires (America/Argentina)">' in html
    assert '<option value="UTC" label="UTC">' in html
