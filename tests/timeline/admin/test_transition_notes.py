"""The notes an editor types on a move say who reads them: a public note
(subscribers and the item's page) and an internal one (the change log
only). Each reaches its own column of the change row; cancel and retract
take a public reason, the verdicts a public note. The item's change log in
the admin shows both, labelled."""

from datetime import date

import pytest

from tests.builders import day_when, make_expectation, make_milestone
from timeline.models import Change

from .pages import apply_action_form, form_errors, run_action, submit_transition, url

pytestmark = pytest.mark.django_db

PUBLIC = "Public note (shown to subscribers and on the item's page)"
INTERNAL = "Internal note (change log only)"
PUBLIC_REASON = "Reason (public: shown to subscribers and on the item's page)"


@pytest.fixture
def davos(now):
    return make_milestone(now=now, when=day_when(date(2026, 1, 23), tz="Europe/Zurich"), title="Board of Peace meets")


def last_change(item):
    return Change.objects.filter(item=item).order_by("id").last()


def labels(editor_client, model, move, item):
    form = editor_client.get(url(model, move, item.pk)).context["form"]
    return {name: str(field.label) for name, field in form.fields.items() if name in (
        "public_note", "reason", "internal_note", "note")}


@pytest.mark.parametrize(("move", "expected"), [
    ("postpone", {"public_note": PUBLIC, "reason": INTERNAL}),
    ("confirm", {"public_note": PUBLIC, "reason": INTERNAL}),
    ("happened", {"public_note": PUBLIC, "reason": INTERNAL}),
    ("publish", {"public_note": PUBLIC, "reason": INTERNAL}),
    ("correct", {"public_note": PUBLIC, "reason": INTERNAL}),
    ("cancel", {"reason": PUBLIC_REASON, "internal_note": INTERNAL}),
    ("retract", {"reason": PUBLIC_REASON, "internal_note": INTERNAL}),
])
def test_each_note_is_labelled_for_who_reads_it(editor_client, davos, move, expected):
    assert labels(editor_client, "milestone", move, davos) == expected


def test_the_verdicts_note_is_public(editor_client, now):
    expectation = make_expectation(now=now, when=day_when(date(2026, 1, 15)))

    found = labels(editor_client, "expectation", "settle", expectation)

    assert found == {"note": "Note (public: shown to subscribers and on the item's page)", "internal_note": INTERNAL}


def test_postpone_puts_each_note_in_its_column(editor_client, davos):
    response = submit_transition(editor_client, "milestone", "postpone", davos, when_phrase="on Jan. 26",
                                 when_as_of="2026-01-10", public_note="The session moved to the Monday.",
                                 reason="Axios, second source pending")

    assert response.status_code == 302, form_errors(response)
    change = last_change(davos)
    assert (change.kind, change.public_note, change.reason) == (
        "postponed", "The session moved to the Monday.", "Axios, second source pending")


def test_a_bulk_postpone_carries_both_notes(editor_client, davos):
    form_page = run_action(editor_client, "milestone", "postpone", [davos])

    apply_action_form(editor_client, "milestone", form_page, when_phrase="in March", when_as_of="2026-01-10",
                      public_note="Moved to March.", reason="Per the organisers' email")

    change = last_change(davos)
    assert (change.public_note, change.reason) == ("Moved to March.", "Per the organisers' email")


def test_cancel_takes_a_public_reason_and_an_internal_note(editor_client, davos):
    response = submit_transition(editor_client, "milestone", "cancel", davos,
                                 reason="The forum dropped the session.", internal_note="Confirmed by phone")

    assert response.status_code == 302, form_errors(response)
    davos.refresh_from_db()
    assert davos.cancel_reason == "The forum dropped the session."
    change = last_change(davos)
    assert (change.public_note, change.reason) == ("The forum dropped the session.", "Confirmed by phone")


def test_retract_takes_a_public_reason_and_an_internal_note(editor_client, davos):
    response = submit_transition(editor_client, "milestone", "retract", davos,
                                 reason="The report was not confirmed.", internal_note="Source withdrew it")

    assert response.status_code == 302, form_errors(response)
    change = last_change(davos)
    assert (change.kind, change.public_note, change.reason) == (
        "retracted", "The report was not confirmed.", "Source withdrew it")


def test_publish_puts_each_note_in_its_column(editor_client, now):
    draft = make_milestone(now=now, when=day_when(date(2026, 1, 23)), published=False)

    response = submit_transition(editor_client, "milestone", "publish", draft, public_note="Now on the record.",
                                 reason="Checked against two sources", uncited_reason="The source follows.")

    assert response.status_code == 302, form_errors(response)
    change = last_change(draft)
    assert (change.kind, change.public_note, change.reason) == (
        "published", "Now on the record.", "Checked against two sources")


def test_a_verdicts_note_is_public_and_its_internal_note_is_not(editor_client, now):
    expectation = make_expectation(now=now, when=day_when(date(2026, 1, 15)))

    response = submit_transition(editor_client, "expectation", "settle", expectation, status="missed",
                                 note="Nothing was announced in January.", internal_note="Checked the wires")

    assert response.status_code == 302, form_errors(response)
    change = last_change(expectation)
    assert (change.public_note, change.reason) == ("Nothing was announced in January.", "Checked the wires")


def test_the_items_change_log_shows_both_notes_labelled(editor_client, davos):
    submit_transition(editor_client, "milestone", "postpone", davos, when_phrase="on Jan. 26", when_as_of="2026-01-10",
                      public_note="The session moved to the Monday.", reason="Axios, second source pending")

    html = editor_client.get(url("milestone", "change", davos.pk)).content.decode()

    assert "Public note <small>(subscribers, the item's page)</small>" in html
    assert "Internal note <small>(change log only)</small>" in html
    assert '<td class="public-note">The session moved to the Monday.</td>' in html
    assert '<td class="internal-note">Axios, second source pending</td>' in html


def test_the_change_page_labels_both_notes(editor_client, davos):
    submit_transition(editor_client, "milestone", "cancel", davos, reason="Dropped.", internal_note="By phone")
    change = last_change(davos)

    html = editor_client.get(url("change", "change", change.pk)).content.decode()

    assert "Public note" in html and "Internal note" in html
    assert "Dropped." in html and "By phone" in html
