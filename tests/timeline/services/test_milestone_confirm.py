"""milestone_confirm: scheduled -> confirmed, and from nowhere else."""

from datetime import date

import pytest

from tests.builders import day_when
from timeline import services
from timeline.exceptions import TransitionNotAllowed

from .helpers import changes_of, reload

pytestmark = pytest.mark.django_db


def test_confirming_a_scheduled_milestone(milestone, editor, later):
    services.milestone_confirm(milestone=milestone, by=editor, now=later, reason="The White House confirmed.")

    fresh = reload(milestone)
    assert fresh.status == "confirmed"
    assert (fresh.revision, fresh.schedule_version) == (2, 2)
    [change] = changes_of(milestone, "confirmed")
    assert change.before == {"status": "scheduled"}
    assert change.after == {"status": "confirmed"}
    assert change.reason == "The White House confirmed."
    assert change.by_user == editor


def test_the_callers_copy_is_refreshed(milestone, editor, later):
    returned = services.milestone_confirm(milestone=milestone, by=editor, now=later)
    assert returned is milestone
    assert (milestone.status, milestone.revision) == ("confirmed", 2)


def test_a_confirmed_milestone_cannot_be_confirmed_again(milestone, editor, later):
    services.milestone_confirm(milestone=milestone, by=editor, now=later)
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.milestone_confirm(milestone=milestone, by=editor, now=later)
    assert excinfo.value.current_status == "confirmed"
    assert changes_of(milestone, "confirmed").count() == 1


@pytest.mark.parametrize("final", ["happened", "cancelled"])
def test_a_final_milestone_cannot_be_confirmed(milestone, editor, later, final):
    if final == "happened":
        services.milestone_mark_happened(milestone=milestone, by=editor, now=later, actual=day_when(date(2026, 12, 28)))
    else:
        services.milestone_cancel(milestone=milestone, by=editor, now=later, reason="Called off.")
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.milestone_confirm(milestone=reload(milestone), by=editor, now=later)
    assert excinfo.value.current_status == final
