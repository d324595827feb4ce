"""After the system's verdict: an editor overturns it, or reviews it (it stands)."""

from datetime import date, timedelta

import pytest

from tests.builders import day_when, make_event, make_expectation
from timeline import selectors, services
from timeline.exceptions import InvalidInput, TransitionNotAllowed

from .helpers import changes_of, month_when, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def missed_by_system(now):
    """An expectation for October 2026 that the grace rule called missed."""
    expectation = make_expectation(now=now - timedelta(days=90), when=month_when(2026, 10))
    assert services.expectations_apply_grace(now=now) == 1
    expectation = reload(expectation)
    assert (expectation.status, expectation.decided_by) == ("missed", "system")
    return expectation


def needs_verdict(now):
    entries = selectors.due_report(now=now, within=timedelta(days=7))
    return [e.item.pk for e in entries if e.section == "needs_verdict"]


def test_overturning_replaces_the_systems_verdict_with_the_editors(missed_by_system, editor, now, later):
    event = make_event(now=now, when=day_when(date(2026, 10, 30)), title="It happened after all")
    assert needs_verdict(now) == [missed_by_system.pk]

    services.expectation_overturn(expectation=missed_by_system, by=editor, now=later, status="met",
                                  evidence_event=event, note="Reported late by the outlet.")

    fresh = reload(missed_by_system)
    assert fresh.status == "met"
    assert (fresh.decided_by, fresh.decided_by_user, fresh.decided_at) == ("editor", editor, later)
    assert fresh.evidence_event == event
    [change] = changes_of(missed_by_system, "overturned")
    assert change.before["status"] == "missed"
    assert change.before["decided_by"] == "system"
    assert change.after["status"] == "met"
    assert change.after["decided_by"] == "editor"
    assert change.reason == "Reported late by the outlet."
    # The system's verdict is still in the log, as its own row.
    assert changes_of(missed_by_system, "settled").get().after["status"] == "missed"
    assert needs_verdict(later) == []


def test_an_overturn_can_reopen_a_question_whose_deadline_has_not_passed(now, editor, later):
    expectation = make_expectation(now=now, when=month_when(2027, 1))
    services.expectation_settle(expectation=expectation, by=editor, now=now, status="missed",
                                note="They said it is off.")
    services.expectation_overturn(expectation=reload(expectation), by=editor, now=later, status="open",
                                  note="Back on, says a later report.")
    fresh = reload(expectation)
    assert fresh.status == "open"
    assert (fresh.decided_by, fresh.decided_at) == ("", None)
    assert fresh.overdue_noticed_at is None


def test_reopening_past_the_deadline_and_grace_is_refused_with_the_way_out(missed_by_system, editor, later):
    # Reopened as it stands, the next sweep would call it missed again.
    with pytest.raises(InvalidInput) as excinfo:
        services.expectation_overturn(expectation=missed_by_system, by=editor, now=later, status="open",
                                      note="The deadline was misread.")
    assert "correct its When" in excinfo.value.message
    assert reload(missed_by_system).status == "missed"
    assert changes_of(missed_by_system, "overturned").count() == 0

    # The way out: a correction that reopens it with the right window.
    services.item_correct(item=reload(missed_by_system), by=editor, now=later, status="open",
                          when=month_when(2027, 3), reason="The deadline was misread: March 2027.")
    assert services.expectations_apply_grace(now=later) == 0
    assert reload(missed_by_system).status == "open"


def test_an_overturn_names_a_different_verdict(missed_by_system, editor, later):
    with pytest.raises(InvalidInput) as excinfo:
        services.expectation_overturn(expectation=missed_by_system, by=editor, now=later, status="missed",
                                      note="Same.")
    assert "status" in excinfo.value.fields


def test_an_open_expectation_has_no_verdict_to_overturn(now, editor, later):
    expectation = make_expectation(now=now, when=month_when(2027, 1))
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.expectation_overturn(expectation=expectation, by=editor, now=later, status="missed", note="No.")
    assert excinfo.value.current_status == "open"


def test_reviewing_lets_the_systems_verdict_stand(missed_by_system, editor, now, later):
    before = reload(missed_by_system)

    services.expectation_review(expectation=missed_by_system, by=editor, now=later, note="Checked: nothing happened.")

    fresh = reload(missed_by_system)
    assert fresh.status == "missed"
    assert fresh.decided_by == "system"
    assert fresh.verdict_reviewed_at == later
    assert fresh.revision == before.revision + 1
    assert fresh.schedule_version == before.schedule_version, "a review changes no verdict"
    [change] = changes_of(missed_by_system, "reviewed")
    assert (change.by_user, change.reason) == (editor, "Checked: nothing happened.")
    assert needs_verdict(later) == []


def test_a_verdict_is_reviewed_once(missed_by_system, editor, later):
    services.expectation_review(expectation=missed_by_system, by=editor, now=later)
    with pytest.raises(TransitionNotAllowed):
        services.expectation_review(expectation=missed_by_system, by=editor, now=later)
    assert changes_of(missed_by_system, "reviewed").count() == 1


def test_only_the_systems_verdicts_are_reviewed(now, editor, later):
    expectation = make_expectation(now=now, when=month_when(2027, 1))
    with pytest.raises(TransitionNotAllowed):
        services.expectation_review(expectation=expectation, by=editor, now=later)
    services.expectation_settle(expectation=expectation, by=editor, now=later, status="missed", note="No.")
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.expectation_review(expectation=expectation, by=editor, now=later)
    assert excinfo.value.current_status == "missed"
