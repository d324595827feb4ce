"""milestone_mark_happened: the event that shows it, and the actual When."""

from datetime import date

import pytest

from tests.builders import day_when, make_event
from timeline import services
from timeline.exceptions import TransitionNotAllowed
from timeline.models import Event

from .helpers import changes_of, reload

pytestmark = pytest.mark.django_db


def test_an_actual_when_records_the_event_that_shows_it(milestone, storyline, editor, later):
    actual = day_when(date(2026, 12, 28), text="on Monday")

    services.milestone_mark_happened(milestone=milestone, by=editor, now=later, actual=actual,
                                     as_of=date(2026, 12, 29), reason="Reuters report.")

    fresh = reload(milestone)
    assert fresh.status == "happened"
    assert fresh.schedule_version == 2
    event = fresh.happened_event
    assert isinstance(event, Event)
    assert event.when == actual
    assert event.when_as_of == date(2026, 12, 29)
    assert event.title == milestone.title
    assert event.editorial_state == "published", "a published milestone's event is published too"
    assert list(event.storylines.all()) == [storyline]
    [change] = changes_of(milestone, "happened")
    assert change.before == {"status": "scheduled", "happened_event": None}
    assert change.after["status"] == "happened"
    assert change.after["happened_event"] == event.pk
    assert change.after["actual_when"] == actual.as_dict()
    assert change.reason == "Reuters report."
    assert [c.kind for c in changes_of(event)] == ["created"]


def test_an_existing_event_can_show_it(milestone, editor, now, later):
    event = make_event(now=now, when=day_when(date(2026, 12, 27)), title="The Board met")
    services.milestone_mark_happened(milestone=milestone, by=editor, now=later, event=event)
    fresh = reload(milestone)
    assert fresh.happened_event == event
    assert Event.objects.count() == 1, "no second event is recorded"


def test_a_draft_milestones_event_is_a_draft(now, editor, later):
    draft = services.item_create(kind="milestone", by=editor, now=now, title="D", when=day_when(date(2026, 12, 1)))
    services.milestone_mark_happened(milestone=draft, by=editor, now=later, actual=day_when(date(2026, 12, 1)))
    assert reload(draft).happened_event.editorial_state == "draft"


def test_a_confirmed_milestone_can_happen(milestone, editor, later):
    services.milestone_confirm(milestone=milestone, by=editor, now=later)
    services.milestone_mark_happened(milestone=milestone, by=editor, now=later, actual=day_when(date(2026, 12, 28)))
    assert reload(milestone).status == "happened"


def test_it_happens_once(milestone, editor, later):
    services.milestone_mark_happened(milestone=milestone, by=editor, now=later, actual=day_when(date(2026, 12, 28)))
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.milestone_mark_happened(milestone=milestone, by=editor, now=later,
                                         actual=day_when(date(2026, 12, 29)))
    assert excinfo.value.current_status == "happened"
    assert Event.objects.count() == 1


def test_a_cancelled_milestone_cannot_happen(milestone, editor, later):
    services.milestone_cancel(milestone=milestone, by=editor, now=later, reason="Called off.")
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.milestone_mark_happened(milestone=milestone, by=editor, now=later,
                                         actual=day_when(date(2026, 12, 28)))
    assert excinfo.value.current_status == "cancelled"
    assert Event.objects.count() == 0


def test_a_correction_is_the_way_back_from_happened(milestone, editor, later):
    services.milestone_mark_happened(milestone=milestone, by=editor, now=later, actual=day_when(date(2026, 12, 28)))
    services.item_correct(item=milestone, by=editor, now=later, status="scheduled",
                          reason="The meeting was a rehearsal, not the first session.")
    fresh = reload(milestone)
    assert fresh.status == "scheduled"
    assert fresh.happened_event is None
    [change] = changes_of(milestone, "correction")
    assert change.before["status"] == "happened"
    assert change.after == {"status": "scheduled", "happened_event": None, "cancel_reason": ""}
