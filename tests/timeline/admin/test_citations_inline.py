"""Citations on an item's page: adding one is services.citation_add, the
delete box is services.citation_remove; each is a logged edit of the item."""

from datetime import date

import pytest

from tests.builders import day_when, make_milestone
from timeline import services
from timeline.models import Change, Citation

from .pages import add_inline_row, form_data, form_errors, make_source, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone(now):
    return make_milestone(now=now, when=day_when(date(2026, 1, 23)), title="Board of Peace meets")


def test_a_citation_added_on_the_page_is_a_logged_edit(editor_client, editor, milestone, now):
    source = make_source(now=now)
    data = form_data(editor_client.get(url("milestone", "change", milestone.pk)))
    add_inline_row(data, "citations", source=source.pk, role="reports_claim", attribution="a U.S. official",
                   quote="is expected to")

    response = editor_client.post(url("milestone", "change", milestone.pk), data)

    assert response.status_code == 302, form_errors(response)
    citation = Citation.objects.get(item=milestone)
    assert (citation.attribution, citation.quote) == ("a U.S. official", "is expected to")
    change = Change.objects.filter(item=milestone).last()
    assert (change.kind, change.by_user) == ("edited", editor)
    assert change.after["citation_added"]["attribution"] == "a U.S. official"


def test_the_delete_box_removes_the_citation_through_the_service(editor_client, editor, milestone, now):
    citation = services.citation_add(item=milestone, source=make_source(now=now), by="system", now=now)
    data = form_data(editor_client.get(url("milestone", "change", milestone.pk)))
    data["citations-0-DELETE"] = "on"

    response = editor_client.post(url("milestone", "change", milestone.pk), data)

    assert response.status_code == 302, form_errors(response)
    assert not Citation.objects.filter(item=milestone).exists()
    change = Change.objects.filter(item=milestone).last()
    assert (change.kind, change.by_user) == ("edited", editor)
    assert change.after["citation_removed"]["id"] == citation.pk


def test_an_edit_and_a_citation_in_one_save_are_two_changes_in_order(editor_client, milestone, now):
    source = make_source(now=now)
    data = form_data(editor_client.get(url("milestone", "change", milestone.pk)))
    data.update(title="Board of Peace meets in Davos")
    add_inline_row(data, "citations", source=source.pk, role="sets_date")

    response = editor_client.post(url("milestone", "change", milestone.pk), data)

    assert response.status_code == 302, form_errors(response)
    edits = Change.objects.filter(item=milestone, kind="edited").order_by("id")
    assert ["title" in c.after for c in edits] == [True, False]
    assert "citation_added" in edits[1].after
    milestone.refresh_from_db()
    assert milestone.revision == 3


def test_a_citation_already_made_cannot_be_changed_in_place(editor_client, milestone, now):
    citation = services.citation_add(item=milestone, source=make_source(now=now), by="system", now=now,
                                     attribution="two senior U.S. officials")
    data = form_data(editor_client.get(url("milestone", "change", milestone.pk)))
    data["citations-0-attribution"] = "a U.S. official"

    response = editor_client.post(url("milestone", "change", milestone.pk), data)

    assert response.status_code == 302
    citation.refresh_from_db()
    assert citation.attribution == "two senior U.S. officials"
    assert Change.objects.filter(item=milestone, kind="edited").count() == 1  # the add, nothing since


def test_a_citation_added_after_someone_else_edited_is_refused(editor_client, milestone, now, admin_user):
    source = make_source(now=now)
    data = form_data(editor_client.get(url("milestone", "change", milestone.pk)))
    services.item_edit(item=milestone, by=admin_user, now=now, summary="Their summary")
    add_inline_row(data, "citations", source=source.pk, role="sets_date")

    response = editor_client.post(url("milestone", "change", milestone.pk), data)

    assert response.status_code == 200
    assert "Someone changed this item since you opened it" in " ".join(form_errors(response)["__all__"])
    assert not Citation.objects.exists()
