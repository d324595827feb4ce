"""Two readings of the same article at the same moment (two editors pasting
it, or a feed and an editor) make one reading and one set of proposals, on
PostgreSQL where the second waits on the first's row locks.

The two threads are made to reach the first write together by a barrier
wrapped around the service's source step: a synchronisation hook, not a
mock; everything behind it runs for real."""

import threading

import pytest
from django.db import connection

from reading import services as reading_services
from reading.models import ArticleReading
from reading.services import read_article
from timeline.models import Item, Source

from .reader_helpers import NOW, PUBLISHED, article_text, make_reference


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", ["https://www.axios.com/same-article", None], ids=["with-url", "pasted"])
def test_two_readings_at_once_make_one(monkeypatch, url):
    make_reference()
    barrier = threading.Barrier(2, timeout=20)
    real_source = reading_services._source

    def together(**kwargs):
        barrier.wait()
        return real_source(**kwargs)

    monkeypatch.setattr(reading_services, "_source", together)
    results, errors = [], []

    def read():
        try:
            results.append(read_article(text=article_text(), published=PUBLISHED, url=url, now=NOW))
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert ArticleReading.objects.count() == 1 and Source.objects.count() == 1
    assert Item.objects.filter(editorial_state="proposed").count() == 13
    assert sorted(r.already_read for r in results) == [False, True]
    first, second = results
    assert {e.item.pk for e in first.entries} == {e.item.pk for e in second.entries}
