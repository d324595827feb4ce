"""milestone_postpone: a new When, the old one kept in the change log."""

from datetime import date

import pytest

from tests.builders import day_when
from timeline import services
from timeline.exceptions import TransitionNotAllowed
from timeline.models import UNDATED_SORT_KEY
from timeline.when import When

from .helpers import changes_of, month_when, reload

pytestmark = pytest.mark.django_db


def test_postponing_moves_the_window_counts_the_postponement_and_keeps_the_old_when(milestone, editor, later):
    old_when = milestone.when
    new_when = month_when(2027, 2, text="in February")

    services.milestone_postpone(milestone=milestone, by=editor, now=later, when=new_when,
                                as_of=date(2026, 11, 25), reason="Delayed by the talks.")

    fresh = reload(milestone)
    assert fresh.when == new_when
    assert fresh.when_as_of == date(2026, 11, 25)
    assert fresh.sort_key == new_when.start
    assert fresh.postponed_count == 1
    assert fresh.status == "scheduled"
    assert (fresh.revision, fresh.schedule_version) == (2, 2)
    [change] = changes_of(milestone, "postponed")
    assert change.before["when"] == old_when.as_dict()
    assert change.after["when"] == new_when.as_dict()
    assert change.before["postponed_count"] == 0
    assert change.after["postponed_count"] == 1
    assert change.reason == "Delayed by the talks."


def test_a_confirmed_milestone_goes_back_to_scheduled(milestone, editor, later):
    services.milestone_confirm(milestone=milestone, by=editor, now=later)
    services.milestone_postpone(milestone=milestone, by=editor, now=later, when=month_when(2027, 3))
    fresh = reload(milestone)
    assert fresh.status == "scheduled"
    [change] = changes_of(milestone, "postponed")
    assert change.before["status"] == "confirmed"
    assert change.after["status"] == "scheduled"


def test_postponing_sine_die_leaves_it_undated_and_last_in_order(milestone, editor, later):
    services.milestone_postpone(milestone=milestone, by=editor, now=later, when=When.undated("postponed indefinitely"))
    fresh = reload(milestone)
    assert fresh.when_start is None and fresh.when_end is None
    assert fresh.when_precision == "undated"
    assert fresh.sort_key == UNDATED_SORT_KEY
    assert not fresh.is_overdue(later)


def test_each_postponement_counts(milestone, editor, later):
    services.milestone_postpone(milestone=milestone, by=editor, now=later, when=month_when(2027, 1))
    services.milestone_postpone(milestone=milestone, by=editor, now=later, when=month_when(2027, 2))
    fresh = reload(milestone)
    assert fresh.postponed_count == 2
    assert fresh.schedule_version == 3
    assert changes_of(milestone, "postponed").count() == 2
    # The log holds every When the milestone had, in order.
    whens = [c.before["when"]["edtf"] for c in changes_of(milestone, "postponed")]
    assert whens == ["2026-12-28", "2027-01"]


@pytest.mark.parametrize("final", ["happened", "cancelled"])
def test_a_final_milestone_cannot_be_postponed(milestone, editor, later, final):
    if final == "happened":
        services.milestone_mark_happened(milestone=milestone, by=editor, now=later, actual=day_when(date(2026, 12, 28)))
    else:
        services.milestone_cancel(milestone=milestone, by=editor, now=later, reason="Called off.")
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.milestone_postpone(milestone=reload(milestone), by=editor, now=later, when=month_when(2027, 1))
    assert excinfo.value.current_status == final
    assert reload(milestone).postponed_count == 0
