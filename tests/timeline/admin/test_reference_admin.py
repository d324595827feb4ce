"""Storylines, actors, outlets, sources and citations through the admin."""

from datetime import date

import pytest

from tests.builders import day_when, make_actor, make_milestone, make_storyline
from timeline import services
from timeline.models import Actor, Change, Citation, Outlet, Source, Storyline

from .pages import form_data, form_errors, make_source, url

pytestmark = pytest.mark.django_db


def post_form(client, page_url, **fields):
    data = form_data(client.get(page_url))
    data.update(fields)
    return client.post(page_url, {k: v for k, v in data.items() if v is not None})


def test_a_storyline_is_created_and_renamed(editor_client):
    response = post_form(editor_client, url("storyline", "add"), name="Gaza ceasefire", slug="gaza-ceasefire",
                         grace_period="7 00:00:00")
    assert response.status_code == 302, form_errors(response)
    storyline = Storyline.objects.get()

    response = post_form(editor_client, url("storyline", "change", storyline.pk), name="Gaza ceasefire and after")

    assert response.status_code == 302, form_errors(response)
    storyline.refresh_from_db()
    assert (storyline.name, storyline.slug, storyline.grace_period.days) == ("Gaza ceasefire and after", "gaza-ceasefire", 7)


def test_a_taken_slug_is_a_form_error(editor_client):
    make_storyline("Gaza", slug="gaza")

    response = post_form(editor_client, url("storyline", "add"), name="Gaza again", slug="gaza")

    assert response.status_code == 200
    assert "slug" in form_errors(response)
    assert Storyline.objects.count() == 1


def test_an_actor_s_aliases_are_typed_one_per_line(editor_client):
    response = post_form(editor_client, url("actor", "add"), name="Islamic Revolutionary Guard Corps", slug="irgc",
                         kind="organisation", aliases="IRGC\n  Revolutionary Guards \n\nIRGC\n")
    assert response.status_code == 302, form_errors(response)
    actor = Actor.objects.get()
    assert actor.aliases == ["IRGC", "Revolutionary Guards"]

    page = editor_client.get(url("actor", "change", actor.pk))
    assert page.context["adminform"].form["aliases"].value() == "IRGC\nRevolutionary Guards"
    response = post_form(editor_client, url("actor", "change", actor.pk), aliases="IRGC\nSepah")

    assert response.status_code == 302, form_errors(response)
    actor.refresh_from_db()
    assert actor.aliases == ["IRGC", "Sepah"]


def test_outlets_and_sources_are_created_and_corrected(editor_client):
    response = post_form(editor_client, url("outlet", "add"), name="Axios", slug="axios", url="https://www.axios.com")
    assert response.status_code == 302, form_errors(response)
    outlet = Outlet.objects.get()
    response = post_form(editor_client, url("source", "add"), outlet=str(outlet.pk), title="Netanyahu meets Trump",
                         url="https://www.axios.com/2025/12/30/x", published_at_0="2025-12-30", published_at_1="06:00:00")
    assert response.status_code == 302, form_errors(response)
    source = Source.objects.get()

    response = post_form(editor_client, url("source", "change", source.pk), title="Netanyahu and Trump meet at Mar-a-Lago")

    assert response.status_code == 302, form_errors(response)
    source.refresh_from_db()
    assert source.title == "Netanyahu and Trump meet at Mar-a-Lago"
    assert source.published_at.isoformat() == "2025-12-30T06:00:00+00:00"


def test_a_citation_added_from_the_citation_list_is_logged_on_its_item(editor_client, editor, now):
    milestone = make_milestone(now=now, when=day_when(date(2026, 1, 23)))
    source = make_source(now=now)

    response = post_form(editor_client, url("citation", "add"), item=str(milestone.pk), source=str(source.pk),
                         role="evidence", attribution="", quote="")

    assert response.status_code == 302, form_errors(response)
    assert Citation.objects.get().item_id == milestone.pk
    change = Change.objects.filter(item=milestone).last()
    assert (change.kind, change.by_user) == ("edited", editor)


def test_a_citation_deleted_from_the_citation_list_is_removed_through_the_service(editor_client, editor, now):
    milestone = make_milestone(now=now, when=day_when(date(2026, 1, 23)))
    citation = services.citation_add(item=milestone, source=make_source(now=now), by="system", now=now)

    response = editor_client.post(url("citation", "delete", citation.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Citation.objects.exists()
    change = Change.objects.filter(item=milestone).last()
    assert (change.kind, change.by_user, change.after["citation_removed"]["id"]) == ("edited", editor, citation.pk)


def test_actors_on_items_are_searchable_from_the_item_form(editor_client):
    make_actor("Benjamin Netanyahu", aliases=["Bibi"])

    response = editor_client.get("/admin/autocomplete/", {
        "app_label": "timeline", "model_name": "milestone", "field_name": "actors", "term": "bibi",
    })

    assert [r["text"] for r in response.json()["results"]] == ["Benjamin Netanyahu"]
