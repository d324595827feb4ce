"""Adding an item through the admin: the When is typed as a phrase, read by
the parser with the as-of date, zone and kind, and the item is created by
services.item_create with its `created` change row."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.builders import make_actor, make_storyline
from timeline.models import Change, Citation, Item, Milestone

from .pages import add_inline_row, form_data, form_errors, make_source, messages_of, url

pytestmark = pytest.mark.django_db

ZURICH = ZoneInfo("Europe/Zurich")


def milestone_add_data(editor_client, **fields):
    data = form_data(editor_client.get(url("milestone", "add")))
    data.update({"title": "First meeting of the Gaza Board of Peace", "editorial_state": "draft",
                 "status": "scheduled", **fields})
    return data


def test_a_milestone_added_from_a_phrase_is_stored_with_its_zurich_window(editor_client, editor):
    storyline = make_storyline("Gaza ceasefire")
    trump = make_actor("Donald Trump")
    data = milestone_add_data(
        editor_client, when_phrase="on Jan. 23", when_as_of="2025-12-30", when_tz="Europe/Zurich",
        storylines=[str(storyline.pk)], actors=[str(trump.pk)], place="Davos",
    )

    response = editor_client.post(url("milestone", "add"), data)

    assert response.status_code == 302, form_errors(response)
    milestone = Milestone.objects.get()
    assert milestone.when_start == datetime(2026, 1, 23, tzinfo=ZURICH)
    assert milestone.when_end == datetime(2026, 1, 24, tzinfo=ZURICH)
    assert (milestone.when_precision, milestone.when_tz, milestone.when_edtf) == ("day", "Europe/Zurich", "2026-01-23")
    assert milestone.when_text == "on Jan. 23"
    assert str(milestone.when_as_of) == "2025-12-30"
    assert (milestone.status, milestone.editorial_state, milestone.kind) == ("scheduled", "draft", "milestone")
    assert list(milestone.storylines.all()) == [storyline]
    assert list(milestone.actors.all()) == [trump]
    assert milestone.created_by == editor
    [change] = Change.objects.filter(item=milestone)
    assert (change.kind, change.by_user, change.by_label) == ("created", editor, "editor")
    assert change.after["storylines"] == [storyline.slug]
    # The message after saving says what the phrase was read as.
    assert any("23 Jan 2026" in m and "EDTF 2026-01-23" in m and "Europe/Zurich" in m for m in messages_of(response))


def test_an_unreadable_phrase_is_a_form_error_naming_it_and_nothing_is_written(editor_client):
    data = milestone_add_data(editor_client, when_phrase="when pigs fly", when_as_of="2025-12-30")

    response = editor_client.post(url("milestone", "add"), data)

    assert response.status_code == 200
    [error] = form_errors(response)["when"]
    assert "when pigs fly" in error
    assert not Item.objects.exists()
    assert not Change.objects.exists()


def test_an_unknown_zone_is_a_form_error_on_the_zone(editor_client):
    data = milestone_add_data(editor_client, when_phrase="on Jan. 23", when_as_of="2025-12-30", when_tz="Europe/Zurch")

    response = editor_client.post(url("milestone", "add"), data)

    assert response.status_code == 200
    assert "Europe/Zurch" in form_errors(response)["when"][0]
    assert not Item.objects.exists()


def test_a_phrase_needs_the_date_it_was_read_against(editor_client):
    data = milestone_add_data(editor_client, when_phrase="on Monday", when_as_of="")

    response = editor_client.post(url("milestone", "add"), data)

    assert response.status_code == 200
    assert "the date the phrase was read against" in form_errors(response)["when"][0]
    assert not Item.objects.exists()


def test_a_phrase_left_blank_makes_an_undated_item(editor_client):
    data = milestone_add_data(editor_client, when_phrase="", when_tz="UTC")

    response = editor_client.post(url("milestone", "add"), data)

    assert response.status_code == 302, form_errors(response)
    milestone = Milestone.objects.get()
    assert milestone.when_precision == "undated"
    assert milestone.when_start is None and milestone.when_end is None
    assert any("When: undated" in m for m in messages_of(response))


def test_relative_words_are_read_by_the_kind_of_item(editor_client):
    # "in June" read on 2025-12-30: an event's is the past June, an expectation's the coming one.
    event_data = form_data(editor_client.get(url("event", "add")))
    event_data.update(title="The 12-day war", editorial_state="draft", when_phrase="in June", when_as_of="2025-12-30")
    expectation_data = form_data(editor_client.get(url("expectation", "add")))
    expectation_data.update(
        title="Something in June", editorial_state="draft", when_phrase="in June", when_as_of="2025-12-30",
        expectation_type="forecast", target_kind="during",
    )

    assert editor_client.post(url("event", "add"), event_data).status_code == 302
    assert editor_client.post(url("expectation", "add"), expectation_data).status_code == 302

    assert Item.objects.get(kind="event").when_edtf == "2025-06"
    assert Item.objects.get(kind="expectation").when_edtf == "2026-06"


def test_a_citation_added_on_the_add_page_goes_through_the_service(editor_client, editor, now):
    source = make_source(now=now)
    data = milestone_add_data(editor_client, when_phrase="in January", when_as_of="2025-12-30")
    add_inline_row(data, "citations", source=source.pk, role="sets_date", attribution="two senior U.S. officials")

    response = editor_client.post(url("milestone", "add"), data)

    assert response.status_code == 302, form_errors(response)
    citation = Citation.objects.get()
    assert (citation.source, citation.role, citation.attribution) == (source, "sets_date", "two senior U.S. officials")
    kinds = list(Change.objects.filter(item=citation.item).values_list("kind", "by_user"))
    assert kinds == [("created", editor.pk), ("edited", editor.pk)]
    assert Change.objects.filter(item=citation.item, kind="edited").get().after["citation_added"]["source"] == source.url
