"""A sweep keeps what the matcher's pools read (reading.matching.pools_kept):
each article's pool then reads the same candidates as one read afresh from
the database, whatever was written between the articles (by the readings
themselves, by an editor, by a reading that rolled back), in one query when
nothing moved.

Committed data (transaction=True): what a reading wrote is kept only once its
transaction commits."""

from datetime import date, datetime, timezone

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from reading import matching
from reading.services import read_article
from timeline import services
from timeline.demo import load_demo
from timeline.models import Item, Milestone, Source

from .reader_helpers import NOW, PUBLISHED, article_text, make_reference

pytestmark = pytest.mark.django_db(transaction=True)

LATER = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
DAVOS_AGAIN = (
    "Trump will chair the first meeting of the Gaza Board of Peace in Davos on Jan. 23, two people familiar "
    "with the plans said. The board was set up under the Gaza ceasefire agreement."
)


def candidates(pool: matching.Pool) -> dict:
    """What the matcher compares, kind by kind in the pool's order."""
    return {kind: [(k.item.pk, k.item.revision, k.item.title, k.item.status, k.item.when.as_dict(),
                    frozenset(k.actor_ids), frozenset(k.storyline_ids), frozenset(k.texts))
                   for k in pool.candidates(kind=kind, actor_ids=set())]
            for kind in matching.Pool.KINDS}


def fresh() -> dict:
    """A pool read from the database now, outside any sweep's keeping."""
    token = matching._kept.set(None)
    try:
        return candidates(matching.Pool())
    finally:
        matching._kept.reset(token)


@pytest.fixture
def record():
    ref = make_reference()
    load_demo(now=NOW)
    return ref


def test_each_article_of_a_sweep_reads_what_a_fresh_pool_reads(record, editor):
    with matching.pools_kept():
        first = read_article(text=article_text(), published=PUBLISHED, outlet=record["axios"],
                             url="https://example.org/again", now=NOW)
        assert len(first.cited) == 13 and not first.created
        assert candidates(matching.Pool()) == fresh(), "after the readings' own citations"

        second = read_article(text=DAVOS_AGAIN, published=date(2026, 1, 5), outlet=record["reuters"],
                              url="https://www.reuters.com/world/board-of-peace-davos", now=LATER)
        assert [e.item.pk for e in second.cited] == [Milestone.objects.get(title__contains="first meeting").pk]
        assert candidates(matching.Pool()) == fresh()

        # An editor's writes between two articles: a title, a retraction, a citation of another source.
        renamed, retracted = Item.objects.in_record().order_by("pk")[:2]
        services.item_edit(item=renamed, by=editor, now=LATER, title="Talks on the quarry, renamed")
        services.item_retract(item=retracted, by=editor, now=LATER, reason="A duplicate.")
        services.citation_add(item=Item.objects.in_record().order_by("pk")[2], by=editor, now=LATER,
                              source=Source.objects.first(), attribution="an aide", quote="Quarry talks resumed.")
        assert candidates(matching.Pool()) == fresh(), "another writer's changes are read again"


def test_a_reading_rolled_back_leaves_nothing_in_the_kept_pool(record, editor):
    """Its citation of Davos undone, then an editor's citation bringing Davos
    to the very revision the reading had given it: the kept pool must hold
    the editor's quote, not the reading's."""
    davos = Milestone.objects.get(title__contains="first meeting")
    with matching.pools_kept():
        candidates(matching.Pool())
        with transaction.atomic():
            reading = read_article(text=DAVOS_AGAIN, published=date(2026, 1, 5), outlet=record["reuters"],
                                   url="https://www.reuters.com/rolled-back", now=LATER)
            assert [(e.item.pk, e.item.revision) for e in reading.cited] == [(davos.pk, davos.revision + 1)]
            transaction.set_rollback(True)
        services.citation_add(item=davos, source=Source.objects.first(), by=editor, now=LATER,
                              attribution="an aide", quote="The Davos meeting stands.")
        assert Milestone.objects.get(pk=davos.pk).revision == reading.cited[0].item.revision
        assert candidates(matching.Pool()) == fresh()


def test_a_kept_pool_asks_only_for_revisions_when_nothing_moved(record, editor):
    with matching.pools_kept():
        with CaptureQueriesContext(connection) as first:
            candidates(matching.Pool())
        with CaptureQueriesContext(connection) as unchanged:
            candidates(matching.Pool())
        services.item_edit(item=Item.objects.in_record().first(), by=editor, now=LATER, title="Renamed")
        with CaptureQueriesContext(connection) as moved:
            candidates(matching.Pool())
    assert (len(first), len(unchanged), len(moved)) == (4, 1, 5)


def test_outside_a_sweep_each_pool_reads_the_record(record):
    for _ in range(2):
        with CaptureQueriesContext(connection) as read:
            candidates(matching.Pool())
        assert len(read) == 4
