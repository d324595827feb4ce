"""milestone_cancel: with a reason; final except through a correction."""

import pytest

from tests.builders import make_expectation
from timeline import services
from timeline.exceptions import InvalidInput, TransitionNotAllowed

from .helpers import changes_of, reload

pytestmark = pytest.mark.django_db


def test_cancelling_records_the_reason(milestone, editor, later):
    services.milestone_cancel(milestone=milestone, by=editor, now=later, reason="Hamas rejected phase two.")

    fresh = reload(milestone)
    assert fresh.status == "cancelled"
    assert fresh.cancel_reason == "Hamas rejected phase two."
    assert fresh.schedule_version == 2
    [change] = changes_of(milestone, "cancelled")
    assert change.reason == "Hamas rejected phase two."
    assert change.before == {"status": "scheduled", "cancel_reason": ""}
    assert change.after == {"status": "cancelled", "cancel_reason": "Hamas rejected phase two."}
    assert change.public is True


def test_cancelling_makes_the_expectations_about_it_missed(milestone, editor, now, later):
    expectation = make_expectation(now=now, when=milestone.when, about_milestone=milestone, target_kind="on")

    services.milestone_cancel(milestone=milestone, by=editor, now=later, reason="Called off.")

    fresh = reload(expectation)
    assert fresh.status == "missed"
    assert fresh.decided_by == "system"
    assert fresh.decided_at == later
    assert fresh.verdict_note == "The milestone was cancelled: Called off."
    [change] = changes_of(expectation, "settled")
    assert change.by_label == "system"


@pytest.mark.parametrize("action", ["confirm", "postpone", "cancel"])
def test_cancelled_is_final(milestone, editor, later, action):
    services.milestone_cancel(milestone=milestone, by=editor, now=later, reason="Called off.")
    call = {
        "confirm": lambda: services.milestone_confirm(milestone=milestone, by=editor, now=later),
        "postpone": lambda: services.milestone_postpone(milestone=milestone, by=editor, now=later, when=milestone.when),
        "cancel": lambda: services.milestone_cancel(milestone=milestone, by=editor, now=later, reason="Again."),
    }[action]
    with pytest.raises(TransitionNotAllowed) as excinfo:
        call()
    assert excinfo.value.current_status == "cancelled"
    assert changes_of(milestone).count() == 2  # created, cancelled


def test_a_correction_revives_a_cancelled_milestone(milestone, editor, later):
    services.milestone_cancel(milestone=milestone, by=editor, now=later, reason="Called off.")
    services.item_correct(item=milestone, by=editor, now=later, status="scheduled", reason="It was only delayed.")
    fresh = reload(milestone)
    assert (fresh.status, fresh.cancel_reason) == ("scheduled", "")
    assert changes_of(milestone, "correction").get().schedule_version == 3


def test_cancelling_needs_a_reason(milestone, editor, later):
    with pytest.raises(InvalidInput) as excinfo:
        services.milestone_cancel(milestone=milestone, by=editor, now=later, reason=" ")
    assert "reason" in excinfo.value.fields
    assert reload(milestone).status == "scheduled"
