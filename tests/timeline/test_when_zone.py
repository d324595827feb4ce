"""A zone name is an IANA zone or a clear error, never a server error."""

from datetime import date

import pytest

from timeline.exceptions import InvalidInput
from timeline.when import zone
from timeline.whenparse import parse_when


@pytest.mark.parametrize("name", ["America", "Europe", "Mars/Olympus", "../etc/passwd", "", "UTC+2"])
def test_a_name_that_is_not_a_zone_is_invalid_input(name):
    # "America" is a folder of the zone database: zoneinfo raises an OSError for it.
    with pytest.raises(InvalidInput) as excinfo:
        zone(name)
    assert "tz" in excinfo.value.fields


def test_the_parser_reports_a_folder_name_as_an_unknown_zone():
    with pytest.raises(InvalidInput, match="Unknown time zone 'America'"):
        parse_when("on Jan. 23", as_of=date(2025, 12, 30), tz="America")


@pytest.mark.django_db
def test_the_preview_endpoint_answers_400_not_500(client):
    response = client.post("/api/v1/when/parse/", {"text": "on Jan. 23", "as_of": "2025-12-30", "tz": "America"},
                           content_type="application/json")
    assert response.status_code == 400
