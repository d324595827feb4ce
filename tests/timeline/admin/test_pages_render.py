"""A look at the pages as an editor's browser gets them: the list and an
item's page hold what the editor needs, in the HTML."""

from datetime import date

import pytest

from tests.builders import day_when, make_actor, make_milestone, make_storyline
from timeline import services

from .pages import make_source, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def davos(now, editor):
    milestone = make_milestone(
        now=now, when=day_when(date(2026, 1, 23), tz="Europe/Zurich", text="on Jan. 23"), as_of=date(2025, 12, 30),
        title="First meeting of the Gaza Board of Peace", storylines=[make_storyline("Gaza ceasefire")],
        actors=[make_actor("Donald Trump")], place="Davos",
    )
    services.citation_add(item=milestone, source=make_source(now=now), by=editor, now=now,
                          attribution="two senior U.S. officials")
    return milestone


def test_the_milestone_list(editor_client, davos):
    html = editor_client.get(url("milestone", "changelist")).content.decode()

    for text in ("First meeting of the Gaza Board of Peace", "23 Jan 2026", "Gaza ceasefire", "Scheduled",
                 "Published", "column-overdue", f'name="revision_{davos.pk}" value="2"'):
        assert text in html, text
    for action in ("confirm", "postpone", "happened", "cancel", "publish", "retract", "correct"):
        assert f'<option value="{action}">' in html, action
    assert 'value="delete_selected"' not in html


def test_a_milestone_page(editor_client, davos):
    html = editor_client.get(url("milestone", "change", davos.pk)).content.decode()

    for text in (
        'name="when_phrase" value="on Jan. 23"', 'name="when_tz" value="Europe/Zurich"',
        'name="expected_revision" value="2"',
        "Resolved window", "2026-01-23 00:00 CET (2026-01-22 23:00 UTC)", "EDTF 2026-01-23",
        f'{url("milestone", "postpone", davos.pk)}?revision=2', "Mark happened",
        "two senior U.S. officials", 'id="change-log"', "Cited", "Davos",
    ):
        assert text in html, text
    assert url("milestone", "delete", davos.pk) not in html


def test_a_transition_page(editor_client, davos):
    html = editor_client.get(url("milestone", "postpone", davos.pk) + "?revision=2").content.decode()

    for text in ("A new When (possibly undated); the old one stays in the change log.", "New When", "No new date",
                 f'name="revision_{davos.pk}" value="2"', "First meeting of the Gaza Board of Peace",
                 '<datalist id="id_when_tz_zones">', '<option value="Europe/Zurich" label="Zurich (Europe)">',
                 'id="id_when_phrase"', 'id="id_when_as_of"', 'for="id_when_tz"'):
        assert text in html, text
