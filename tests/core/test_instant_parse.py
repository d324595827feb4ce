"""`now` as tasks and commands take it: ISO 8601 text, or None for the clock."""

from datetime import datetime, timedelta, timezone

import pytest

from core.clock import parse_instant, require_aware
from core.errors import InvalidInput


def test_an_instant_keeps_its_offset():
    assert parse_instant("2026-11-25T12:00:00Z") == datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
    moment = parse_instant(" 2026-11-25T13:00:00+01:00 ")
    assert moment.utcoffset() == timedelta(hours=1)
    assert moment == datetime(2026, 11, 25, 12, tzinfo=timezone.utc)


def test_none_is_the_clock_read_now():
    assert abs(parse_instant(None) - datetime.now(timezone.utc)) < timedelta(minutes=1)
    assert parse_instant(None).tzinfo is not None


def test_a_naive_value_is_refused_unless_the_caller_reads_it_as_utc():
    with pytest.raises(InvalidInput) as excinfo:
        parse_instant("2026-11-25T12:00:00")
    assert excinfo.value.message == "now must carry a UTC offset, e.g. 2026-11-25T12:00:00Z; got '2026-11-25T12:00:00'."
    assert parse_instant("2026-11-25", naive_is_utc=True) == datetime(2026, 11, 25, tzinfo=timezone.utc)


@pytest.mark.parametrize("garbage", ["next Tuesday", "2026-13-01T00:00:00+00:00", "", 1764072000, b"2026-11-25"])
def test_garbage_is_invalid_input_naming_the_value(garbage):
    with pytest.raises(InvalidInput) as excinfo:
        parse_instant(garbage, field="--now")
    assert excinfo.value.message.startswith("--now takes an ISO 8601 date or time")
    assert repr(garbage) in excinfo.value.message
    assert list(excinfo.value.fields) == ["--now"]


def test_services_refuse_a_naive_now():
    aware = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
    assert require_aware(aware) is aware
    for naive in (datetime(2026, 11, 25, 12), "2026-11-25T12:00:00Z", None):
        with pytest.raises(InvalidInput, match="timezone-aware"):
            require_aware(naive)
