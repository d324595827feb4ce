"""Marking a milestone happened tells the editor what the verdict rules did
with each expectation about it: settled, and how, or left for an editor,
and why. From the milestone's page and from the list alike."""

from datetime import date, datetime, timezone

import pytest

from tests.builders import day_when, make_expectation, make_milestone, window_when
from timeline.models import Expectation

from .pages import apply_action_form, form_errors, messages_of, run_action, submit_transition

pytestmark = pytest.mark.django_db

JANUARY = window_when(datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 2, 1, tzinfo=timezone.utc),
                      precision="month", text="in January")


@pytest.fixture
def phase_two(now):
    return make_milestone(now=now, when=JANUARY, title="Phase two announced")


@pytest.fixture
def in_january(now, phase_two):
    return make_expectation(now=now, when=JANUARY, target_kind="during", about_milestone=phase_two,
                            title="Trump announces phase two in January")


@pytest.fixture
def on_the_twentieth(now, phase_two):
    return make_expectation(now=now, when=day_when(date(2026, 1, 20)), target_kind="on", about_milestone=phase_two,
                            title="Phase two on Jan. 20")


def test_the_message_lists_what_was_settled_and_what_was_left(editor_client, phase_two, in_january, on_the_twentieth):
    response = submit_transition(editor_client, "milestone", "happened", phase_two,
                                 when_phrase="on Jan. 15", when_as_of="2026-01-16", when_tz="UTC")

    assert response.status_code == 302, form_errors(response)
    [message] = [m for m in messages_of(response) if "marked as happened" in m]
    assert "The milestone “Phase two announced” was marked as happened." in message
    assert ("<li>“Trump announces phase two in January”: met — It happened on 15 Jan 2026, "
            "within the target window (January 2026).</li>") in message
    assert ("<li>“Phase two on Jan. 20” left for an editor: It happened on 15 Jan 2026, before the target window "
            "(20 Jan 2026) opened; an editor decides whether that counts.</li>") in message
    assert Expectation.objects.get(pk=in_january.pk).status == "met"
    assert Expectation.objects.get(pk=on_the_twentieth.pk).status == "open"


def test_a_milestone_without_expectations_says_only_that_it_happened(editor_client, phase_two):
    response = submit_transition(editor_client, "milestone", "happened", phase_two,
                                 when_phrase="on Jan. 15", when_as_of="2026-01-16")

    assert response.status_code == 302, form_errors(response)
    assert "The milestone “Phase two announced” was marked as happened." in messages_of(response)


def test_a_bulk_mark_happened_lists_them_too(editor_client, now, phase_two, in_january):
    other = make_milestone(now=now, when=JANUARY, title="Board of Peace meets")

    form_page = run_action(editor_client, "milestone", "happened", [phase_two, other])
    response = apply_action_form(editor_client, "milestone", form_page, when_phrase="on Jan. 15",
                                 when_as_of="2026-01-16")

    assert response.status_code == 302
    [message] = [m for m in messages_of(response) if "marked as happened" in m]
    summary = message.split("<br>")[0]
    assert summary.startswith("2 milestones marked as happened: ")
    assert "“Phase two announced”" in summary and "“Board of Peace meets”" in summary
    assert "about “Phase two announced”:<ul><li>“Trump announces phase two in January”: met — " in message
    assert "about “Board of Peace meets”" not in message
