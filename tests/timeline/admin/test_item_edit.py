"""Editing an item through its admin page goes through services.item_edit,
storylines and actors included, guarded by the revision the page showed."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.builders import day_when, make_actor, make_milestone, make_storyline
from timeline import services
from timeline.models import Change, Milestone

from .pages import form_data, form_errors, messages_of, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone(now):
    return make_milestone(now=now, when=day_when(date(2026, 1, 23), tz="Europe/Zurich", text="on Jan. 23"),
                          title="Board of Peace meets", as_of=date(2025, 12, 30))


def test_an_edit_is_one_change_row_by_the_editor_with_before_and_after(editor_client, editor, milestone):
    storyline = make_storyline("Gaza ceasefire")
    data = form_data(editor_client.get(url("milestone", "change", milestone.pk)))
    data.update(title="Gaza Board of Peace meets in Davos", storylines=[str(storyline.pk)], change_reason="Fuller title")

    response = editor_client.post(url("milestone", "change", milestone.pk), data)

    assert response.status_code == 302, form_errors(response)
    milestone.refresh_from_db()
    assert milestone.title == "Gaza Board of Peace meets in Davos"
    assert list(milestone.storylines.all()) == [storyline]
    assert milestone.revision == 2
    assert milestone.schedule_version == 1  # the When did not move
    change = Change.objects.filter(item=milestone).last()
    assert (change.kind, change.by_user, change.reason) == ("edited", editor, "Fuller title")
    assert change.before["title"] == "Board of Peace meets"
    assert change.after["title"] == "Gaza Board of Peace meets in Davos"
    assert (change.before["storylines"], change.after["storylines"]) == ([], [storyline.slug])


def test_a_new_phrase_moves_the_window_and_the_message_says_where(editor_client, milestone):
    data = form_data(editor_client.get(url("milestone", "change", milestone.pk)))
    data.update(when_phrase="late January")

    response = editor_client.post(url("milestone", "change", milestone.pk), data)

    assert response.status_code == 302, form_errors(response)
    milestone.refresh_from_db()
    zurich = ZoneInfo("Europe/Zurich")
    assert (milestone.when_start, milestone.when_end) == (datetime(2026, 1, 21, tzinfo=zurich), datetime(2026, 2, 1, tzinfo=zurich))
    assert milestone.schedule_version == 2
    assert any("2026-01-21" in m and "Europe/Zurich" in m for m in messages_of(response))


def test_saving_an_unchanged_page_writes_nothing(editor_client, milestone):
    data = form_data(editor_client.get(url("milestone", "change", milestone.pk)))

    response = editor_client.post(url("milestone", "change", milestone.pk), data)

    assert response.status_code == 302, form_errors(response)
    milestone.refresh_from_db()
    assert milestone.revision == 1
    assert Change.objects.filter(item=milestone).count() == 1  # created only


def test_lifecycle_fields_are_not_editable_on_the_page(editor_client, milestone):
    response = editor_client.get(url("milestone", "change", milestone.pk))
    form = response.context["adminform"].form
    for name in ("status", "editorial_state", "revision", "schedule_version", "postponed_count", "public_id"):
        assert name not in form.fields
    data = form_data(response)
    data.update(status="cancelled", editorial_state="retracted", revision="9", postponed_count="3")

    response = editor_client.post(url("milestone", "change", milestone.pk), data)

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.editorial_state, milestone.revision, milestone.postponed_count) == (
        "scheduled", "published", 1, 0)


def test_an_edit_made_meanwhile_by_someone_else_is_not_overwritten(editor_client, milestone, admin_user, now):
    data = form_data(editor_client.get(url("milestone", "change", milestone.pk)))
    services.item_edit(item=milestone, by=admin_user, now=now, title="Their title")
    data.update(title="My title")

    response = editor_client.post(url("milestone", "change", milestone.pk), data)

    assert response.status_code == 200
    [error] = form_errors(response)["__all__"]
    assert "Someone changed this item since you opened it" in error
    assert "revision 1, it is now 2" in error
    fresh = Milestone.objects.get(pk=milestone.pk)
    assert (fresh.title, fresh.revision) == ("Their title", 2)
    assert list(Change.objects.filter(item=milestone).values_list("kind", "by_label")) == [
        ("created", "system"), ("edited", "admin")]
    # The page shows what the editor typed, for them to redo after reloading.
    assert response.context["adminform"].form["title"].value() == "My title"


def test_an_edit_the_service_refuses_comes_back_as_an_error_not_a_500(editor_client, milestone, now):
    services.item_retract(item=milestone, by="system", now=now, reason="Wrong story")
    data = form_data(editor_client.get(url("milestone", "change", milestone.pk)))
    data.update(title="Still editing")

    response = editor_client.post(url("milestone", "change", milestone.pk), data)

    assert response.status_code == 200
    assert "retracted item cannot be edited" in " ".join(form_errors(response)["__all__"])
    milestone.refresh_from_db()
    assert milestone.title == "Board of Peace meets"


def test_actors_change_through_the_service(editor_client, editor, milestone):
    trump = make_actor("Donald Trump")
    data = form_data(editor_client.get(url("milestone", "change", milestone.pk)))
    data.update(actors=[str(trump.pk)])

    response = editor_client.post(url("milestone", "change", milestone.pk), data)

    assert response.status_code == 302, form_errors(response)
    change = Change.objects.filter(item=milestone).last()
    assert (change.kind, change.by_user, change.after["actors"]) == ("edited", editor, [trump.slug])
