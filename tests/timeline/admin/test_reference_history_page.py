"""A storyline's and an actor's admin page shows who changed what, and when:
the saves go through the services with the editor as `by`, and the page
lists the history rows they wrote, read-only."""

from datetime import timedelta

import pytest

from tests.builders import make_actor, make_storyline
from timeline.models import ReferenceChange, Storyline

from .pages import form_data, form_errors, url

pytestmark = pytest.mark.django_db


def post_form(client, page_url, **fields):
    data = form_data(client.get(page_url))
    data.update(fields)
    return client.post(page_url, {k: v for k, v in data.items() if v is not None})


def test_saves_in_the_admin_are_recorded_as_the_editor(editor_client, editor):
    response = post_form(editor_client, url("storyline", "add"), name="Gaza ceasefire", slug="gaza-ceasefire",
                         grace_period="7 00:00:00")
    assert response.status_code == 302, form_errors(response)
    storyline = Storyline.objects.get()
    response = post_form(editor_client, url("storyline", "change", storyline.pk), grace_period="14 00:00:00")
    assert response.status_code == 302, form_errors(response)

    rows = list(storyline.history.values_list("kind", "by_user", "by_label", "before", "after"))
    assert rows[0][:3] == ("created", editor.pk, "editor")
    assert rows[1] == ("edited", editor.pk, "editor", {"grace_period": 7 * 86400}, {"grace_period": 14 * 86400})


def test_saving_the_page_unchanged_writes_no_history(editor_client):
    storyline = make_storyline("Gaza", slug="gaza", grace_period=timedelta(days=7))

    response = post_form(editor_client, url("storyline", "change", storyline.pk))

    assert response.status_code == 302, form_errors(response)
    assert list(storyline.history.values_list("kind", flat=True)) == ["created"]


def test_the_storyline_page_lists_its_history(editor_client, editor, now):
    storyline = make_storyline("Gaza", slug="gaza", grace_period=timedelta(days=7))
    post_form(editor_client, url("storyline", "change", storyline.pk), grace_period="14 00:00:00")

    page = editor_client.get(url("storyline", "change", storyline.pk)).content.decode()

    assert "field-change_history" in page and "<th>who</th>" in page
    assert "grace period: 7 days → 14 days" in page
    assert "system" in page and "editor" in page  # who created it, who changed it
    assert f"{now:%Y-%m-%d %H:%M} UTC" in page  # the builder's creation time


def test_the_actor_page_lists_its_history(editor_client):
    actor = make_actor("IRGC", slug="irgc", aliases=["IRGC"])
    response = post_form(editor_client, url("actor", "change", actor.pk), aliases="IRGC\nSepah")
    assert response.status_code == 302, form_errors(response)

    page = editor_client.get(url("actor", "change", actor.pk)).content.decode()

    assert "aliases: IRGC → IRGC, Sepah" in page
    assert ReferenceChange.objects.filter(actor=actor, kind="edited", by_label="editor").count() == 1


def test_the_add_page_has_no_history(editor_client):
    page = editor_client.get(url("storyline", "add"))

    assert page.status_code == 200
    assert "field-change_history" not in page.content.decode()
