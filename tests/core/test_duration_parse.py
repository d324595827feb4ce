"""One parser for "7d", "36h", "90m", "2w", with the caller's range: lead
times (1 minute to 90 days) and the due list's horizon (1 minute to 366 days)."""

from datetime import timedelta

import pytest

from core.durations import HORIZON, LEAD_TIME, parse_duration
from core.errors import InvalidInput

ANY = {"minimum": timedelta(minutes=1), "maximum": timedelta(days=366), "field": "within"}


@pytest.mark.parametrize("text, expected", [
    ("90m", timedelta(minutes=90)),
    ("7min", timedelta(minutes=7)),
    ("36h", timedelta(hours=36)),
    ("7d", timedelta(days=7)),
    ("2w", timedelta(weeks=2)),
    ("72H", timedelta(hours=72)),
    (" 7 d ", timedelta(days=7)),
])
def test_units(text, expected):
    assert parse_duration(text, **ANY) == expected


def test_a_timedelta_or_whole_seconds_are_taken_as_they_are():
    assert parse_duration(timedelta(hours=5), **ANY) == timedelta(hours=5)
    assert parse_duration(3600, **ANY) == timedelta(hours=1)


@pytest.mark.parametrize("duration_range, shortest, longest", [
    (LEAD_TIME, "1m", "90d"),
    (HORIZON, "1m", "366d"),
])
def test_each_range_takes_its_ends_and_nothing_past_them(duration_range, shortest, longest):
    assert duration_range.parse(shortest, field="f") == timedelta(minutes=1)
    assert duration_range.parse(longest, field="f") == duration_range.maximum
    past = f"{duration_range.maximum.days + 1}d"
    for outside in ("0m", past, duration_range.maximum + timedelta(minutes=1), 0):
        with pytest.raises(InvalidInput) as excinfo:
            duration_range.parse(outside, field="f")
        assert f"lies {duration_range}" in excinfo.value.message


def test_the_ranges_say_what_they_are():
    assert str(LEAD_TIME) == "between 1 minute and 90 days"
    assert str(HORIZON) == "between 1 minute and 366 days"


def test_a_refusal_names_the_field_and_the_value():
    with pytest.raises(InvalidInput) as excinfo:
        HORIZON.parse("400d", field="within")
    message = "within lies between 1 minute and 366 days; got '400d'."
    assert excinfo.value.message == message
    assert excinfo.value.fields == {"within": [message]}


@pytest.mark.parametrize("garbage", ["7", "d", "7x", "7y", "30s", "-1d", "1.5d", "a week", "", "7dd", None, 1.5, [7]])
def test_garbage_is_refused_with_the_accepted_forms(garbage):
    with pytest.raises(InvalidInput) as excinfo:
        parse_duration(garbage, **ANY)
    assert excinfo.value.message == (
        "within takes a whole number and a unit: m (minutes), h (hours), d (days) or w (weeks), "
        f"e.g. 7d; got {garbage!r}."
    )


@pytest.mark.parametrize("flag", [True, False])
def test_a_bool_is_not_a_number_of_seconds(flag):
    with pytest.raises(InvalidInput, match="takes a whole number and a unit"):
        parse_duration(flag, **ANY)


@pytest.mark.parametrize("value", [30, 90, timedelta(seconds=90), timedelta(minutes=5, microseconds=1)])
def test_durations_are_whole_minutes(value):
    with pytest.raises(InvalidInput, match="is in whole minutes"):
        parse_duration(value, **ANY)


def test_a_number_past_what_a_timedelta_holds_is_out_of_range_not_a_crash():
    with pytest.raises(InvalidInput, match="lies between"):
        parse_duration("99999999999w", **ANY)
    with pytest.raises(InvalidInput, match="lies between"):
        parse_duration(60 * 10**30, **ANY)
