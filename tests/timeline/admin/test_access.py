"""Who may use the admin of the record: staff with the model permissions
(the "editors" group) and superusers; nobody else."""

from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from tests.builders import day_when, make_milestone

from .pages import url

pytestmark = pytest.mark.django_db

LISTS = ["event", "milestone", "expectation", "item", "storyline", "actor", "outlet", "source", "citation", "change"]
ADDABLE = ["event", "milestone", "expectation", "storyline", "actor", "outlet", "source", "citation"]


@pytest.fixture
def milestone(now):
    return make_milestone(now=now, when=day_when(date(2026, 1, 23)))


def admin_pages(milestone):
    return [
        url("milestone", "changelist"), url("milestone", "add"), url("milestone", "change", milestone.pk),
        url("milestone", "postpone", milestone.pk), url("change", "changelist"),
    ]


@pytest.mark.parametrize("who", [None, "subscriber"])
def test_anonymous_and_non_staff_are_sent_to_the_login(client, request, milestone, who):
    if who:
        client.force_login(request.getfixturevalue(who))

    for page in admin_pages(milestone):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.url.startswith(reverse("admin:login")), page


def test_staff_without_the_permissions_is_refused(client, milestone):
    client.force_login(factories.make_user("intern", is_staff=True))

    for page in admin_pages(milestone):
        assert client.get(page).status_code == 403, page
    response = client.post(url("milestone", "postpone", milestone.pk), {"when_phrase": "in March"})
    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.postponed_count == 0


def test_an_editor_who_is_not_a_superuser_can_use_every_page(editor_client, editor, milestone):
    assert not editor.is_superuser

    for model in LISTS:
        assert editor_client.get(url(model, "changelist")).status_code == 200, model
    for model in ADDABLE:
        assert editor_client.get(url(model, "add")).status_code == 200, model
    assert editor_client.get(url("milestone", "change", milestone.pk)).status_code == 200
    assert editor_client.get(url("milestone", "postpone", milestone.pk)).status_code == 200
    index = editor_client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert b"Milestones" in index.content


def test_an_editor_can_pick_events_and_sources_by_searching(editor_client, milestone):
    # The transition forms and the citation rows use the admin's autocomplete.
    response = editor_client.get(reverse("admin:autocomplete"), {
        "app_label": "timeline", "model_name": "milestone", "field_name": "happened_event", "term": "x",
    })
    assert response.status_code == 200
    response = editor_client.get(reverse("admin:autocomplete"), {
        "app_label": "timeline", "model_name": "citation", "field_name": "source", "term": "x",
    })
    assert response.status_code == 200
