"""Followed feeds end to end: a real Celery beat sends `follow.tasks.poll_feeds`
(on a one-second tick here), a real worker polls the feeds of the local
outlet and reads their articles into proposals with the real reader. Every
address is 127.0.0.1 or an IP literal, so the worker resolves no name; its
guard allows 127.0.0.1/32 only, so the redirect to 10.20.30.40 is refused
before any connection.

The sweeps run on a two-second budget, so a burst of articles outlasts one
and is finished by later ticks or the reading tasks a sweep sends
(test_tasks.py shows those in this process).

Asserted: the proposals of each article, each page fetched once whatever the
number of feeds and ticks, the 304 of a feed asked again, and the errors of
the malformed, slow and redirecting feeds, on view with their reasons.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from follow import services
from follow.models import Article, FollowedFeed
from tests.conftest import DEFAULT_TEST_REDIS_URL, connect_test_redis, service_unavailable
from tests.integration.support import (
    _DIE_WITH_PARENT, CELERY, BASE_DIR, Worker, database_url, wait_for_idle_broker, wait_until,
)
from timeline import services as timeline
from timeline.models import Item, Source

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def processes(outlet_server, tmp_path, settings):
    """A worker and a beat on the tests' Redis, sharing the test database."""
    from django.db import connection

    if connection.vendor != "postgresql":
        service_unavailable("the worker shares the test database, which must be PostgreSQL")
    url = os.environ.get("TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)
    client = connect_test_redis(url)
    client.flushdb()
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("DJANGO_", "CELERY_", "FW_", "EMAIL_", "DATABASE_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": url,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "FW_VAR_DIR": str(tmp_path / "var"),
        "FW_SWEEP_INTERVAL_SECONDS": "1",
        "FW_FOLLOW_ALLOWED_NETWORKS": "127.0.0.1/32",
        "FW_FOLLOW_TIMEOUT": "1",
        # A short budget, so that sweeps leave articles waiting and send reading tasks.
        "FW_SWEEP_BUDGET_SECONDS": "2",
        "PYTHONUNBUFFERED": "1",
    })
    (tmp_path / "var").mkdir()
    worker = Worker(env=env, log_path=tmp_path / "worker.log", name="follow@%h")
    worker.start()
    beat_log = (tmp_path / "beat.log").open("ab")
    beat = subprocess.Popen(
        [sys.executable, "-c", _DIE_WITH_PARENT, str(CELERY), "-A", "config", "beat", "--loglevel", "INFO",
         "-s", str(tmp_path / "var" / "beat-schedule")],
        cwd=BASE_DIR, env=env, stdin=subprocess.DEVNULL, stdout=beat_log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield worker, beat, client
    finally:
        beat.terminate()
        try:
            beat.wait(timeout=10)
        except subprocess.TimeoutExpired:
            beat.kill()
        beat_log.close()
        try:
            wait_for_idle_broker(client, timeout=60, what="the worker to finish the last sweep")
        finally:
            worker.stop()
            client.flushdb()
            client.close()


def test_beat_and_worker_read_followed_feeds_into_proposals(outlet, processes):
    worker, beat, _client = processes
    now = timezone.now()
    axios = timeline.outlet_create(name="Axios", slug="axios")
    wire = timeline.outlet_create(name="Wire", slug="wire")
    courier = timeline.outlet_create(name="The Courier", slug="courier")
    follow = {path: services.feed_follow(url=outlet.url(path), outlet=o, now=now) for path, o in [
        ("/feeds/rss.xml", axios), ("/feeds/atom.xml", wire), ("/feeds/liveblog.xml", courier),
        ("/feeds/always-304.xml", axios), ("/feeds/malformed.xml", wire), ("/feeds/slow.xml", wire),
        ("/feeds/private.xml", wire),
    ]}
    feeds = FollowedFeed.objects.all()

    def all_polled():
        return feeds.filter(last_polled_at__isnull=False).count() == len(follow) and not Article.objects.filter(
            state__in=[Article.State.PENDING, Article.State.READING]).exists()

    wait_until(all_polled, timeout=90, what="the worker to poll every feed and read every article",
               seen=lambda: (list(feeds.values_list("url", "last_outcome")), worker.tail(30)))

    # Every article of the fixture feeds, read once, with proposals citing its source.
    pages = ["axios-board-of-peace", "blog-nodate", "wire-iran-talks", "broadcaster-hezbollah",
             "paywall-gaza-phase-two", "liveblog-davos"]
    articles = {a.url.rsplit("/", 1)[1].removesuffix(".html"): a for a in Article.objects.all()}
    assert sorted(articles) == sorted(pages)
    for name, article in articles.items():
        assert article.state == Article.State.READ, (name, article.note)
        assert article.proposals > 0, name
        proposed = Item.objects.filter(citations__source=article.source).distinct()
        assert proposed.count() == article.proposals, name
        assert set(proposed.values_list("editorial_state", flat=True)) == {Item.EditorialState.PROPOSED}
    assert Source.objects.count() == len(pages)
    davos = Item.objects.filter(citations__source__url__endswith="axios-board-of-peace.html", when_text="on Jan. 23")
    assert any("Board of Peace" in item.title for item in davos)

    # The failures, on view.
    errors = dict(feeds.filter(last_outcome="error").values_list("url", "last_error"))
    assert set(errors) == {outlet.url(p) for p in ("/feeds/malformed.xml", "/feeds/slow.xml", "/feeds/private.xml")}
    assert "is not an RSS or Atom feed" in errors[outlet.url("/feeds/malformed.xml")]
    assert "did not answer within 1 s" in errors[outlet.url("/feeds/slow.xml")]
    assert "10.20.30.40" in errors[outlet.url("/feeds/private.xml")]
    assert "outside the networks followed feeds may reach" in errors[outlet.url("/feeds/private.xml")]

    # Ticks go on every second; nothing is asked again before its interval...
    hits = outlet.hits()
    assert all(count == 1 for path, count in hits.items() if path.startswith("/pages/")), hits
    assert hits["/feeds/rss.xml"] == 1
    # ...and once it is due again (its next poll moved to the past, as time
    # passing would), the feed is asked with its validators and answers 304.
    quiet = follow["/feeds/always-304.xml"]
    FollowedFeed.objects.filter(pk=quiet.pk).update(next_poll_at=timezone.now() - timedelta(seconds=1))
    wait_until(lambda: FollowedFeed.objects.get(pk=quiet.pk).last_outcome == "not_modified", timeout=30,
               what="the feed asked again to answer 304",
               seen=lambda: FollowedFeed.objects.filter(pk=quiet.pk).values_list("last_outcome", "last_error"))
    asked = [r for r in outlet.requests if r.path == "/feeds/always-304.xml"]
    assert len(asked) == 2 and "if-none-match" in asked[1].headers and asked[1].status == 304
    assert all(count == 1 for path, count in outlet.hits().items() if path.startswith("/pages/"))
    assert beat.poll() is None, "beat died"
