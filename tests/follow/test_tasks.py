"""The tasks, called in this process: a sweep that runs out of budget
leaves its articles waiting and sends reading tasks for them (caught as
they are published, to the test settings' in-memory broker); a reading task
reads them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from celery.signals import after_task_publish

from follow import services, tasks
from follow.models import Article
from timeline import services as timeline

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 1, 23, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def sent():
    names = []

    def record(sender=None, headers=None, **kwargs):
        names.append((headers or {}).get("task", sender))

    after_task_publish.connect(record, weak=False)
    yield names
    after_task_publish.disconnect(record)


def test_a_sweep_out_of_budget_sends_readers_and_they_read(outlet, settings, sent):
    settings.SWEEP_BUDGET_SECONDS = 0
    settings.FW_FOLLOW_READERS = 2
    settings.FW_FOLLOW_BATCH = 2
    wire = timeline.outlet_create(name="Wire", slug="wire")
    services.feed_follow(url=outlet.url("/feeds/atom.xml"), outlet=wire, now=NOW)

    swept = tasks.poll_feeds(NOW.isoformat())
    assert (swept["feeds_polled"], swept["new_articles"], swept["articles_read"]) == (1, 3, 0)
    assert sent.count("follow.tasks.read_articles") == 2  # 3 waiting, batches of 2, at most 2 readers

    settings.SWEEP_BUDGET_SECONDS = 30
    read = tasks.read_articles(NOW.isoformat())
    assert read["articles_read"] == 3 and read["errors"] == [] and read["proposals"] > 0
    assert not Article.objects.exclude(state=Article.State.READ).exists()
    sent.clear()
    assert tasks.poll_feeds(NOW.isoformat())["feeds_polled"] == 0
    assert sent == []  # nothing waits: no reader sent
