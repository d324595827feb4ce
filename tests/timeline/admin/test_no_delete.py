"""Nothing in the record is deleted from the admin: an item is retracted,
with a reason; reference data has no delete either."""

from datetime import date

import pytest

from tests.builders import day_when, make_actor, make_milestone, make_storyline
from timeline.models import Item

from .pages import messages_of, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("client_fixture", ["editor_client", "superuser_client"])
@pytest.mark.parametrize("model", ["event", "milestone", "expectation", "item", "storyline", "actor", "outlet",
                                   "source", "change", "citation"])
def test_the_lists_offer_no_delete_selected(request, client_fixture, model):
    client = request.getfixturevalue(client_fixture)

    response = client.get(url(model, "changelist"))

    assert response.status_code == 200
    actions = dict(response.context["action_form"].fields["action"].choices) if response.context.get("action_form") else {}
    assert "delete_selected" not in actions


def test_the_item_page_has_no_delete_link(superuser_client, now):
    milestone = make_milestone(now=now, when=day_when(date(2026, 1, 23)))

    response = superuser_client.get(url("milestone", "change", milestone.pk))

    assert response.context["has_delete_permission"] is False
    assert url("milestone", "delete", milestone.pk).encode() not in response.content


def test_the_delete_address_leads_to_retracting_and_deletes_nothing(superuser_client, now):
    milestone = make_milestone(now=now, when=day_when(date(2026, 1, 23)))

    get = superuser_client.get(url("milestone", "delete", milestone.pk))
    post = superuser_client.post(url("milestone", "delete", milestone.pk), {"post": "yes"})

    for response in (get, post):
        assert response.status_code == 302
        assert response.url.startswith(url("milestone", "retract", milestone.pk))
    assert any("never deleted" in m for m in messages_of(post))
    assert Item.objects.filter(pk=milestone.pk, editorial_state="published").exists()


def test_storylines_and_actors_cannot_be_deleted(superuser_client):
    storyline, actor = make_storyline(), make_actor()

    assert superuser_client.post(url("storyline", "delete", storyline.pk), {"post": "yes"}).status_code == 403
    assert superuser_client.post(url("actor", "delete", actor.pk), {"post": "yes"}).status_code == 403
    storyline.refresh_from_db()
    actor.refresh_from_db()
