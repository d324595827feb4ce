"""The buttons on an item's page and the bulk actions of its list are the
moves of the lifecycle table (timeline/lifecycle.py): every move of a kind
is an action, and an item's page offers exactly the moves the table allows
it now, for every kind, status and editorial state."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.builders import day_when, make_event, make_expectation, make_milestone
from timeline import lifecycle
from timeline.admin.presentation import PRESENTATIONS, transitions_for
from timeline.models import Expectation, Item

from .pages import url

pytestmark = pytest.mark.django_db

MAKERS = {"event": make_event, "milestone": make_milestone, "expectation": make_expectation}


def test_every_move_of_every_kind_has_a_presentation():
    for kind in lifecycle.Kind.values:
        assert [t.name for t in transitions_for(kind)] == [m.name for m in lifecycle.moves_for(kind)]
    assert set(PRESENTATIONS) == {move.name for move in lifecycle.MOVES}


def test_a_move_without_a_presentation_fails_when_the_admin_is_built(monkeypatch):
    monkeypatch.delitem(PRESENTATIONS, "postpone")

    with pytest.raises(ImproperlyConfigured, match="postpone"):
        transitions_for("milestone")


@pytest.mark.parametrize("kind", lifecycle.Kind.values)
def test_the_list_offers_every_move_of_the_kind_as_a_bulk_action(editor_client, kind):
    actions = editor_client.get(url(kind, "changelist")).context["action_form"].fields["action"].choices

    assert [name for name, _ in actions if name] == [m.name for m in lifecycle.moves_for(kind)]


def item_standing_at(kind, status, editorial_state, *, now, decided_by=""):
    """An item of `kind` put straight into a state: the point is what the page
    offers there, not how the item got there."""
    item = MAKERS[kind](now=now, when=day_when(date(2026, 1, 23)))
    Item.objects.filter(pk=item.pk).update(status=status, editorial_state=editorial_state)
    if decided_by:
        Expectation.objects.filter(pk=item.pk).update(decided_by=decided_by)
    return type(item).objects.get(pk=item.pk)


STATES = [
    (kind, status, state, decided_by)
    for kind in lifecycle.Kind.values
    for status in lifecycle.statuses_of(kind)
    for state in lifecycle.EditorialState.values
    for decided_by in (("system", "editor") if status in lifecycle.VERDICTS else ("",))
]


@pytest.mark.parametrize(("kind", "status", "editorial_state", "decided_by"), STATES)
def test_the_buttons_are_the_moves_the_table_allows(editor_client, now, kind, status, editorial_state, decided_by):
    item = item_standing_at(kind, status, editorial_state, now=now, decided_by=decided_by)

    links = editor_client.get(url(kind, "change", item.pk)).context["transition_links"]

    assert [link["name"] for link in links] == [
        move.name for move in lifecycle.moves_for(kind) if lifecycle.allows(item, move.name)
    ]


def test_a_happened_milestone_offers_only_what_leaves_a_final_state(editor_client, now):
    item = item_standing_at("milestone", "happened", "published", now=now)

    links = editor_client.get(url("milestone", "change", item.pk)).context["transition_links"]

    assert [link["name"] for link in links] == ["retract", "correct"]


def test_only_an_unreviewed_system_verdict_offers_review(editor_client, now):
    by_system = item_standing_at("expectation", "missed", "published", now=now, decided_by="system")
    by_editor = item_standing_at("expectation", "missed", "published", now=now, decided_by="editor")

    def offered(item):
        return {link["name"] for link in editor_client.get(url("expectation", "change", item.pk)).context["transition_links"]}

    assert "review" in offered(by_system)
    assert "review" not in offered(by_editor)


def test_a_moves_page_explains_it_with_the_tables_summary(editor_client, now):
    item = item_standing_at("milestone", "scheduled", "published", now=now)

    html = editor_client.get(url("milestone", "cancel", item.pk)).content.decode()

    assert lifecycle.move("cancel").summary in html
