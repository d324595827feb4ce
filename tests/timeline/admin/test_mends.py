"""The admin, mended: each point of the issue as it was seen by trying it.

HISTORY shows our change log; the change log names rows instead of ids;
overdue reads as a warning; a milestone lists the expectations about it and
a storyline its items; state and verdict come first, internals folded; the
When field carries its live preview and an unmistakable as-of; the site's
name; lists newest first; publishing asks for a citation or a reason."""

from datetime import date, timedelta

import pytest

from tests.builders import day_when, make_citation, make_expectation, make_milestone, make_storyline
from timeline import services
from timeline.models import Change, Expectation, Milestone

from .pages import error_messages_of, form_data, run_action, submit_transition, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def davos(now):
    return make_milestone(now=now, when=day_when(date(2026, 1, 23), tz="Europe/Zurich"), title="Board of Peace meets")


@pytest.fixture
def about_davos(now, davos, editor):
    exp = make_expectation(now=now, when=day_when(date(2026, 1, 23), tz="Europe/Zurich"), title="Trump chairs it",
                           about_milestone=davos, target_kind="on")
    citation = make_citation(exp, now=now)
    services.expectation_settle(expectation=exp, by=editor, now=now, status="met", evidence_citation=citation,
                                note="He chaired it.")
    return Expectation.objects.get(pk=exp.pk)


def test_history_shows_the_change_log_after_an_admin_edit(editor_client, davos):
    page = editor_client.get(url("milestone", "change", davos.pk))
    data = {**form_data(page), "title": "Board of Peace first meets", "change_reason": "Sharper title."}
    assert editor_client.post(url("milestone", "change", davos.pk), data).status_code == 302

    history = editor_client.get(url("milestone", "history", davos.pk))
    html = history.content.decode()
    assert history.status_code == 200
    assert "doesn’t have a change history" not in html and "doesn't have a change history" not in html
    assert "Change log" in html and "Sharper title." in html
    assert "Board of Peace meets → Board of Peace first meets" in html


def test_the_change_log_names_and_links_what_it_points_at(editor_client, davos, about_davos, editor):
    created = Change.objects.get(item=about_davos, kind="created")
    settled = Change.objects.get(item=about_davos, kind="settled")
    created_html = editor_client.get(url("change", "change", created.pk)).content.decode()
    assert f'<a href="{url("milestone", "change", davos.pk)}">Board of Peace meets</a>' in created_html
    assert f"→ {davos.pk}<" not in created_html, "no raw id"
    settled_html = editor_client.get(url("change", "change", settled.pk)).content.decode()
    assert f'/admin/auth/user/{editor.pk}/change/">editor</a>' in settled_html
    page = editor_client.get(url("expectation", "change", about_davos.pk)).content.decode()
    assert f'<a href="{url("milestone", "change", davos.pk)}">Board of Peace meets</a>' in page


def test_overdue_is_a_warning_not_a_green_tick(editor_client, wall_clock):
    make_milestone(now=wall_clock, when=day_when((wall_clock - timedelta(days=3)).date()), title="Late vote")
    html = editor_client.get(url("milestone", "changelist")).content.decode()
    assert "⚠ overdue" in html
    assert "icon-yes" not in html


def test_a_milestone_lists_its_expectations_and_a_storyline_its_items(editor_client, now, davos, about_davos):
    page = editor_client.get(url("milestone", "change", davos.pk)).content.decode()
    assert "Expectations about it" in page
    assert f'<a href="{url("expectation", "change", about_davos.pk)}">Trump chairs it</a> · Met' in page

    gaza = make_storyline("Gaza ceasefire")
    make_milestone(now=now, when=day_when(date(2026, 1, 10)), title="Hostages freed", storylines=[gaza])
    storyline_page = editor_client.get(f"/admin/timeline/storyline/{gaza.pk}/change/").content.decode()
    assert "Its items" in storyline_page and "Hostages freed</a> · Scheduled · 10 Jan 2026" in storyline_page


def test_state_and_verdict_come_first_and_internals_are_folded(editor_client, about_davos):
    page = editor_client.get(url("expectation", "change", about_davos.pk))
    fieldsets = list(page.context["adminform"])
    first, last = fieldsets[0], fieldsets[-1]
    assert first.name.startswith("Where it stands")
    first_fields = [f for line in first for f in line]
    names = [f.field["name"] if isinstance(f.field, dict) else f.field.name for f in first_fields]
    assert names[:5] == ["status", "editorial_state", "overdue_now", "assignee_link", "decided_by"]
    assert "verdict_note" in names and "revision" not in names
    assert last.name == "Internals" and "collapse" in last.classes
    html = page.content.decode()
    assert html.index("He chaired it.") < html.index('name="title"')


def test_the_when_field_previews_and_shows_the_as_of_in_words(editor_client, now):
    milestone = make_milestone(now=now, when=day_when(date(2026, 1, 23), tz="Europe/Zurich"), title="Davos")
    services.item_edit(item=milestone, by="system", now=now, as_of=date(2026, 12, 2))
    html = editor_client.get(url("milestone", "change", milestone.pk)).content.decode()
    assert 'data-when-preview="/api/v1/when/parse/"' in html and 'data-kind="milestone"' in html
    assert 'data-default-tz="Europe/Zurich"' in html
    assert "timeline/admin/when_preview.js" in html
    assert 'value="2026-12-02"' in html and "(2 Dec 2026)" in html
    assert "read as of 2 Dec 2026" in html
    assert "02/12/2026" not in html and "12/02/2026" not in html


def test_a_bulk_postpone_previews_in_each_items_own_zone(editor_client, now, davos):
    other = make_milestone(now=now, when=day_when(date(2026, 1, 15), tz="America/New_York"), title="UN vote")
    page = run_action(editor_client, "milestone", "postpone", [davos, other])
    assert 'data-default-tz=""' in page.content.decode()


def test_the_site_name_brands_the_admin(editor_client):
    html = editor_client.get("/admin/").content.decode()
    assert "Forecast Watch" in html and "Django administration" not in html


def test_lists_are_newest_first(editor_client, now):
    older = make_milestone(now=now - timedelta(days=2), when=day_when(date(2026, 3, 1)), title="Older")
    newer = make_milestone(now=now, when=day_when(date(2026, 2, 1)), title="Newer")
    rows = list(editor_client.get(url("milestone", "changelist")).context["cl"].result_list)
    assert rows[:2] == [newer, older]
    changes = list(editor_client.get(url("change", "changelist")).context["cl"].result_list)
    assert changes[0].item_id == newer.pk


def test_publishing_asks_for_a_citation_or_a_reason(editor_client, now):
    uncited = make_milestone(now=now, when=day_when(date(2026, 2, 1)), title="Uncited", published=False)
    cited = make_milestone(now=now, when=day_when(date(2026, 2, 2)), title="Cited", published=False)
    make_citation(cited, now=now)

    bulk = run_action(editor_client, "milestone", "publish", [uncited, cited])
    assert bulk.status_code == 302
    assert any("“Uncited” was not published" in m and "at least one citation" in m for m in error_messages_of(bulk))
    assert Milestone.objects.get(pk=cited.pk).editorial_state == "published"
    assert Milestone.objects.get(pk=uncited.pk).editorial_state == "draft"

    refused = submit_transition(editor_client, "milestone", "publish", uncited)
    assert refused.status_code == 200
    assert "No citation: add one, or give the reason it is published without." in refused.content.decode()

    done = submit_transition(editor_client, "milestone", "publish", uncited,
                             uncited_reason="The ministry announced it on air; the article follows.")
    assert done.status_code == 302
    change = Change.objects.get(item=uncited, kind="published")
    assert change.after["uncited_reason"] == "The ministry announced it on air; the article follows."
    history = editor_client.get(url("milestone", "history", uncited.pk)).content.decode()
    assert "uncited reason" in history and "the article follows" in history


def test_the_api_asks_the_same(editor_client, now):
    from rest_framework.test import APIClient

    from tests.factories import make_editor

    client = APIClient()
    client.force_authenticate(make_editor("api-editor"))
    draft = make_milestone(now=now, when=day_when(date(2026, 2, 1)), title="Draft", published=False)
    response = client.post(f"/api/v1/items/{draft.public_id}/publish/", {}, format="json")
    assert response.status_code == 400
    assert "uncited_reason" in response.json()["error"]["fields"]
