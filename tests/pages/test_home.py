"""The home page: every storyline with what is next, what became overdue and
the latest verdicts, its scoreboard's totals, and a search box."""

import re

import pytest

from tests.pages.conftest import page_text
from tests.pages.support import INTERNAL

pytestmark = pytest.mark.django_db


def storyline_card(html: str, slug: str) -> str:
    match = re.search(rf'<section class="storyline-card" aria-labelledby="storyline-{slug}">(.*?)</section>', html, re.S)
    assert match, f"no card for {slug}"
    return match.group(1)


def test_the_demo_storylines_with_what_is_overdue_and_the_latest_verdicts(client, demo):
    html = page_text(client.get("/"))

    assert "<title>What was expected, and whether it came true · Forecast Watch</title>" in html
    gaza = storyline_card(html, "gaza-ceasefire")
    assert '<a href="/storylines/gaza-ceasefire/">Gaza ceasefire</a>' in gaza
    # Both January milestones are overdue, with how long ago their window ended.
    assert gaza.count('<li><span class="badge badge--overdue">Overdue</span>') == 2
    assert "The Gaza Board of Peace holds its first meeting" in gaza
    assert re.search(r"window ended \d+ days ago", gaza)
    # The two January expectations are the latest verdicts: missed, by the system.
    assert gaza.count('<li><span class="badge badge--missed">Missed</span>') == 2
    assert gaza.count("Decided by the system on 25 Nov 2026.") == 2
    # The scoreboard's totals, each a link to the storyline's filtered scoreboard.
    assert re.search(r'href="/storylines/gaza-ceasefire/\?status=missed#scoreboard"><span class="meter__n">2</span>', gaza)
    assert re.search(r'href="/storylines/gaza-ceasefire/\?status=dormant#scoreboard"><span class="meter__n">1</span>', gaza)

    iran = storyline_card(html, "iran-nuclear-and-missile-programs")
    assert "Nothing overdue." in iran and "No verdicts yet." in iran
    assert re.search(r'status=open#scoreboard"><span class="meter__n">2</span>', iran)


def test_what_is_next_says_how_long_until_it(client, record):
    html = page_text(client.get("/"))

    harbour = storyline_card(html, "harbour")
    assert "Cruise terminal opens" in harbour
    assert re.search(r"Cruise terminal opens</a> <span class=\"due\">in [45] days</span>", harbour)
    # A verdict an editor gave, beside the system's.
    assert "Decided by an editor on" in harbour and "Decided by the system on" in harbour


def test_drafts_proposals_and_internal_notes_stay_off_the_home_page(client, record):
    html = page_text(client.get("/"))

    assert record.draft.title not in html
    assert record.proposal.title not in html
    assert INTERNAL not in html


def test_the_layout_has_the_site_name_search_and_links_to_the_api_and_admin(client, demo):
    html = page_text(client.get("/"))

    assert '<a class="brand" href="/">' in html and "Forecast Watch</a>" in html
    assert '<link rel="stylesheet" href="/static/site/site.css">' in html
    assert html.count('role="search"') == 2  # the header's, and the home page's own
    assert '<label for="home-q">Search titles, actors and aliases</label>' in html
    assert '<a href="/api/v1/">API</a>' in html and '<a href="/api/docs/">docs</a>' in html
    assert '<a href="/admin/">Admin, for staff</a>' in html
    for landmark in ("<header", "<main", "<footer", '<nav class="site-nav" aria-label="Main">'):
        assert landmark in html


def test_an_empty_record_says_so(client, db):
    html = page_text(client.get("/"))

    assert "No storylines are on the record yet." in html
