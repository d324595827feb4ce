"""Reading the same article twice proposes nothing twice; a failed reading
leaves nothing behind; bad input is a clear InvalidInput naming its field."""

from datetime import date, datetime

import pytest

from core.errors import InvalidInput
from reading import services as reading_services
from reading.models import ArticleReading
from reading.services import read_article
from timeline.models import Change, Citation, Item, Source

from .reader_helpers import NOW, PUBLISHED, article_text, make_reference

pytestmark = pytest.mark.django_db

URL = "https://www.axios.com/2025/12/30/netanyahu-trump"


def counts():
    return (Item.objects.count(), Citation.objects.count(), Change.objects.count(), Source.objects.count(),
            ArticleReading.objects.count())


def test_the_same_article_twice_is_read_once():
    ref = make_reference()
    first = read_article(text=article_text(), published=PUBLISHED, outlet=ref["axios"], url=URL, now=NOW)
    after_first = counts()
    # Pasted again with other line breaks and spacing: the same words, the same article.
    again = read_article(text=article_text().replace("\n\n", "\n").replace(". ", ".  "), published=PUBLISHED,
                         outlet=ref["axios"], url=URL, now=NOW)
    assert counts() == after_first
    assert again.already_read and again.article.pk == first.article.pk
    assert [(e.action, e.item.pk, e.citation.pk) for e in again.entries] == [
        (e.action, e.item.pk, e.citation.pk) for e in first.entries]
    assert "already read" in again.summary()


def test_the_same_text_at_another_address_cites_what_the_first_proposed():
    """Another URL is another reading (syndication), but not a second set of items."""
    ref = make_reference()
    first = read_article(text=article_text(), published=PUBLISHED, outlet=ref["axios"], url=URL, now=NOW)
    items = Item.objects.count()
    second = read_article(text=article_text(), published=PUBLISHED, outlet=ref["reuters"],
                          url="https://www.reuters.com/syndicated", now=NOW)
    assert Item.objects.count() == items
    assert not second.created and len(second.cited) == 13
    assert {e.item.pk for e in second.cited} == {e.item.pk for e in first.created}
    assert Citation.objects.filter(source__url="https://www.reuters.com/syndicated").count() == 13


def test_pasted_text_without_a_url_has_a_source_of_its_own():
    make_reference()
    reading = read_article(text=article_text(), published=PUBLISHED, now=NOW)
    assert reading.source.url.startswith("https://pasted-article.invalid/")
    assert reading.source.outlet.name == "Unknown outlet"
    assert reading.source.title.startswith("Source: Axios")
    again = read_article(text=article_text(), published=PUBLISHED, now=NOW)
    assert again.already_read and again.source.pk == reading.source.pk


def test_a_failed_reading_leaves_nothing(monkeypatch):
    """A failure halfway (here the matcher, made to fail after some items were written) rolls it all back,
    so the retry reads the article afresh."""
    ref = make_reference()
    calls = {"n": 0}
    real = reading_services.matching.best_match

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(reading_services.matching, "best_match", failing)
    before = counts()
    with pytest.raises(RuntimeError):
        read_article(text=article_text(), published=PUBLISHED, outlet=ref["axios"], url=URL, now=NOW)
    assert counts() == before
    monkeypatch.setattr(reading_services.matching, "best_match", real)
    assert len(read_article(text=article_text(), published=PUBLISHED, outlet=ref["axios"], url=URL,
                            now=NOW).created) == 13


@pytest.mark.parametrize("changes, field", [
    ({"text": ""}, "text"),
    ({"text": "   \n "}, "text"),
    ({"text": "x" * 200_001}, "text"),
    ({"published": "2025-12-30"}, "published"),
    ({"published": None}, "published"),
    ({"url": "ftp://example.org/a"}, "url"),
    ({"url": "https://example.org/" + "a" * 500}, "url"),
    ({"title": "t" * 301}, "title"),
    ({"outlet": "axios"}, "outlet"),
    ({"storyline": "gaza-ceasefire"}, "storyline"),
    ({"zone": "Nowhere/Else"}, "zone"),
    ({"now": datetime(2025, 12, 30, 12, 0)}, "now"),
])
def test_bad_input_names_its_field(changes, field):
    arguments = {"text": "Trump met Netanyahu on Monday.", "published": date(2025, 12, 30), "now": NOW, **changes}
    with pytest.raises(InvalidInput) as raised:
        read_article(**arguments)
    assert list(raised.value.fields) == [field]
    assert not ArticleReading.objects.exists() and not Item.objects.exists()
