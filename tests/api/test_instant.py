"""`instant` renders what DateTimeField(**INSTANT) renders, which the
written-out item and When serializers call it in place of."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from rest_framework import serializers

from timeline.api.serializers.reference import INSTANT, instant

FIELD = serializers.DateTimeField(**INSTANT)
ZONES = [timezone.utc, timezone(timedelta(hours=-9, minutes=-30)), ZoneInfo("Europe/Zurich"),
         ZoneInfo("Pacific/Apia"), ZoneInfo("Australia/Lord_Howe"), ZoneInfo("UTC")]


@pytest.mark.parametrize("zone", ZONES, ids=str)
@pytest.mark.parametrize("wall", [
    datetime(2026, 1, 23, 9, 0), datetime(2026, 3, 29, 2, 30), datetime(2026, 10, 25, 2, 30, 0, 999_999),
    datetime(2025, 12, 30, 23, 59, 59, 1), datetime(2, 1, 1), datetime(9999, 12, 30, 12, 0),
])
def test_instant_is_the_fields_rendering(zone, wall):
    value = wall.replace(tzinfo=zone)

    assert instant(value) == FIELD.to_representation(value)
    assert instant(value).endswith("Z")


def test_a_naive_datetime_is_refused_not_guessed():
    with pytest.raises(ValueError, match="no time zone"):
        instant(datetime(2026, 1, 23, 9, 0))
