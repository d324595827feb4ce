"""Zones by IANA name: the list the admin suggests and the strict check the API applies."""

from zoneinfo import ZoneInfo

import pytest

from core.errors import InvalidInput
from core.zones import is_zone_name, zone, zone_names


def test_zone_names_are_sorted_and_known_to_zoneinfo():
    names = zone_names()
    assert isinstance(names, tuple) and list(names) == sorted(names)
    assert {"UTC", "Europe/Zurich", "America/New_York"} <= set(names)
    assert zone_names() is names  # read from disk once


@pytest.mark.parametrize("name", ["UTC", "Europe/Zurich", "Asia/Tehran"])
def test_a_zone_name_is_one(name):
    assert is_zone_name(name)
    assert zone(name) == ZoneInfo(name)


@pytest.mark.parametrize("name", ["Mars/Olympus", "America", "zone.tab", "../../etc/passwd", "", "europe/zurich"])
def test_what_is_not_a_zone_name(name):
    assert not is_zone_name(name)


@pytest.mark.parametrize("name", ["Mars/Olympus", "America", "../../etc/passwd", ""])
def test_an_unknown_zone_is_invalid_input_naming_it(name):
    with pytest.raises(InvalidInput) as excinfo:
        zone(name)
    assert excinfo.value.fields == {"tz": [f"Unknown time zone {name!r}."]}
