"""An item's page, the one alerts link to: its When, citations, actors, the
expectations about a milestone or the milestone of an expectation, and its
public history with public notes only. A retracted item says so and why; a
draft or a proposal is not there for the public."""

import re
import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from tests.pages.conftest import page_text
from tests.pages.support import INTERNAL
from timeline.models import Change, Expectation, Milestone

pytestmark = pytest.mark.django_db


def test_the_alerts_link_is_this_page(client, demo):
    davos = Milestone.objects.get(title__startswith="The Gaza Board of Peace")
    # watch builds "See the item and its sources" from this setting.
    alert_link = settings.WATCH_ITEM_URL.format(public_id=davos.public_id)

    path = reverse("pages:item", kwargs={"public_id": davos.public_id})
    assert alert_link == settings.SITE_URL + path
    assert client.get(path).status_code == 200


def test_the_davos_milestone_with_its_source_actors_and_the_expectation_about_it(client, demo):
    davos = Milestone.objects.get(title__startswith="The Gaza Board of Peace")
    html = page_text(client.get(f"/items/{davos.public_id}/"))

    assert f"<h1>{davos.title}</h1>" in html
    assert '<span class="badge badge--overdue">Overdue</span>' in html
    assert '<span class="when__date">23 Jan 2026</span>' in html
    assert "read as of 30 Dec 2025" in html and "(day; Europe/Zurich)" in html
    assert "Davos, Switzerland (World Economic Forum)" in html
    assert '<a href="/actors/donald-trump/">Donald Trump</a>' in html
    assert '<a href="/storylines/gaza-ceasefire/">Gaza ceasefire</a>' in html
    # The citation: the source with its outlet and link, the attribution, the quote, its role.
    sources = html[html.index('id="sources-heading"'):html.index('id="history-heading"')]
    assert 'href="https://www.axios.com/2025/12/30/netanyahu-trump-iran-strikes-2026"' in sources
    assert '<a href="/outlets/axios/">Axios</a>, 30 Dec 2025; sets the date' in sources
    assert "The outlet’s own reporting" in sources
    assert "“is expected to take place during the World Economic Forum in Davos on Jan. 23”" in sources
    # The expectation about it, missed by the system.
    about = html[html.index('id="about-heading"'):html.index('id="sources-heading"')]
    assert "The Board of Peace first meets in Davos on Jan. 23, with Trump in the chair" in about
    assert "Decided by the system on 25 Nov 2026." in about
    assert "<dt>About</dt>" not in about  # it is about this very page


def test_an_expectation_names_its_holder_and_its_milestone(client, demo):
    round_two = Expectation.objects.get(title__startswith='The U.S. would back a "round two"')
    html = page_text(client.get(f"/items/{round_two.public_id}/"))
    assert "<dt>Held by</dt><dd>a U.S. official</dd>" in html
    assert "According to a U.S. official" in html
    assert "The U.S. sees Iran take real and verifiable steps" in html
    assert "No verdict: the condition has not come about." in html

    january = Expectation.objects.get(title__endswith="technocratic government in January")
    html = page_text(client.get(f"/items/{january.public_id}/"))
    milestone = january.about_milestone
    assert f'<dt>About the milestone</dt><dd><a href="/items/{milestone.public_id}/">{milestone.title}</a>' in html
    assert "<dt>Deadline</dt><dd>during January 2026</dd>" in html
    # A verdict stops the clock: no "ends in" for what is settled.
    assert 'class="due"' not in html


def test_the_history_shows_public_notes_and_never_internal_ones(client, record):
    html = page_text(client.get(f"/items/{record.moved.public_id}/"))

    history = html[html.index('id="history-heading"'):]
    assert re.search(r"<strong>Moved</strong>: from [^<]+ to [^<]+ <span class=\"muted\">by an editor</span>", history)
    assert "Repairs to the quay ran late." in history and "Dredging took longer." in history
    assert f"<strong>Happened</strong>: on {record.happened_on.display()}" in history
    assert "Ships are back." in history
    assert "<strong>Edited</strong>: a source cited" in history
    assert INTERNAL not in html
    assert "Moved twice; first planned for" in html

    met = page_text(client.get(f"/items/{record.met.public_id}/"))
    assert "The boats were back before the deadline." in met
    assert INTERNAL not in met
    reviewed = page_text(client.get(f"/items/{record.reviewed.public_id}/"))
    assert "<strong>Verdict reviewed</strong>" in reviewed and INTERNAL not in reviewed
    # The overdue sweep's notice is for editors, not the public.
    assert Change.objects.filter(item=record.reviewed, kind="overdue_noticed").exists()
    assert "needs a verdict" not in reviewed


def test_an_event_lists_the_milestones_it_shows_happened(client, record):
    event = record.moved.happened_event
    html = page_text(client.get(f"/items/{event.public_id}/"))

    assert "Milestones this event shows happened" in html
    assert f'<a href="/items/{record.moved.public_id}/">The harbour reopens</a>' in html


def test_a_retracted_item_says_it_was_retracted_and_why(client, record):
    response = client.get(f"/items/{record.retracted.public_id}/")

    assert response.status_code == 410
    html = page_text(response)
    assert f"<h1>{record.retracted.title}</h1>" in html
    assert "This event was retracted" in html
    assert "<strong>Why:</strong> The report was wrong: he did not resign." in html
    assert INTERNAL not in html


@pytest.mark.parametrize("which", ["draft", "proposal"])
def test_drafts_and_proposals_are_not_found(client, record, which):
    response = client.get(f"/items/{getattr(record, which).public_id}/")

    assert response.status_code == 404
    assert getattr(record, which).title not in page_text(response)


def test_unknown_and_malformed_ids_are_not_found(client, db):
    assert client.get(f"/items/{uuid.uuid4()}/").status_code == 404
    assert client.get("/items/not-a-uuid/").status_code == 404
