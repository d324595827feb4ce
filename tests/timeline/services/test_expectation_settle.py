"""expectation_settle: an editor's verdict, with evidence and a note."""

from datetime import date

import pytest

from tests.builders import day_when, make_event, make_expectation
from timeline import services
from timeline.exceptions import InvalidInput, TransitionNotAllowed
from timeline.models import Citation, Outlet
from timeline.when import When

from .helpers import changes_of, month_when, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def expectation(now):
    return make_expectation(now=now, when=month_when(2027, 1, text="in January"), title="Phase two is announced")


def test_an_editor_settles_it_met_with_an_event_as_evidence(expectation, editor, now, later):
    event = make_event(now=now, when=day_when(date(2027, 1, 15)), title="Trump announces phase two")

    services.expectation_settle(expectation=expectation, by=editor, now=later, status="met",
                                evidence_event=event, note="Announced on Jan. 15.")

    fresh = reload(expectation)
    assert fresh.status == "met"
    assert (fresh.decided_by, fresh.decided_by_user, fresh.decided_at) == ("editor", editor, later)
    assert fresh.evidence_event == event
    assert fresh.verdict_note == "Announced on Jan. 15."
    assert fresh.schedule_version == 2
    [change] = changes_of(expectation, "settled")
    assert change.before["status"] == "open"
    assert change.after["status"] == "met"
    assert change.after["decided_by"] == "editor"
    assert change.after["evidence_event"] == event.pk
    assert change.reason == "Announced on Jan. 15."
    assert change.public is True


def test_a_citation_is_evidence_too(expectation, editor, now, later):
    outlet = services.outlet_create(name="Reuters")
    source = services.source_create(outlet=outlet, title="Phase two", url="https://example.org/phase-two",
                                    published_at=later)
    citation = services.citation_add(item=expectation, source=source, by=editor, now=later, role="evidence")

    services.expectation_settle(expectation=reload(expectation), by=editor, now=later, status="partly_met",
                                evidence_citation=citation, note="Only the Board was announced.")

    fresh = reload(expectation)
    assert (fresh.status, fresh.evidence_citation) == ("partly_met", citation)
    assert Outlet.objects.count() == 1 and Citation.objects.count() == 1


@pytest.mark.parametrize("status", ["met", "met_late", "partly_met"])
def test_a_met_verdict_needs_evidence(expectation, editor, later, status):
    with pytest.raises(InvalidInput) as excinfo:
        services.expectation_settle(expectation=expectation, by=editor, now=later, status=status, note="Trust me.")
    assert "evidence" in excinfo.value.fields
    assert reload(expectation).status == "open"


@pytest.mark.parametrize("status", ["missed", "void"])
def test_missed_and_void_need_only_a_note(expectation, editor, later, status):
    services.expectation_settle(expectation=expectation, by=editor, now=later, status=status,
                                note="Nothing was announced.")
    assert reload(expectation).status == status


def test_every_verdict_needs_a_note(expectation, editor, later):
    with pytest.raises(InvalidInput) as excinfo:
        services.expectation_settle(expectation=expectation, by=editor, now=later, status="missed", note="")
    assert "note" in excinfo.value.fields


def test_a_dormant_conditional_can_only_be_void(now, editor, later):
    conditional = make_expectation(now=now, when=When.undated(), expectation_type="conditional",
                                   condition="If Iran rebuilds its program")
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.expectation_settle(expectation=conditional, by=editor, now=later, status="missed", note="No.")
    assert excinfo.value.current_status == "dormant"

    services.expectation_settle(expectation=conditional, by=editor, now=later, status="void",
                                note="The condition can no longer come about.")
    assert reload(conditional).status == "void"


def test_a_settled_expectation_is_changed_by_an_overturn_not_a_second_settle(expectation, editor, later):
    services.expectation_settle(expectation=expectation, by=editor, now=later, status="missed", note="No.")
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.expectation_settle(expectation=expectation, by=editor, now=later, status="void", note="Hm.")
    assert excinfo.value.current_status == "missed"
    assert changes_of(expectation, "settled").count() == 1


def test_an_unknown_verdict_is_refused(expectation, editor, later):
    with pytest.raises(InvalidInput) as excinfo:
        services.expectation_settle(expectation=expectation, by=editor, now=later, status="happened", note="?")
    assert "status" in excinfo.value.fields
