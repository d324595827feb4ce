"""Postpone selected: the form offers only the milestones that can move,
reports the others as skipped without asking the service, and keeps each
milestone's own zone unless the editor names one."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.builders import day_when, make_event, make_milestone
from timeline import services
from timeline.models import Change, Milestone

from .pages import apply_action_form, error_messages_of, form_errors, messages_of, run_action

pytestmark = pytest.mark.django_db

ZURICH, NEW_YORK = ZoneInfo("Europe/Zurich"), ZoneInfo("America/New_York")


@pytest.fixture
def davos(now):
    return make_milestone(now=now, when=day_when(date(2026, 1, 23), tz="Europe/Zurich"), title="Board of Peace meets in Davos")


@pytest.fixture
def un_vote(now):
    return make_milestone(now=now, when=day_when(date(2026, 1, 15), tz="America/New_York"), title="UN vote")


@pytest.fixture
def happened(now):
    milestone = make_milestone(now=now, when=day_when(date(2026, 1, 10)), title="Hostage release")
    event = make_event(now=now, when=day_when(date(2026, 1, 10)))
    services.milestone_mark_happened(milestone=milestone, by="system", now=now, event=event)
    return milestone


def kinds_of_changes(item):
    return list(Change.objects.filter(item=item).order_by("id").values_list("kind", flat=True))


def test_a_milestone_that_cannot_move_is_skipped_and_the_rest_postponed(editor_client, davos, happened):
    form_page = run_action(editor_client, "milestone", "postpone", [davos, happened])

    assert form_page.status_code == 200
    assert [row["item"] for row in form_page.context["rows"]] == [davos]
    assert "“Hostage release” was not postponed: it has happened." in messages_of(form_page)

    response = apply_action_form(editor_client, "milestone", form_page, when_phrase="in March", when_as_of="2026-01-10")

    assert response.status_code == 302
    assert Milestone.objects.get(pk=davos.pk).postponed_count == 1
    assert kinds_of_changes(happened) == ["created", "happened"]


def test_when_no_selected_milestone_can_move_nothing_is_asked(editor_client, happened):
    response = run_action(editor_client, "milestone", "postpone", [happened])

    assert response.status_code == 302
    assert error_messages_of(response) == ["“Hostage release” was not postponed: it has happened."]
    assert kinds_of_changes(happened) == ["created", "happened"]


def test_each_milestone_keeps_its_own_zone_when_none_is_given(editor_client, davos, un_vote):
    form_page = run_action(editor_client, "milestone", "postpone", [davos, un_vote])
    assert form_page.context["form"]["when"].value().tz == ""  # empty: each item's own zone

    response = apply_action_form(editor_client, "milestone", form_page, when_phrase="on Feb. 2", when_as_of="2026-01-10")

    assert response.status_code == 302, form_errors(form_page)
    davos.refresh_from_db()
    un_vote.refresh_from_db()
    assert (davos.when_tz, davos.when_start) == ("Europe/Zurich", datetime(2026, 2, 2, tzinfo=ZURICH))
    assert (un_vote.when_tz, un_vote.when_start) == ("America/New_York", datetime(2026, 2, 2, tzinfo=NEW_YORK))
    assert any(m.startswith("2 milestones postponed") for m in messages_of(response))


def test_a_zone_the_editor_names_applies_to_all(editor_client, davos, un_vote):
    form_page = run_action(editor_client, "milestone", "postpone", [davos, un_vote])

    apply_action_form(editor_client, "milestone", form_page, when_phrase="on Feb. 2", when_as_of="2026-01-10",
                      when_tz="Europe/Zurich")

    assert set(Milestone.objects.values_list("when_tz", flat=True)) == {"Europe/Zurich"}


def test_undated_keeps_each_zone_too(editor_client, davos, un_vote):
    form_page = run_action(editor_client, "milestone", "postpone", [davos, un_vote])

    apply_action_form(editor_client, "milestone", form_page, undated=True)

    assert sorted(Milestone.objects.values_list("when_precision", "when_tz")) == [
        ("undated", "America/New_York"), ("undated", "Europe/Zurich")]
