"""The desk's pages and actions, through the test client on the demo record
(loaded with the sweep clock of 25 Nov 2026, so both January expectations
are missed by the system and both January milestones are overdue)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from desk.services import assign
from tests.builders import day_when, make_citation, make_milestone, window_when
from tests.factories import make_editor, make_user
from timeline import services
from timeline.models import Change, Expectation, Item, Milestone

pytestmark = pytest.mark.django_db

DAVOS = "The Board of Peace first meets in Davos on Jan. 23, with Trump in the chair"
PHASE_TWO = "Trump announces phase two, the Board of Peace and the technocratic government in January"


def text(response) -> str:
    return response.content.decode()


def expectation(title) -> Expectation:
    return Expectation.objects.get(title=title)


# -- Who may see it ------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/desk/", "/desk/verdicts/", "/desk/recent/", "/desk/proposed/"])
def test_anonymous_readers_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_account_that_is_not_staff_is_sent_to_log_in(client):
    client.force_login(make_user("reader"))
    assert client.get("/desk/verdicts/").status_code == 302


def test_staff_without_editing_rights_see_the_desk_but_cannot_act(client, demo):
    viewer = make_user("viewer", is_staff=True)
    client.force_login(viewer)
    page = client.get("/desk/verdicts/")
    assert page.status_code == 200
    assert "Overturn" not in text(page)
    exp = expectation(DAVOS)
    response = client.post(f"/desk/items/{exp.public_id}/review/", {"revision": exp.revision})
    assert response.status_code == 403
    assert not Change.objects.filter(item=exp, kind="reviewed").exists()


# -- The agenda ---------------------------------------------------------------------

def test_a_month_goes_in_a_band_and_a_day_on_its_day(editor_client, demo):
    page = text(editor_client.get("/desk/?from=2026-01-01&to=2026-01-07"))
    band = page.index("Sometime in January 2026")
    first_day = page.index("Thursday 1 January 2026")
    second_day = page.index("Friday 2 January 2026")
    assert PHASE_TWO in page[band:first_day], "the January expectation is in the month's band"
    assert "Nothing on this day." in page[first_day:second_day], "nothing is put on 1 January"

    week = text(editor_client.get("/desk/?from=2026-01-19&to=2026-01-25"))
    friday, saturday = week.index("Friday 23 January 2026"), week.index("Saturday 24 January 2026")
    assert DAVOS in week[friday:saturday], "Davos on 23 January, in Zurich's day"


def test_the_agenda_filters_by_storyline_actor_and_assignee(editor_client, editor, demo, now):
    url = "/desk/?from=2026-01-19&to=2026-01-25"
    assert DAVOS in text(editor_client.get(url + "&storyline=gaza-ceasefire"))
    assert DAVOS not in text(editor_client.get(url + "&storyline=iran-nuclear-and-missile-programs"))
    assert DAVOS in text(editor_client.get(url + "&actor=donald-trump"))
    assert DAVOS not in text(editor_client.get(url + "&assignee=me"))
    assign(item=expectation(DAVOS), assignee=editor, by=editor, now=now)
    mine = text(editor_client.get(url + "&assignee=me"))
    assert DAVOS in mine and "Watched by editor" in mine


@pytest.mark.parametrize(("query", "message"), [
    ("from=2026-13-01", "from: give a date such as 2026-01-19."),
    ("from=2026-01-10&to=2026-01-01", "The range ends before it starts."),
    ("from=2026-01-01&to=2026-12-31", "A range of at most 92 days."),
    ("from=9999-12-31", "from: a date between 1900 and 2999."),
    ("to=2026-01-01", "from: give a date such as 2026-01-19."),
    ("storyline=nope", "No storyline “nope”."),
    ("assignee=nobody-here", "No member of staff “nobody-here”."),
])
def test_bad_filters_are_a_clear_400(editor_client, query, message):
    response = editor_client.get(f"/desk/?{query}")
    assert response.status_code == 400
    assert message in text(response)


def test_next_week_starts_on_the_monday_after_this_one(editor_client):
    page = text(editor_client.get("/desk/?week=next"))
    assert "Agenda: Next week" in page
    assert page.count('class="desk-day') == 7


# -- Needs a verdict ---------------------------------------------------------------

def test_needs_a_verdict_lists_why_oldest_first_with_the_moves_allowed(editor_client, demo):
    page = text(editor_client.get("/desk/verdicts/"))
    assert page.index(DAVOS) < page.index(PHASE_TWO), "oldest first: Davos's window ended before January's"
    assert "Missed, decided by the system on 25 Nov 2026, and not yet reviewed." in page
    assert "Overdue: its window (January 2026) ended with no outcome recorded" in page
    assert page.count(">Overturn<") == 2 and page.count(">Review (let the system&#x27;s verdict stand)<") == 2
    assert page.count(">Mark happened<") == 2


def test_review_is_one_click_and_guarded_by_the_revision(editor_client, editor, demo):
    exp = expectation(DAVOS)
    seen = exp.revision
    services.item_edit(item=exp, by=editor, now=exp.updated_at, summary="Edited meanwhile.")
    stale = editor_client.post(f"/desk/items/{exp.public_id}/review/",
                               {"revision": seen, "one_click": "1", "next": "/desk/verdicts/"}, follow=True)
    assert "Someone changed this item since you opened it" in text(stale)
    assert not Change.objects.filter(item=exp, kind="reviewed").exists()

    exp.refresh_from_db()
    response = editor_client.post(f"/desk/items/{exp.public_id}/review/",
                                  {"revision": exp.revision, "one_click": "1", "next": "/desk/verdicts/"})
    assert response.status_code == 302 and response["Location"] == "/desk/verdicts/"
    change = Change.objects.get(item=exp, kind="reviewed")
    assert change.by_user == editor
    assert f'id="title-{exp.public_id}"' not in text(editor_client.get("/desk/verdicts/"))


def test_overturning_with_evidence_goes_through_the_service(editor_client, editor, demo):
    exp = expectation(PHASE_TWO)
    citation = exp.citations.first()
    form = editor_client.get(f"/desk/items/{exp.public_id}/overturn/?revision={exp.revision}")
    assert form.status_code == 200 and 'name="evidence_citation"' in text(form)
    response = editor_client.post(f"/desk/items/{exp.public_id}/overturn/", {
        "revision": exp.revision, "status": "met", "evidence_citation": citation.pk,
        "note": "Announced on 15 January.", "next": "/desk/verdicts/",
    })
    assert response.status_code == 302
    exp.refresh_from_db()
    assert (exp.status, exp.decided_by, exp.evidence_citation_id) == ("met", "editor", citation.pk)
    assert Change.objects.filter(item=exp, kind="overturned", public_note="Announced on 15 January.").exists()


def test_a_stale_form_keeps_what_was_typed(editor_client, editor, demo):
    exp = expectation(PHASE_TWO)
    seen = exp.revision
    services.expectation_review(expectation=exp, by=editor, now=exp.updated_at)
    response = editor_client.post(f"/desk/items/{exp.public_id}/overturn/", {
        "revision": seen, "status": "met_late", "evidence_citation": exp.citations.first().pk,
        "note": "My careful note.", "next": "/desk/verdicts/",
    })
    assert response.status_code == 409
    page = text(response)
    assert "Someone changed this item since you opened it" in page
    assert "My careful note." in page, "the note typed is still on the form"
    exp.refresh_from_db()
    assert f'name="revision" value="{exp.revision}"' in page, "submitting again applies it to the item as it is"
    assert exp.status == "missed"


def test_a_bad_verdict_is_a_form_error_not_a_500(editor_client, demo):
    exp = expectation(PHASE_TWO)
    response = editor_client.post(f"/desk/items/{exp.public_id}/overturn/",
                                  {"revision": exp.revision, "status": "met", "note": ""})
    assert response.status_code == 400
    assert "This field is required." in text(response)


def test_postponing_from_the_desk_keeps_the_zone(editor_client, demo):
    davos = Milestone.objects.get(when_tz="Europe/Zurich")
    response = editor_client.post(f"/desk/items/{davos.public_id}/postpone/", {
        "revision": davos.revision, "when_phrase": "on Feb. 2", "when_as_of": "2026-01-20", "when_tz": "",
        "public_note": "", "reason": "Moved.",
    })
    assert response.status_code == 302, text(response)
    davos.refresh_from_db()
    assert (davos.when_tz, davos.when.display()) == ("Europe/Zurich", "2 Feb 2026")


def test_unknown_actions_are_404(editor_client, demo):
    exp = expectation(DAVOS)
    assert editor_client.get(f"/desk/items/{exp.public_id}/correct/").status_code == 404
    assert editor_client.get(f"/desk/items/{exp.public_id}/postpone/").status_code == 404


# -- Assignment, recent, proposed --------------------------------------------------------

def test_assigning_from_the_desk(editor_client, editor, demo):
    reporter = make_editor("reporter")
    davos = Milestone.objects.get(when_tz="Europe/Zurich")
    response = editor_client.post(f"/desk/items/{davos.public_id}/assign/",
                                  {"revision": davos.revision, "assignee": "reporter", "next": "/desk/"})
    assert response.status_code == 302
    davos.refresh_from_db()
    assert davos.assignee == reporter
    stale = editor_client.post(f"/desk/items/{davos.public_id}/assign/",
                               {"revision": davos.revision - 1, "assignee": "editor"})
    assert stale.status_code == 409 and "Someone changed this item" in text(stale)
    me = editor_client.post(f"/desk/items/{davos.public_id}/assign/", {"revision": davos.revision, "assignee": "me"})
    assert me.status_code == 302
    davos.refresh_from_db()
    assert davos.assignee == editor


def test_recent_shows_system_verdicts_and_reschedules_with_who_and_why(editor_client, editor):
    now = timezone.now()  # the page reads the real clock: "the last days" are counted from it
    milestone = make_milestone(now=now, when=day_when(now.date() + timedelta(days=20)), title="Vote")
    services.milestone_postpone(milestone=milestone, by=editor, now=now, when=day_when(now.date() + timedelta(days=40)),
                                public_note="The vote moved.", reason="Parliament's calendar.")
    page = text(editor_client.get("/desk/recent/"))
    assert "Vote" in page and "The vote moved." in page and "Internal: Parliament&#x27;s calendar." in page


def test_proposals_publish_with_a_citation_or_a_reason(editor_client, editor, now):
    proposed = services.item_create(kind="milestone", by="system", now=now, title="Proposed summit",
                                    when=window_when(now, now.replace(year=2027)), editorial_state="proposed")
    page = text(editor_client.get("/desk/proposed/"))
    assert "Proposed summit" in page and "No citation yet" in page
    url = f"/desk/items/{proposed.public_id}/publish/"
    refused = editor_client.post(url, {"revision": proposed.revision})
    assert refused.status_code == 409 and "No citation: add one" in text(refused)
    done = editor_client.post(url, {"revision": proposed.revision, "uncited_reason": "Announced on air."})
    assert done.status_code == 302
    proposed.refresh_from_db()
    assert proposed.editorial_state == "published"
    assert Change.objects.get(item=proposed, kind="published").after["uncited_reason"] == "Announced on air."

    other = services.item_create(kind="event", by="system", now=now, title="Cited proposal",
                                 when=day_when(date(2026, 11, 20)), editorial_state="proposed")
    make_citation(other, now=now)
    other.refresh_from_db()
    assert editor_client.post(f"/desk/items/{other.public_id}/publish/", {"revision": other.revision}).status_code == 302
    assert Item.objects.get(pk=other.pk).editorial_state == "published"


def test_the_navigation_counts_each_section(editor_client, editor, demo):
    page = text(editor_client.get("/desk/verdicts/"))
    assert 'Needs a verdict <span class="desk-count">4</span>' in page
    assert 'Mine <span class="desk-count">0</span>' in page


def test_settling_an_open_expectation_and_marking_a_milestone_happened(editor_client, editor, now):
    from tests.builders import make_event, make_expectation

    when = day_when(timezone.now().date() - timedelta(days=3))
    exp = make_expectation(now=now, when=when, title="Ceasefire holds")
    milestone = make_milestone(now=now, when=when, title="Summit")
    event = make_event(now=now, when=when, title="Summit took place")
    page = text(editor_client.get("/desk/verdicts/"))
    assert ">Settle<" in page and ">Mark happened<" in page

    done = editor_client.post(f"/desk/items/{exp.public_id}/settle/", {
        "revision": exp.revision, "status": "missed", "note": "It did not hold.",
    })
    assert done.status_code == 302
    exp.refresh_from_db()
    assert (exp.status, exp.decided_by) == ("missed", "editor")

    form = text(editor_client.get(f"/desk/items/{milestone.public_id}/happened/"))
    assert f'<option value="{event.pk}">' not in form, "only events of the milestone's storylines are offered"
    happened = editor_client.post(f"/desk/items/{milestone.public_id}/happened/", {
        "revision": milestone.revision, "when_phrase": "yesterday", "when_as_of": str(timezone.now().date()),
        "when_tz": "UTC",
    })
    assert happened.status_code == 302, text(happened)
    milestone.refresh_from_db()
    assert milestone.status == "happened"
