"""Confirm, postpone, mark happened and cancel from the admin: each is one
service call, from the list (a bulk action) or from the milestone's page."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.builders import day_when, make_event, make_milestone
from timeline.models import Change, Event, Milestone

from .pages import apply_action_form, form_errors, messages_of, run_action, submit_transition, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def davos(now):
    return make_milestone(now=now, when=day_when(date(2026, 1, 23), tz="Europe/Zurich", text="on Jan. 23"),
                          title="Board of Peace meets in Davos", as_of=date(2025, 12, 30))


@pytest.fixture
def announcement(now):
    return make_milestone(now=now, when=day_when(date(2026, 1, 15)), title="Trump announces phase two")


def last_change(item):
    return Change.objects.filter(item=item).order_by("id").last()


def test_confirm_selected_runs_at_once_for_each(editor_client, editor, davos, announcement):
    response = run_action(editor_client, "milestone", "confirm", [davos, announcement])

    assert response.status_code == 302
    for milestone in (davos, announcement):
        milestone.refresh_from_db()
        assert (milestone.status, milestone.schedule_version) == ("confirmed", 2)
        assert (last_change(milestone).kind, last_change(milestone).by_user) == ("confirmed", editor)
    assert any(m.startswith("2 milestones confirmed") for m in messages_of(response))


def test_postpone_selected_asks_for_the_new_when_then_moves_each(editor_client, editor, davos, announcement):
    form_page = run_action(editor_client, "milestone", "postpone", [davos, announcement])
    assert form_page.status_code == 200
    assert form_page.context["transition"].name == "postpone"
    assert not Change.objects.filter(kind="postponed").exists()  # nothing happens before the form is sent

    response = apply_action_form(
        editor_client, "milestone", form_page,
        when_phrase="in March", when_as_of="2026-01-10", when_tz="Europe/Zurich", reason="Davos slot moved",
    )

    assert response.status_code == 302
    zurich = ZoneInfo("Europe/Zurich")
    for milestone in (davos, announcement):
        milestone.refresh_from_db()
        assert (milestone.when_start, milestone.when_end) == (datetime(2026, 3, 1, tzinfo=zurich), datetime(2026, 4, 1, tzinfo=zurich))
        assert milestone.postponed_count == 1
        change = last_change(milestone)
        assert (change.kind, change.by_user, change.reason) == ("postponed", editor, "Davos slot moved")
    # The old When stays in the change log.
    assert last_change(davos).before["when"]["edtf"] == "2026-01-23"


def test_postpone_from_the_page_of_one_milestone(editor_client, editor, davos):
    response = submit_transition(editor_client, "milestone", "postpone", davos,
                                 when_phrase="on Feb. 2", when_as_of="2026-01-10")

    assert response.status_code == 302, form_errors(response)
    assert response.url == url("milestone", "change", davos.pk)
    davos.refresh_from_db()
    assert (davos.when_edtf, davos.when_tz, davos.status) == ("2026-02-02", "Europe/Zurich", "scheduled")
    assert any("postponed" in m and "2 Feb 2026" in m for m in messages_of(response))


def test_postpone_without_a_date_must_be_asked_for(editor_client, davos):
    response = submit_transition(editor_client, "milestone", "postpone", davos, when_phrase="")

    assert response.status_code == 200
    assert "Give the new When" in form_errors(response)["when"][0]
    davos.refresh_from_db()
    assert davos.postponed_count == 0

    response = submit_transition(editor_client, "milestone", "postpone", davos, undated=True)

    assert response.status_code == 302, form_errors(response)
    davos.refresh_from_db()
    assert (davos.when_precision, davos.postponed_count) == ("undated", 1)


def test_an_unreadable_new_when_is_a_form_error_naming_it(editor_client, davos):
    response = submit_transition(editor_client, "milestone", "postpone", davos, when_phrase="after the holidays-ish")

    assert response.status_code == 200
    assert "after the holidays-ish" in form_errors(response)["when"][0]
    assert last_change(davos).kind == "created"


def test_mark_happened_with_the_event_that_shows_it(editor_client, editor, davos, now):
    meeting = make_event(now=now, when=day_when(date(2026, 1, 23), tz="Europe/Zurich"), title="The board met")

    response = submit_transition(editor_client, "milestone", "happened", davos, event=meeting.pk)

    assert response.status_code == 302, form_errors(response)
    davos.refresh_from_db()
    assert (davos.status, davos.happened_event_id) == ("happened", meeting.pk)
    assert (last_change(davos).kind, last_change(davos).by_user) == ("happened", editor)


def test_mark_happened_from_when_it_happened_records_the_event(editor_client, editor, davos):
    response = submit_transition(editor_client, "milestone", "happened", davos,
                                 when_phrase="on Monday", when_as_of="2026-01-28", when_tz="Europe/Zurich")

    assert response.status_code == 302, form_errors(response)
    davos.refresh_from_db()
    event = Event.objects.get(pk=davos.happened_event_id)
    # "on Monday" read on Wednesday 28 January, as an event: the Monday just past.
    assert (event.when_edtf, event.when_tz) == ("2026-01-26", "Europe/Zurich")
    assert last_change(davos).after["actual_when"]["edtf"] == "2026-01-26"


def test_mark_happened_needs_an_event_or_a_when_not_both(editor_client, davos, now):
    meeting = make_event(now=now, when=day_when(date(2026, 1, 23)))

    neither = submit_transition(editor_client, "milestone", "happened", davos)
    both = submit_transition(editor_client, "milestone", "happened", davos, event=meeting.pk,
                             when_phrase="on Jan. 23", when_as_of="2026-01-28")

    for response in (neither, both):
        assert response.status_code == 200
        assert form_errors(response)["__all__"]
    assert Milestone.objects.get(pk=davos.pk).status == "scheduled"


def test_cancel_needs_a_reason_and_records_it(editor_client, editor, davos):
    missing = submit_transition(editor_client, "milestone", "cancel", davos, reason="")
    assert missing.status_code == 200
    assert "reason" in form_errors(missing)

    response = submit_transition(editor_client, "milestone", "cancel", davos, reason="The forum dropped it")

    assert response.status_code == 302, form_errors(response)
    davos.refresh_from_db()
    assert (davos.status, davos.cancel_reason) == ("cancelled", "The forum dropped it")
    assert (last_change(davos).kind, last_change(davos).reason) == ("cancelled", "The forum dropped it")


def test_cancel_selected_shows_the_form_then_cancels(editor_client, davos, announcement):
    form_page = run_action(editor_client, "milestone", "cancel", [davos, announcement])
    response = apply_action_form(editor_client, "milestone", form_page, reason="Called off")

    assert response.status_code == 302
    assert set(Milestone.objects.values_list("status", flat=True)) == {"cancelled"}


def test_the_page_offers_the_moves_the_status_allows(editor_client, davos, now):
    links = {link["name"] for link in editor_client.get(url("milestone", "change", davos.pk)).context["transition_links"]}
    assert links == {"confirm", "postpone", "happened", "cancel", "retract", "correct"}

    submit_transition(editor_client, "milestone", "cancel", davos, reason="Called off")

    links = {link["name"] for link in editor_client.get(url("milestone", "change", davos.pk)).context["transition_links"]}
    assert links == {"retract", "correct"}
