"""The change log: on each item's page, and as a read-only list of its own."""

from datetime import date

import pytest

from tests.builders import day_when, make_milestone
from timeline import services
from timeline.models import Change
from watch.services.changes import process_change

from .pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def postponed(now, editor):
    milestone = make_milestone(now=now, when=day_when(date(2026, 1, 23), tz="Europe/Zurich", text="on Jan. 23"),
                               title="Board of Peace meets")
    services.milestone_postpone(milestone=milestone, by=editor, now=now, when=day_when(date(2026, 2, 2), text="on Feb. 2"),
                                reason="Davos slot moved")
    return milestone


def test_the_item_page_lists_its_changes_readably(editor_client, postponed):
    response = editor_client.get(url("milestone", "change", postponed.pk))

    lines = response.context["change_log"]
    assert [(line.change.kind, line.who) for line in lines] == [("created", "system"), ("postponed", "editor")]
    when = next(d for d in lines[1].differences if d.field == "when")
    assert (when.before, when.after) == ("23 Jan 2026 (“on Jan. 23”)", "2 Feb 2026 (“on Feb. 2”)")
    html = response.content.decode()
    assert 'id="change-log"' in html
    assert "Davos slot moved" in html
    assert "23 Jan 2026 (“on Jan. 23”) → 2 Feb 2026 (“on Feb. 2”)" in html


def test_the_change_list_is_read_only(superuser_client, postponed):
    change = Change.objects.get(kind="postponed")

    assert superuser_client.get(url("change", "add")).status_code == 403
    page = superuser_client.get(url("change", "change", change.pk))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert b'name="_save"' not in page.content
    assert superuser_client.post(url("change", "change", change.pk), {"reason": "rewritten"}).status_code == 403
    assert superuser_client.post(url("change", "delete", change.pk), {"post": "yes"}).status_code == 403
    change.refresh_from_db()
    assert change.reason == "Davos slot moved"


def test_the_change_page_shows_before_and_after(editor_client, postponed):
    change = Change.objects.get(kind="postponed")

    html = editor_client.get(url("change", "change", change.pk)).content.decode()

    assert "<th>when</th><td>23 Jan 2026 (“on Jan. 23”)</td><td>→</td><td>2 Feb 2026 (“on Feb. 2”)</td>" in html


@pytest.fixture
def draft_published_postponed(now, editor):
    """created (a draft's, not public), published and postponed (public news);
    watch has processed the creation only."""
    milestone = make_milestone(now=now, when=day_when(date(2026, 1, 23)), title="Board of Peace meets", published=False)
    process_change(Change.objects.get(item=milestone, kind="created").pk, now=now)
    services.item_publish(item=milestone, by=editor, now=now, uncited_reason="Announced on air.")
    services.milestone_postpone(milestone=milestone, by=editor, now=now, when=day_when(date(2026, 2, 2)))
    return milestone


@pytest.mark.parametrize(("query", "expected"), [
    ({"kind__exact": "postponed"}, ["postponed"]),
    ({"public__exact": "1"}, ["postponed", "published"]),
    ({"public__exact": "0"}, ["created"]),
    ({"processed": "yes"}, ["created"]),
    ({"processed": "no"}, ["postponed", "published"]),
    ({"q": "Board of Peace"}, ["created", "postponed", "published"]),
    ({"q": "nothing like it"}, []),
])
def test_the_change_list_filters_and_searches(editor_client, draft_published_postponed, query, expected):
    response = editor_client.get(url("change", "changelist"), query)

    assert response.status_code == 200
    assert sorted(c.kind for c in response.context["cl"].result_list) == expected
