"""expectation_trigger: a dormant conditional's condition came about."""

from datetime import date, datetime, timedelta, timezone

import pytest

from tests.builders import day_when, make_event, make_expectation
from timeline import services
from timeline.exceptions import InvalidInput, TransitionNotAllowed
from timeline.when import When

from .helpers import changes_of, reload

pytestmark = pytest.mark.django_db


def conditional(now, **fields):
    fields.setdefault("when", When.undated("no deadline"))
    return make_expectation(now=now, expectation_type="conditional",
                            condition="If Hamas does not start disarming", **fields)


def test_triggering_opens_it_and_starts_the_deadline(now, editor, later):
    expectation = conditional(now, trigger_deadline=timedelta(days=90))
    at = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)

    services.expectation_trigger(expectation=expectation, by=editor, now=later, triggered_at=at,
                                 reason="Hamas refused to disarm.")

    fresh = reload(expectation)
    assert fresh.status == "open"
    assert fresh.triggered_at == at
    assert (fresh.when_start, fresh.when_end) == (at, at + timedelta(days=90))
    assert fresh.when_precision == "range"
    assert fresh.when_text == "within 90 days of the trigger"
    assert fresh.target_kind == "by"
    assert fresh.schedule_version == 2
    [change] = changes_of(expectation, "triggered")
    assert change.before["status"] == "dormant"
    assert change.after["status"] == "open"
    assert change.after["when"]["end"] == (at + timedelta(days=90)).isoformat()
    assert change.reason == "Hamas refused to disarm."


def test_without_a_deadline_the_when_stays(now, editor, later):
    year = When(text="in 2026", start=datetime(2026, 1, 1, tzinfo=timezone.utc),
                end=datetime(2027, 1, 1, tzinfo=timezone.utc), precision="year", edtf="2026")
    expectation = conditional(now, when=year, target_kind="during")

    services.expectation_trigger(expectation=expectation, by=editor, now=later)

    fresh = reload(expectation)
    assert fresh.status == "open"
    assert fresh.triggered_at == later, "with neither a time nor an event, the trigger is now"
    assert fresh.when == year
    assert fresh.target_kind == "during"


def test_the_trigger_event_dates_the_trigger(now, editor, later):
    event = make_event(now=now, when=day_when(date(2026, 11, 18)), title="Hamas refuses")
    expectation = conditional(now, trigger_deadline=timedelta(days=30))

    services.expectation_trigger(expectation=expectation, by=editor, now=later, trigger_event=event)

    fresh = reload(expectation)
    assert fresh.trigger_event == event
    assert fresh.triggered_at == event.when_start
    assert fresh.when_end == event.when_start + timedelta(days=30)


def test_only_a_dormant_expectation_is_triggered(now, editor, later):
    expectation = conditional(now)
    services.expectation_trigger(expectation=expectation, by=editor, now=later)
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.expectation_trigger(expectation=expectation, by=editor, now=later)
    assert excinfo.value.current_status == "open"
    assert changes_of(expectation, "triggered").count() == 1


def test_the_trigger_time_must_carry_a_zone(now, editor, later):
    expectation = conditional(now)
    with pytest.raises(InvalidInput):
        services.expectation_trigger(expectation=expectation, by=editor, now=later,
                                     triggered_at=datetime(2026, 11, 20, 9, 0))
    assert reload(expectation).status == "dormant"


def test_the_trigger_must_be_an_event(now, editor, later, milestone):
    expectation = conditional(now)
    with pytest.raises(InvalidInput) as excinfo:
        services.expectation_trigger(expectation=expectation, by=editor, now=later, trigger_event=milestone)
    assert "trigger_event" in excinfo.value.fields
