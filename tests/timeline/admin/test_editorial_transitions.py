"""Publish, retract and correct from the admin."""

from datetime import date

import pytest

from tests.builders import day_when, make_citation, make_event, make_milestone
from timeline import services
from timeline.models import Change, Item

from .pages import apply_action_form, form_errors, run_action, submit_transition, url

pytestmark = pytest.mark.django_db


def last_change(item):
    return Change.objects.filter(item=item).order_by("id").last()


def test_publish_selected_drafts(editor_client, editor, now):
    drafts = [make_event(now=now, when=day_when(date(2025, 6, 13)), published=False) for _ in range(2)]
    for draft in drafts:
        make_citation(draft, now=now)  # publishing asks for one

    response = run_action(editor_client, "event", "publish", drafts)

    assert response.status_code == 302
    for event in drafts:
        event.refresh_from_db()
        assert event.editorial_state == "published"
        change = last_change(event)
        assert (change.kind, change.by_user, change.public) == ("published", editor, True)


def test_retract_needs_a_reason_and_keeps_the_item(editor_client, editor, now):
    milestone = make_milestone(now=now, when=day_when(date(2026, 1, 23)))

    missing = submit_transition(editor_client, "milestone", "retract", milestone, reason="  ")
    assert missing.status_code == 200
    assert "reason" in form_errors(missing)

    response = submit_transition(editor_client, "milestone", "retract", milestone, reason="Misread the source")

    assert response.status_code == 302, form_errors(response)
    milestone.refresh_from_db()
    assert milestone.editorial_state == "retracted"
    assert (last_change(milestone).kind, last_change(milestone).reason) == ("retracted", "Misread the source")


def test_retract_selected(editor_client, now):
    events = [make_event(now=now, when=day_when(date(2025, 9, 1))) for _ in range(2)]

    form_page = run_action(editor_client, "event", "retract", events)
    response = apply_action_form(editor_client, "event", form_page, reason="Duplicates")

    assert response.status_code == 302
    assert set(Item.objects.values_list("editorial_state", flat=True)) == {"retracted"}


def test_correct_takes_a_milestone_out_of_a_final_state(editor_client, editor, now):
    milestone = make_milestone(now=now, when=day_when(date(2026, 1, 23)))
    services.milestone_cancel(milestone=milestone, by="system", now=now, reason="Reported cancelled")

    response = submit_transition(editor_client, "milestone", "correct", milestone, status="scheduled",
                                 when_phrase="on Jan. 24", when_as_of="2025-12-30", when_tz="Europe/Zurich",
                                 reason="The cancellation report was wrong; it moved a day")

    assert response.status_code == 302, form_errors(response)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.cancel_reason, milestone.when_edtf) == ("scheduled", "", "2026-01-24")
    change = last_change(milestone)
    assert (change.kind, change.by_user) == ("correction", editor)
    assert (change.before["status"], change.after["status"]) == ("cancelled", "scheduled")


def test_a_correction_that_changes_nothing_is_an_error_on_the_form(editor_client, now):
    milestone = make_milestone(now=now, when=day_when(date(2026, 1, 23)))

    response = submit_transition(editor_client, "milestone", "correct", milestone, reason="Just checking")

    assert response.status_code == 200
    assert "Nothing to correct." in form_errors(response)["__all__"]
    assert last_change(milestone).kind == "created"


def test_a_retracted_item_offers_publish_again_but_not_retract(editor_client, now):
    event = make_event(now=now, when=day_when(date(2025, 9, 1)))
    services.item_retract(item=event, by="system", now=now, reason="Duplicate")

    page = editor_client.get(url("event", "change", event.pk))

    assert {link["name"] for link in page.context["transition_links"]} == {"publish", "correct"}
