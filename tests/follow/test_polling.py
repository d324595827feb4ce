"""The sweep against the local outlet, in this process, on PostgreSQL: feeds
are fetched when due and not before, with their validators; entries become
articles and sources once, across runs, across feeds and across two sweeps
at once; a feed that fails backs off and says why; the filter and muting
hold. The reader here records what it is handed (the pipeline up to the
article reader); test_worker_and_beat.py runs the real reader in a worker."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection

from follow import services
from follow.models import Article, FeedEntry, FollowedFeed
from tests.builders import make_actor, make_storyline
from timeline import services as timeline
from timeline.models import Source

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 1, 23, 12, 0, tzinfo=timezone.utc)


class Recorder:
    """Stands in for the article reader: keeps what each call was given,
    and says it made one proposal."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls = []

    def __call__(self, **kwargs):
        with self.lock:
            self.calls.append(kwargs)
        return 1

    @property
    def urls(self):
        return sorted(call["url"] for call in self.calls)


@pytest.fixture
def reader():
    return Recorder()


@pytest.fixture
def axios():
    return timeline.outlet_create(name="Axios", slug="axios")


def follow(outlet_server, path, outlet, **fields):
    return services.feed_follow(url=outlet_server.url(path), outlet=outlet, now=NOW, **fields)


def test_an_rss_feed_is_read_once_and_then_asked_with_its_validators(outlet, axios, reader):
    storyline = make_storyline("Gaza ceasefire", slug="gaza")
    feed = follow(outlet, "/feeds/rss.xml", axios, storylines=[storyline])

    sweep = services.poll_due_feeds(now=NOW, reader=reader)
    assert (sweep.feeds_polled, sweep.new_articles, sweep.articles_read, sweep.proposals) == (1, 2, 2, 2)
    assert sweep.errors == []
    assert reader.urls == [outlet.url("/pages/axios-board-of-peace.html"), outlet.url("/pages/blog-nodate.html")]
    call = next(c for c in reader.calls if "axios" in c["url"])
    assert call["published"].isoformat() == "2026-01-06"  # the feed's pubDate
    assert call["title"] == "Scoop: Trump to chair first Board of Peace meeting at Davos"
    assert call["outlet"] == axios and call["storylines"] == [storyline]
    assert "World Economic Forum in Davos on Jan. 23" in call["text"]
    assert "Sign up for Axios AM" not in call["text"]

    source = Source.objects.get(url=outlet.url("/pages/axios-board-of-peace.html"))
    assert (source.outlet, source.published_at) == (axios, datetime(2026, 1, 6, 10, 12, tzinfo=timezone.utc))
    undated = Article.objects.get(url__endswith="blog-nodate.html")
    assert (undated.published_from, undated.published_at) == ("seen", NOW)
    assert "first seen" in undated.note

    feed.refresh_from_db()
    assert feed.etag and feed.last_modified and feed.next_poll_at == NOW + feed.interval
    assert feed.last_outcome == "new"

    # Not due yet: not asked.
    assert services.poll_due_feeds(now=NOW + feed.interval - timedelta(seconds=1), reader=reader).feeds_polled == 0
    # Due: asked with If-None-Match, answered 304, nothing read again.
    outlet.reset()
    again = services.poll_due_feeds(now=NOW + feed.interval, reader=reader)
    assert (again.feeds_polled, again.not_modified, again.new_articles) == (1, 1, 0)
    assert outlet.requests[0].headers["if-none-match"] == feed.etag
    assert [r.path for r in outlet.requests] == ["/feeds/rss.xml"]
    assert len(reader.calls) == 2


def test_an_atom_feed_and_a_changed_feed_give_only_the_new_entries(outlet, axios, reader):
    feed = follow(outlet, "/feeds/atom.xml", axios)
    first = services.poll_due_feeds(now=NOW, reader=reader)
    assert first.new_articles == 3 and first.errors == []
    dates = {c["url"].rsplit("/", 1)[1]: c["published"].isoformat() for c in reader.calls}
    assert dates == {
        "wire-iran-talks.html": "2026-01-08",  # <published>
        "broadcaster-hezbollah.html": "2026-01-12",  # <updated>, the link relative to the feed
        "paywall-gaza-phase-two.html": "2026-01-10",  # no date in the feed: the page's metadata
    }
    assert Article.objects.get(url__endswith="paywall-gaza-phase-two.html").published_from == "page"

    # The feed changes: the same entries and one more (under another id, the same live blog link).
    changed = outlet.feed("atom.xml").replace(b"</feed>", (
        "<entry><title>Davos live</title><id>tag:wire.example,2026:davos-live</id>"
        f"<link href='{outlet.url('/pages/liveblog-davos.html')}'/>"
        "<updated>2026-01-23T07:30:00Z</updated></entry></feed>").encode())
    outlet.set("/feeds/atom.xml", changed)
    later = NOW + feed.interval
    second = services.poll_due_feeds(now=later, reader=reader)
    assert (second.new_articles, second.articles_read) == (1, 1)
    assert len(reader.calls) == 4 and reader.calls[-1]["url"].endswith("liveblog-davos.html")
    assert FeedEntry.objects.filter(feed=feed).count() == 4


def test_a_page_an_editor_pasted_first_keeps_its_source(outlet, axios, reader):
    page = outlet.url("/pages/axios-board-of-peace.html")
    pasted = timeline.source_create(outlet=axios, title="Pasted by an editor", url=page, published_at=NOW)
    follow(outlet, "/feeds/rss.xml", axios)
    sweep = services.poll_due_feeds(now=NOW, reader=reader)
    assert sweep.errors == [] and sweep.articles_read == 2
    assert Article.objects.get(url=page).source == pasted
    assert Source.objects.filter(url=page).get().title == "Pasted by an editor"


def test_the_same_story_in_two_feeds_is_read_once(outlet, axios, reader):
    courier = timeline.outlet_create(name="The Courier", slug="courier")
    follow(outlet, "/feeds/rss.xml", axios)
    follow(outlet, "/feeds/liveblog.xml", courier)
    sweep = services.poll_due_feeds(now=NOW, reader=reader)
    assert sweep.feeds_polled == 2
    assert reader.urls.count(outlet.url("/pages/axios-board-of-peace.html")) == 1
    assert len(reader.calls) == 3
    assert outlet.hits()["/pages/axios-board-of-peace.html"] == 1
    assert FeedEntry.objects.count() == 4 and Article.objects.count() == 3


def test_two_sweeps_at_once_read_nothing_twice(outlet, axios, reader):
    courier = timeline.outlet_create(name="The Courier", slug="courier")
    for path in ("/feeds/rss.xml", "/feeds/atom.xml"):
        follow(outlet, path, axios)
    follow(outlet, "/feeds/liveblog.xml", courier)
    barrier = threading.Barrier(2)
    sweeps, failures = [], []

    def sweep():
        try:
            barrier.wait(timeout=10)
            sweeps.append(services.poll_due_feeds(now=NOW, reader=reader))
        except Exception as exc:  # surfaced below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sum(s.feeds_polled for s in sweeps) == 3
    assert len(reader.urls) == len(set(reader.urls)) == 6
    assert all(hits == 1 for path, hits in outlet.hits().items() if path.startswith("/pages/"))
    assert Source.objects.count() == 6


def test_a_page_another_poll_records_meanwhile_is_one_article(outlet, axios, reader):
    """The poll's new articles go in one insert; when another poll (another
    feed listing the same page) has inserted one of them and not yet
    committed, that insert waits, fails on the unique URL once the other
    commits, and the entries are recorded one by one against the article
    that is there."""
    import time

    feed = follow(outlet, "/feeds/rss.xml", axios)
    page = outlet.url("/pages/axios-board-of-peace.html")
    inserted, release = threading.Event(), threading.Event()
    sweeps, failures = [], []

    def other_poll():
        from django.db import transaction

        try:
            with transaction.atomic():
                Article.objects.create(url=page, outlet=axios, feed=feed, title="Board of Peace", seen_at=NOW)
                inserted.set()
                release.wait(timeout=30)
        except Exception as exc:  # surfaced below
            failures.append(exc)
        finally:
            inserted.set()
            connection.close()

    def this_poll():
        try:
            inserted.wait(timeout=30)
            sweeps.append(services.poll_due_feeds(now=NOW, reader=reader))
        except Exception as exc:  # surfaced below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=other_poll), threading.Thread(target=this_poll)]
    for thread in threads:
        thread.start()
    # Let the other poll commit only once this one waits on its row (a lock wait), so the insert meets it.
    with connection.cursor() as cursor:
        for _ in range(600):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0] or sweeps or failures:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the poll never waited on the other's insert")
    release.set()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == [] and len(sweeps) == 1
    [poll] = sweeps[0].polls
    entries = FeedEntry.objects.filter(feed=feed)
    assert poll.new_entries == entries.count() == 2 and poll.new_articles == 1
    assert Article.objects.filter(url=page).count() == 1
    assert entries.get(article__url=page).article.title == "Board of Peace", "the other poll's article"
    assert len(reader.urls) == len(set(reader.urls)) == 2


def test_two_readers_of_one_article_at_once_read_it_once(outlet, axios, reader):
    """Past the feed's claim (as when two feeds list one story): the
    article's own claim lets one reader through."""
    from follow.services.articles import article_read

    feed = follow(outlet, "/feeds/rss.xml", axios)
    article = Article.objects.create(url=outlet.url("/pages/wire-iran-talks.html"), outlet=axios, feed=feed,
                                     title="Iran", seen_at=NOW)
    barrier = threading.Barrier(2)
    results = []

    def read():
        barrier.wait(timeout=10)
        results.append(article_read(Article.objects.get(pk=article.pk), feed=feed, now=NOW, reader=reader))
        connection.close()

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(r is None for r in results) == [False, True]
    assert len(reader.calls) == 1


def test_failing_feeds_back_off_and_say_why(outlet, axios, reader):
    malformed = follow(outlet, "/feeds/malformed.xml", axios)
    slow = follow(outlet, "/feeds/slow.xml", axios)
    private = follow(outlet, "/feeds/private.xml", axios)
    sweep = services.poll_due_feeds(now=NOW, reader=reader)
    reasons = dict(sweep.errors)
    assert "is not an RSS or Atom feed" in reasons[malformed.url]
    assert "did not answer within 1 s" in reasons[slow.url]
    assert "10.20.30.40" in reasons[private.url] and "may not be fetched" in reasons[private.url]
    assert reader.calls == []
    assert "10.20.30.40" not in str(outlet.requests)

    for feed in (malformed, slow, private):
        feed.refresh_from_db()
        assert (feed.error_count, feed.last_outcome, feed.last_error_at) == (1, "error", NOW)
        assert feed.last_error == reasons[feed.url]
        assert feed.next_poll_at == NOW + 2 * feed.interval
    # The second error in a row doubles the wait again, up to the cap.
    second = services.poll_due_feeds(now=NOW + 2 * malformed.interval, reader=reader)
    assert second.feeds_polled == 3
    malformed.refresh_from_db()
    assert malformed.error_count == 2
    assert malformed.next_poll_at == NOW + 2 * malformed.interval + 4 * malformed.interval
    assert services.polling.backoff(malformed, 30) == timedelta(hours=6)

    # Fixed: the next poll succeeds, the count starts again, the last error stays on view.
    outlet.set("/feeds/malformed.xml", outlet.feed("rss.xml"))
    fixed = services.poll_due_feeds(now=malformed.next_poll_at, reader=reader)
    assert fixed.errors == [] or malformed.url not in dict(fixed.errors)
    malformed.refresh_from_db()
    assert (malformed.error_count, malformed.last_outcome) == (0, "new")
    assert "is not an RSS or Atom feed" in malformed.last_error


def test_a_failed_page_is_tried_again_up_to_three_times(outlet, axios, reader):
    feed = follow(outlet, "/feeds/rss.xml", axios)
    outlet.set("/feeds/rss.xml", outlet.feed("rss.xml").replace(b"/pages/blog-nodate.html", b"/pages/missing.html"))
    first = services.poll_due_feeds(now=NOW, reader=reader)
    assert [url for url, _ in first.errors] == [outlet.url("/pages/missing.html")]
    assert "HTTP 404" in dict(first.errors)[outlet.url("/pages/missing.html")]
    missing = Article.objects.get(url__endswith="missing.html")
    assert missing.state == Article.State.FAILED and "HTTP 404" in missing.note
    # A 404 will not pass by itself: not asked again.
    services.poll_due_feeds(now=NOW + feed.interval, reader=reader)
    assert outlet.hits()["/pages/missing.html"] == 1


def test_the_keyword_and_actor_filter(outlet, axios, reader):
    pezeshkian = make_actor("Masoud Pezeshkian", slug="pezeshkian", aliases=["Pezeshkian"])
    follow(outlet, "/feeds/atom.xml", axios, keywords=["Board of Peace"], actors=[pezeshkian])
    sweep = services.poll_due_feeds(now=NOW, reader=reader)
    assert sorted(u.rsplit("/", 1)[1] for u in reader.urls) == ["paywall-gaza-phase-two.html",
                                                                "wire-iran-talks.html"]
    skipped = Article.objects.get(url__endswith="broadcaster-hezbollah.html")
    assert skipped.state == Article.State.SKIPPED and "none of the feed's keywords" in skipped.note
    assert sweep.errors == []


def test_a_muted_feed_is_not_polled(outlet, axios, reader):
    feed = follow(outlet, "/feeds/rss.xml", axios)
    services.feed_mute(feed=feed)
    assert services.poll_due_feeds(now=NOW, reader=reader).feeds_polled == 0
    assert outlet.requests == []
    services.feed_unmute(feed=feed, now=NOW)
    assert services.poll_due_feeds(now=NOW, reader=reader).feeds_polled == 1


def test_a_claimed_feed_is_not_claimed_again_until_its_lease_ends(outlet, axios):
    feed = follow(outlet, "/feeds/rss.xml", axios)
    assert [f.pk for f in services.claim_due_feeds(now=NOW, limit=10)] == [feed.pk]
    assert services.claim_due_feeds(now=NOW, limit=10) == []
    # The worker died mid-poll: due again once the lease has passed.
    after = NOW + services.polling.LEASE
    assert [f.pk for f in services.claim_due_feeds(now=after, limit=10)] == [feed.pk]
    assert FollowedFeed.objects.get(pk=feed.pk).next_poll_at == after + services.polling.LEASE


def test_a_spent_budget_records_entries_and_the_next_sweep_reads_them_without_asking_again(outlet, axios, reader):
    feed = follow(outlet, "/feeds/atom.xml", axios)
    first = services.poll_due_feeds(now=NOW, reader=reader, budget_seconds=0)
    assert (first.feeds_polled, first.new_articles, first.articles_read) == (1, 3, 0)
    assert Article.objects.filter(state=Article.State.PENDING).count() == 3
    outlet.reset()
    later = services.poll_due_feeds(now=NOW + timedelta(minutes=1), reader=reader)  # the feed is not due yet
    assert (later.feeds_polled, later.articles_read) == (0, 3)
    assert [r.path for r in outlet.requests if r.path.startswith("/feeds/")] == []
    assert len(reader.calls) == 3
    feed.refresh_from_db()
    assert feed.next_poll_at == NOW + feed.interval


def test_a_poll_reads_at_most_its_share_and_the_sweep_reads_the_rest(outlet, axios, reader, monkeypatch):
    monkeypatch.setattr(services.polling, "READS_PER_POLL", 1)
    follow(outlet, "/feeds/atom.xml", axios)
    sweep = services.poll_due_feeds(now=NOW, reader=reader)
    assert (len(sweep.polls[0].articles), len(sweep.leftovers), sweep.articles_read) == (1, 2, 3)
    assert len(reader.calls) == 3


def test_odd_entries_are_kept_out_and_a_fault_reading_one_article_spares_the_rest(outlet, axios, reader):
    long_id = "tag:" + "é" * 1500
    outlet.set("/feeds/odd.xml", (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Odd</title>"
        f"<item><title>Long id</title><guid>{long_id}</guid><link>{outlet.url('/pages/wire-iran-talks.html')}</link></item>"
        "<item><title>No link</title><guid>note-1</guid></item>"
        "<item><title>Mail</title><link>mailto:desk@example.org</link></item>"
        "</channel></rss>").encode())
    odd = follow(outlet, "/feeds/odd.xml", axios)
    follow(outlet, "/feeds/rss.xml", axios)

    def broken(**kwargs):
        if "wire-iran-talks" in kwargs["url"]:
            raise RuntimeError("a bug in the reader")
        return reader(**kwargs)

    sweep = services.poll_due_feeds(now=NOW, reader=broken)
    keys = list(FeedEntry.objects.filter(feed=odd).values_list("key", flat=True))
    assert any(key.startswith("sha256:") for key in keys) and not any("mailto" in key for key in keys)
    failed = Article.objects.get(url__endswith="wire-iran-talks.html")
    assert failed.state == Article.State.FAILED and "RuntimeError: a bug in the reader" in failed.note
    assert failed.attempts == 1  # tried again by a later sweep, not by this one
    assert len(reader.calls) == 2  # the other feed's articles were read
    assert sweep.feeds_polled == 2


class MovedUnderneath(Recorder):
    """Stands in for the article reader when another writer moves an item
    the article cites between the reader's read and its write: the first
    `times` calls end as timeline's services end them then, in StaleRevision
    (the real race is run by test_worker_and_beat.py, two worker processes
    reading two reports of Davos at once)."""

    def __init__(self, times: int):
        super().__init__()
        self.times = times

    def __call__(self, **kwargs):
        super().__call__(**kwargs)
        if len(self.calls) <= self.times:
            from core.errors import StaleRevision

            raise StaleRevision(expected=3, current=4)
        return 1


def test_a_reading_that_meets_a_moved_item_is_read_again_from_the_page_already_fetched(outlet, axios):
    follow(outlet, "/feeds/rss.xml", axios)
    reader = MovedUnderneath(times=1)

    services.poll_due_feeds(now=NOW, reader=reader)

    articles = list(Article.objects.order_by("url"))
    assert [a.state for a in articles] == [Article.State.READ, Article.State.READ]
    assert len(reader.calls) == 3  # the first reading again, then the second article once
    assert outlet.hits()["/pages/axios-board-of-peace.html"] == 1, "the page was fetched again"


def test_a_reading_that_keeps_meeting_moved_items_fails_and_says_why(outlet, axios):
    follow(outlet, "/feeds/rss.xml", axios)
    reader = MovedUnderneath(times=99)

    services.poll_due_feeds(now=NOW, reader=reader)

    assert {a.state for a in Article.objects.all()} == {Article.State.FAILED}
    assert all("changed since you read it" in a.note for a in Article.objects.all())
