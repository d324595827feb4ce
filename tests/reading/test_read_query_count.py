"""Reading an article costs the same number of queries on a record of 10
items as on one of 500: the matcher reads its candidates once per article
(reading.matching.Pool), not once per draft, and nothing else reads the
record item by item. A count, not a time (speed is in benchmarks/)."""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from reading.services import read_article
from timeline import services
from timeline.models import SYSTEM, Item

from tests.builders import day_when

from .reader_helpers import NOW, PUBLISHED, article_text, make_reference

pytestmark = pytest.mark.django_db

URL = "https://www.axios.com/2025/12/30/query-count"


def fill(ref: dict, start: int, stop: int) -> None:
    """Items the article does not report (words of their own), but of its
    kinds, actors and storyline: every one is a candidate the matcher reads."""
    actors = list(ref["actors"].values())
    storyline = next(iter(ref["storylines"].values()))
    for n in range(start, stop):
        services.item_create(
            kind=(Item.Kind.EVENT, Item.Kind.MILESTONE)[n % 2], by=SYSTEM, now=NOW,
            title=f"Ruritanian quarry inspection number {n} in Zembla province",
            when=day_when(date(2024, 1, 1) + timedelta(days=n)), storylines=[storyline],
            actors=[actors[n % len(actors)]] if n % 3 else [],
            editorial_state=Item.EditorialState.PUBLISHED if n % 4 else Item.EditorialState.PROPOSED,
        )


def queries_of_a_reading(ref: dict) -> tuple[int, str]:
    """The queries of one read_article, undone afterwards so the next
    reading meets the same record plus the filler only."""
    with CaptureQueriesContext(connection) as captured:
        with transaction.atomic():
            reading = read_article(text=article_text(), published=PUBLISHED, outlet=ref["axios"], url=URL,
                                   storyline=next(iter(ref["storylines"].values())), now=NOW)
            summary = reading.summary()
            transaction.set_rollback(True)
    return len(captured), summary


def test_the_queries_of_a_reading_do_not_grow_with_the_record():
    ref = make_reference()
    fill(ref, 0, 10)
    assert Item.objects.count() == 10
    on_10, summary_10 = queries_of_a_reading(ref)
    fill(ref, 10, 500)
    assert Item.objects.count() == 500
    on_500, summary_500 = queries_of_a_reading(ref)
    assert summary_10 == summary_500  # the filler changes nothing the reading proposes
    assert "13 proposed" in summary_10
    assert on_10 == on_500, (on_10, on_500)
