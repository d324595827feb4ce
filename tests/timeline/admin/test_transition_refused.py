"""A transition the service refuses (the lifecycle forbids it, or someone
changed the item since the editor's page showed it) is an error message or a
form error, never a 500, and changes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from tests.builders import day_when, make_milestone
from timeline import services
from timeline.models import Change

from .pages import (
    apply_action_form, error_messages_of, form_errors, hidden_inputs, messages_of, run_action, url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone(now):
    return make_milestone(now=now, when=day_when(date(2026, 1, 23)), title="Board of Peace meets")


def changes_of(item):
    return list(Change.objects.filter(item=item).order_by("id").values_list("kind", flat=True))


def test_confirming_a_cancelled_milestone_from_the_list_is_an_error_message(editor_client, milestone, now):
    services.milestone_cancel(milestone=milestone, by="system", now=now, reason="Called off")

    response = run_action(editor_client, "milestone", "confirm", [milestone])

    assert response.status_code == 302
    [error] = error_messages_of(response)
    # Skipped: the lifecycle does not allow it, so no service was asked.
    assert error == "“Board of Peace meets” was not confirmed: it was cancelled."
    milestone.refresh_from_db()
    assert milestone.status == "cancelled"
    assert changes_of(milestone) == ["created", "cancelled"]


def test_a_refusal_for_one_item_does_not_stop_the_others(editor_client, milestone, now):
    other = make_milestone(now=now, when=day_when(date(2026, 2, 1)), title="Second")
    services.milestone_confirm(milestone=milestone, by="system", now=now)

    response = run_action(editor_client, "milestone", "confirm", [milestone, other])

    assert len(error_messages_of(response)) == 1
    assert any(m.startswith("1 milestone confirmed") for m in messages_of(response))
    other.refresh_from_db()
    assert other.status == "confirmed"


def test_a_forbidden_move_typed_into_the_address_bar_is_a_form_error(editor_client, milestone, now):
    services.milestone_cancel(milestone=milestone, by="system", now=now, reason="Called off")
    page = editor_client.get(url("milestone", "postpone", milestone.pk))
    data = {**hidden_inputs(page), "when_phrase": "in March", "when_as_of": "2026-01-10", "when_tz": "UTC"}

    response = editor_client.post(url("milestone", "postpone", milestone.pk), data)

    assert response.status_code == 200
    assert "Cannot postpone a milestone that is cancelled" in " ".join(form_errors(response)["__all__"])
    assert changes_of(milestone) == ["created", "cancelled"]


def test_a_bulk_action_on_an_item_changed_since_the_list_was_shown_is_refused(editor_client, milestone, now, admin_user):
    shown = hidden_inputs(editor_client.get(url("milestone", "changelist")))
    services.item_edit(item=milestone, by=admin_user, now=now, title="Renamed meanwhile")

    response = editor_client.post(url("milestone", "changelist"), {
        "action": "confirm", "index": "0", "_selected_action": [str(milestone.pk)],
        f"revision_{milestone.pk}": shown[f"revision_{milestone.pk}"],
    })

    [error] = error_messages_of(response)
    assert "Someone changed this item since you opened it" in error
    milestone.refresh_from_db()
    assert milestone.status == "scheduled"
    assert changes_of(milestone) == ["created", "edited"]


def test_an_action_form_sent_after_someone_else_changed_the_item_is_refused(editor_client, milestone, now, admin_user):
    form_page = run_action(editor_client, "milestone", "postpone", [milestone])
    services.milestone_confirm(milestone=milestone, by=admin_user, now=now)

    response = apply_action_form(editor_client, "milestone", form_page,
                                 when_phrase="in March", when_as_of="2026-01-10", when_tz="UTC")

    [error] = error_messages_of(response)
    assert "revision 1, it is now 2" in error
    milestone.refresh_from_db()
    assert (milestone.status, milestone.postponed_count) == ("confirmed", 0)


def test_an_item_page_sent_after_someone_else_changed_it_is_refused(editor_client, milestone, now, admin_user):
    page = editor_client.get(url("milestone", "cancel", milestone.pk) + f"?revision={milestone.revision}")
    services.milestone_postpone(milestone=milestone, by=admin_user, now=now, when=day_when(date(2026, 3, 1)))

    response = editor_client.post(url("milestone", "cancel", milestone.pk),
                                  {**hidden_inputs(page), "reason": "Called off"})

    assert response.status_code == 200
    assert "Someone changed this item since you opened it" in " ".join(form_errors(response)["__all__"])
    milestone.refresh_from_db()
    assert milestone.status == "scheduled"
    assert changes_of(milestone) == ["created", "postponed"]


def test_a_missing_item_is_a_message_not_a_500(editor_client):
    response = editor_client.get(url("milestone", "postpone", 999999))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert any("999999" in m and "doesn’t exist" in m for m in messages_of(response))
