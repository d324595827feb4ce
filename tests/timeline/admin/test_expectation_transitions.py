"""Settle, overturn, review and trigger from the admin."""

from datetime import date, datetime, timedelta, timezone

import pytest

from tests.builders import day_when, make_event, make_expectation, window_when
from timeline import services
from timeline.models import Change, Expectation

from .pages import apply_action_form, form_errors, make_source, messages_of, run_action, submit_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_meets(now):
    return make_expectation(
        now=now, when=day_when(date(2026, 1, 23), tz="Europe/Zurich"), target_kind="on",
        title="The Board of Peace first meets at Davos on Jan. 23",
    )


def system_missed(now):
    expectation = make_expectation(now=now, when=day_when(date(2026, 1, 15)), title="Phase two in January")
    services.expectation_settle(expectation=expectation, by="system", now=now, status="missed",
                                note="No outcome recorded.")
    return expectation


def last_change(item):
    return Change.objects.filter(item=item).order_by("id").last()


def test_settle_met_with_a_citation_as_evidence(editor_client, editor, board_meets, now):
    citation = services.citation_add(item=board_meets, source=make_source(now=now), by="system", now=now,
                                     role="evidence")

    response = submit_transition(editor_client, "expectation", "settle", board_meets,
                                 status="met", evidence_citation=citation.pk, note="Axios reported the meeting.")

    assert response.status_code == 302, form_errors(response)
    board_meets.refresh_from_db()
    assert (board_meets.status, board_meets.decided_by, board_meets.decided_by_user) == ("met", "editor", editor)
    assert board_meets.evidence_citation == citation
    assert (last_change(board_meets).kind, last_change(board_meets).by_user) == ("settled", editor)


def test_settle_met_without_evidence_is_refused_on_the_form(editor_client, board_meets):
    response = submit_transition(editor_client, "expectation", "settle", board_meets, status="met", note="I think so.")

    assert response.status_code == 200
    assert "evidence" in " ".join(form_errors(response)["__all__"]).lower()
    board_meets.refresh_from_db()
    assert board_meets.status == "open"


def test_settle_selected_as_missed(editor_client, now):
    first = make_expectation(now=now, when=day_when(date(2026, 1, 15)))
    second = make_expectation(now=now, when=day_when(date(2026, 1, 16)))

    form_page = run_action(editor_client, "expectation", "settle", [first, second])
    response = apply_action_form(editor_client, "expectation", form_page, status="missed", note="Nothing happened.")

    assert response.status_code == 302
    assert list(Expectation.objects.order_by("pk").values_list("status", "verdict_note")) == [
        ("missed", "Nothing happened."), ("missed", "Nothing happened.")]


def test_overturn_a_system_verdict_with_evidence(editor_client, editor, now):
    expectation = system_missed(now)
    event = make_event(now=now, when=day_when(date(2026, 1, 20)), title="Phase two announced")

    response = submit_transition(editor_client, "expectation", "overturn", expectation,
                                 status="met", evidence_event=event.pk, note="It was announced on Jan. 20.")

    assert response.status_code == 302, form_errors(response)
    expectation.refresh_from_db()
    assert (expectation.status, expectation.decided_by, expectation.evidence_event_id) == ("met", "editor", event.pk)
    change = last_change(expectation)
    assert (change.kind, change.by_user, change.before["status"], change.after["status"]) == (
        "overturned", editor, "missed", "met")


def test_review_selected_lets_the_system_verdicts_stand(editor_client, editor, now):
    first, second = system_missed(now), system_missed(now)

    response = run_action(editor_client, "expectation", "review", [first, second])

    assert response.status_code == 302
    for expectation in (first, second):
        expectation.refresh_from_db()
        assert expectation.status == "missed"
        assert expectation.verdict_reviewed_at is not None
        assert (last_change(expectation).kind, last_change(expectation).by_user) == ("reviewed", editor)


def test_trigger_opens_a_conditional_and_starts_its_deadline(editor_client, editor, now):
    conditional = make_expectation(
        now=now, when=window_when(datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2027, 1, 1, tzinfo=timezone.utc),
                                  precision="year"),
        expectation_type="conditional", condition="Iran takes verifiable steps to rebuild",
        trigger_deadline=timedelta(days=90), title="The U.S. backs a round two of strikes",
    )
    assert conditional.status == "dormant"

    response = submit_transition(editor_client, "expectation", "trigger", conditional,
                                 triggered_at_0="2026-03-02", triggered_at_1="12:00:00", reason="IAEA report")

    assert response.status_code == 302, form_errors(response)
    conditional.refresh_from_db()
    start = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
    assert (conditional.status, conditional.triggered_at) == ("open", start)
    assert (conditional.when_start, conditional.when_end) == (start, start + timedelta(days=90))
    assert (last_change(conditional).kind, last_change(conditional).by_user) == ("triggered", editor)
    assert any("triggered" in m for m in messages_of(response))
