"""Search: words in titles, actors' names and aliases; and the filters that
the track records and scoreboards link to."""

import re
from html import unescape

import pytest

from tests.pages.conftest import page_text

pytestmark = pytest.mark.django_db


def titles(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<h3 class="item-line__title"><a href="[^"]+">(.*?)</a></h3>', html)]


def test_words_of_a_title(client, demo):
    html = page_text(client.get("/search/?q=board of peace"))

    found = titles(html)
    assert "The Gaza Board of Peace holds its first meeting, chaired by Trump, in Davos" in found
    assert all("board of peace" in t.lower() for t in found)
    assert '<input id="search-q" type="search" name="q" value="board of peace"' in html


def test_an_alias_finds_the_actor_and_the_items_that_name_them(client, demo):
    html = page_text(client.get("/search/?q=Bibi"))

    actors = html[html.index('id="actors-heading"'):html.index('id="results-heading"')]
    assert '<a href="/actors/benjamin-netanyahu/">Benjamin Netanyahu</a>' in actors
    found = titles(html)
    assert "Netanyahu and Trump meet; Netanyahu agrees to move to phase two of the Gaza ceasefire" in found
    assert "Trump will let Israel take military action against Hamas" in found  # names Netanyahu; not in the title
    assert len(found) == 3


def test_an_actors_name_in_another_case(client, demo):
    found = titles(page_text(client.get("/search/?q=revolutionary guards")))
    assert found == ["Israeli officials warn that an IRGC missile exercise could hide a strike"]


def test_filters_combine(client, demo):
    html = page_text(client.get("/search/?reported_by=axios&kind=expectation&status=missed&year=2026"))

    assert len(titles(html)) == 2
    assert "Showing expectations, missed, reported by Axios, deadline in 2026." in html
    assert titles(page_text(client.get("/search/?storyline=gaza-ceasefire&status=overdue"))) == [
        "Trump announces phase two of the Gaza ceasefire, the Board of Peace and the technocratic government",
        "The Gaza Board of Peace holds its first meeting, chaired by Trump, in Davos",
    ]
    assert titles(page_text(client.get("/search/?holder=masoud-pezeshkian"))) == [
        'Iran will respond "harshly" to any act of aggression']
    assert len(titles(page_text(client.get("/search/?actor=hamas")))) == 2


def test_drafts_never_appear(client, record):
    assert titles(page_text(client.get("/search/?q=secret"))) == []
    assert record.draft.title not in page_text(client.get("/search/?actor=port-authority"))


def test_a_filter_naming_nothing_is_not_found(client, db):
    assert client.get("/search/?actor=no-such-actor").status_code == 404
    assert client.get("/search/?reported_by=no-such-outlet").status_code == 404


def test_no_words_no_filters_shows_the_form_and_no_list(client, demo):
    html = page_text(client.get("/search/"))
    assert "Type a few words" in html and 'id="results-heading"' not in html
    # Unknown values are ignored rather than an error.
    assert 'id="results-heading"' not in page_text(client.get("/search/?status=bogus&kind=bogus&year=soon"))


def test_nothing_found(client, demo):
    html = page_text(client.get("/search/?q=zzzz-nothing"))
    assert "Nothing on the record matches." in html and '<h2 id="results-heading">0 items</h2>' in html
