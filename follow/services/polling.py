"""The sweep: poll the feeds that are due, and read their new articles.

Claims. A feed is due when `next_poll_at <= now` and it is not muted. A sweep
claims each due feed with a conditional UPDATE (`next_poll_at` moved to the
end of a lease, on the condition that it still holds the value the sweep
read), so two sweeps at once never poll the same feed: on PostgreSQL the
second UPDATE waits for the first's row lock, re-reads the row and matches
nothing. A worker that dies mid-poll leaves the feed due again when its lease
ends. After the poll, `next_poll_at` is the next due time: `interval` after
this poll, or after errors a backoff (the interval doubled per error in a
row, at most FW_FOLLOW_MAX_BACKOFF), never sooner than the interval.

Reads. A poll reads at most READS_PER_POLL of its feed's articles, and
none once the sweep's budget is spent; what is left is read by the sweep's
second part (read_pending_articles) or the next sweep, without asking the
feed again before its interval.

Entries. Each entry is recorded once per (feed, key), key its id else its
link, by an INSERT the unique constraint guards (one for the poll's new
entries, one for their new articles; one by one when another poll wrote
some of the same rows meanwhile); its article (by URL) is created once
whatever the number of feeds listing it. An article is read
by whoever claims it (pending or failed -> reading, conditional on the
attempts it had), so two sweeps reading the same story from two feeds read it
once. The feed's validators (ETag, Last-Modified) are stored only after its
entries are recorded, so a poll cut short is redone in full next time, and
what it had already recorded is not recorded again.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin

import feedparser
from celery.exceptions import SoftTimeLimitExceeded
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from core.clock import require_aware
from reading.matching import pools_kept

from .. import conf
from ..fetch import FEED_ACCEPT, FetchError, fetch
from ..models import Article, FeedEntry, FollowedFeed
from .articles import MAX_ATTEMPTS, ArticleRead, article_read

log = logging.getLogger(__name__)

# How long a claimed feed is out of other sweeps' sight: far longer than
# one poll takes (a feed and a handful of pages, each under the timeout).
LEASE = timedelta(minutes=10)
# The newest entries of a feed that one poll looks at: feeds list 10 to 50.
MAX_ENTRIES = 100
# Articles one poll reads before moving on to the next feed; the rest wait
# (pending) for the sweep's second part, or the next sweep, without asking
# the feed again before its interval.
READS_PER_POLL = 10
# What the unique indexes can hold (a PostgreSQL btree row is at most ~2.7 kB).
MAX_KEY_BYTES = 1000
MAX_LINK_BYTES = 2000


@dataclass
class FeedPoll:
    """What one poll of one feed did."""

    feed_id: int
    url: str
    outcome: str = ""  # new, unchanged, not_modified, error
    error: str = ""
    new_entries: int = 0
    new_articles: int = 0
    articles: list[ArticleRead] = field(default_factory=list)

    @property
    def proposals(self) -> int:
        return sum(a.proposals for a in self.articles)

    @property
    def article_errors(self) -> list[tuple[str, str]]:
        return [(a.url, a.error) for a in self.articles if a.error]


@dataclass
class Sweep:
    """What a sweep did, for the task's result and the command's summary:
    each feed polled, and the articles left by earlier polls read after them."""

    polls: list[FeedPoll] = field(default_factory=list)
    leftovers: list[ArticleRead] = field(default_factory=list)

    @property
    def reads(self) -> list[ArticleRead]:
        return [a for p in self.polls for a in p.articles] + self.leftovers

    @property
    def feeds_polled(self) -> int:
        return len(self.polls)

    @property
    def not_modified(self) -> int:
        return sum(1 for p in self.polls if p.outcome == "not_modified")

    @property
    def new_articles(self) -> int:
        return sum(p.new_articles for p in self.polls)

    @property
    def articles_read(self) -> int:
        return sum(1 for a in self.reads if a.state == Article.State.READ)

    @property
    def proposals(self) -> int:
        return sum(a.proposals for a in self.reads)

    @property
    def errors(self) -> list[tuple[str, str]]:
        """(URL, reason) of every feed and article that failed."""
        found = []
        for poll in self.polls:
            if poll.error:
                found.append((poll.url, poll.error))
            found.extend(poll.article_errors)
        found.extend((a.url, a.error) for a in self.leftovers if a.error)
        return found

    def as_dict(self) -> dict:
        return {"feeds_polled": self.feeds_polled, "not_modified": self.not_modified,
                "new_articles": self.new_articles, "articles_read": self.articles_read,
                "proposals": self.proposals, "errors": [{"url": u, "reason": r} for u, r in self.errors]}


def claim_due_feeds(*, now: datetime, limit: int) -> list[FollowedFeed]:
    """Claim up to `limit` due feeds (oldest due first) for this sweep."""
    now = require_aware(now)
    due = list(FollowedFeed.objects.filter(muted=False, next_poll_at__lte=now)
               .order_by("next_poll_at", "pk").values_list("pk", "next_poll_at")[:limit])
    claimed = []
    for pk, next_poll_at in due:
        won = FollowedFeed.objects.filter(pk=pk, muted=False, next_poll_at=next_poll_at).update(
            next_poll_at=now + LEASE)
        if won == 1:
            claimed.append(pk)
    # The feed's storylines and actors (its filter and where proposals are filed) read once for the
    # poll, as its keywords and mutes are, not once per article.
    return list(FollowedFeed.objects.filter(pk__in=claimed).select_related("outlet")
                .prefetch_related("storylines", "actors").order_by("pk"))


def poll_due_feeds(
    *, now: datetime, limit: int | None = None, resolver=None, reader: Callable | None = None,
    progress: Callable[[FeedPoll], None] | None = None, claimed: Callable[[int], None] | None = None,
    budget_seconds: float | None = None,
) -> Sweep:
    """One batch: claim the due feeds and poll each, then read articles
    earlier polls left pending, while the budget (FW_SWEEP_BUDGET_SECONDS)
    lasts: once it is spent, polls still record their entries but read
    nothing, so the task ends well inside Celery's time limit and the next
    tick goes on. `claimed` is told how many feeds were claimed, `progress`
    is called after each (the command's progress bar)."""
    deadline = time.monotonic() + (conf.budget() if budget_seconds is None else budget_seconds)
    sweep = Sweep()
    feeds = claim_due_feeds(now=now, limit=limit or conf.batch())
    if claimed is not None:
        claimed(len(feeds))
    with pools_kept():  # the matcher's candidates read once for the sweep, then only what moved
        _poll_and_read(feeds, sweep, now=now, limit=limit, resolver=resolver, reader=reader, progress=progress,
                       deadline=deadline)
    return sweep


def _poll_and_read(feeds, sweep: Sweep, *, now, limit, resolver, reader, progress, deadline) -> None:
    for feed in feeds:
        try:
            poll = poll_feed(feed, now=now, resolver=resolver, reader=reader, deadline=deadline)
        except SoftTimeLimitExceeded:
            raise
        except Exception as exc:  # a fault of ours in one feed must not stop the others
            log.exception("follow: polling %s failed", feed.url)
            poll = _failed(feed, FeedPoll(feed_id=feed.pk, url=feed.url), now=now,
                           error=f"Polling failed ({type(exc).__name__}: {exc}).")
        sweep.polls.append(poll)
        if progress is not None:
            progress(sweep.polls[-1])
    sweep.leftovers = read_pending_articles(now=now, limit=limit or conf.batch(), resolver=resolver, reader=reader,
                                            deadline=deadline)


def articles_waiting(*, now: datetime) -> int:
    """How many articles of unmuted feeds wait to be read (or read again)."""
    return _readable(now).filter(feed__muted=False).count()


def read_pending_articles(*, now: datetime, limit: int, resolver=None, reader: Callable | None = None,
                          deadline: float | None = None) -> list[ArticleRead]:
    """Read articles of unmuted feeds that earlier polls recorded but did not
    read (or whose page failed for a reason that may pass), oldest first."""
    done = []
    candidates = (_readable(now).filter(feed__muted=False).select_related("feed", "feed__outlet")
                  .prefetch_related("feed__storylines", "feed__actors"))
    with pools_kept():
        for article in candidates.order_by("seen_at", "pk")[:limit]:
            if deadline is not None and time.monotonic() >= deadline:
                break
            result = article_read(article, feed=article.feed, now=now, resolver=resolver, reader=reader)
            if result is not None:
                done.append(result)
    return done


def poll_feed(feed: FollowedFeed, *, now: datetime, resolver=None, reader: Callable | None = None,
              deadline: float | None = None) -> FeedPoll:
    """Fetch one (claimed) feed, record its new entries, read their articles."""
    now = require_aware(now)
    poll = FeedPoll(feed_id=feed.pk, url=feed.url)
    try:
        fetched = fetch(feed.url, accept=FEED_ACCEPT, etag=feed.etag, last_modified=feed.last_modified,
                        resolver=resolver)
        if fetched.not_modified:
            poll.outcome = "not_modified"
        else:
            entries = _entries(fetched.body, url=fetched.url, content_type=fetched.content_type)
    except FetchError as exc:
        return _failed(feed, poll, now=now, error=exc.message)
    except NotAFeed as exc:
        return _failed(feed, poll, now=now, error=str(exc))

    if not poll.outcome:
        poll.new_entries, poll.new_articles = _record_all(feed, entries[:MAX_ENTRIES], now=now)
        poll.outcome = "new" if poll.new_entries else "unchanged"
    # Articles of this feed still to read: the new ones, and earlier ones
    # whose page failed for a reason that may pass (up to MAX_ATTEMPTS).
    with pools_kept():
        for article in _readable(now).filter(feed=feed).order_by("seen_at", "pk")[:READS_PER_POLL]:
            if deadline is not None and time.monotonic() >= deadline:
                break
            result = article_read(article, feed=feed, now=now, resolver=resolver, reader=reader)
            if result is not None:
                poll.articles.append(result)

    # A 304 hands back the validators sent (or new ones), so both cases store what fetch returned.
    FollowedFeed.objects.filter(pk=feed.pk).update(
        next_poll_at=now + feed.interval, last_polled_at=now, last_outcome=poll.outcome, error_count=0,
        etag=fetched.etag[:500], last_modified=fetched.last_modified[:100],
    )
    return poll


# -- The feed's entries ----------------------------------------------------------------

class NotAFeed(Exception):
    pass


@dataclass(frozen=True)
class Entry:
    key: str
    link: str
    title: str
    published_at: datetime | None


def _entries(body: bytes, *, url: str, content_type: str) -> list[Entry]:
    """The entries of a feed document, newest first as the feed lists them."""
    parsed = feedparser.parse(body, response_headers={"content-location": url,
                                                      "content-type": content_type or "application/xml"})
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = parsed.get("bozo_exception")
        raise NotAFeed(f"{url} is not an RSS or Atom feed" + (f": {_first_line(reason)}." if reason else "."))
    entries = []
    for raw in parsed.entries:
        link = (raw.get("link") or "").strip()
        if link:
            link = urljoin(url, link)
        if not link.lower().startswith(("http://", "https://")) or len(link.encode()) > MAX_LINK_BYTES:
            continue  # nothing to fetch: a feed of notes, a link we would not follow, or one no index holds
        key = (raw.get("id") or "").strip() or link
        if len(key.encode()) > MAX_KEY_BYTES:  # an id longer than an index row: its digest stands for it
            key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
        entries.append(Entry(key=key, link=link, title=" ".join((raw.get("title") or "").split())[:300],
                             published_at=_when(raw)))
    return entries


def _when(raw) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = raw.get(name)
        if value:
            # feedparser gives a struct_time in UTC
            return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    return None


def _record_all(feed: FollowedFeed, entries: list[Entry], *, now: datetime) -> tuple[int, int]:
    """Record the entries not seen before, and their articles not known by
    URL: (new entries, new articles). In a few queries for the poll, not a
    handful per entry: the entries already there, the articles already
    there, one insert of each. Should another poll write any of the same
    rows meanwhile (another feed listing the same page), the inserts roll
    back and each entry is recorded on its own, as the unique constraints
    let it (_record)."""
    fresh: dict[str, Entry] = {}
    for entry in entries:  # a key listed twice is one entry, the first
        fresh.setdefault(entry.key, entry)
    for key in FeedEntry.objects.filter(feed=feed, key__in=list(fresh)).values_list("key", flat=True):
        del fresh[key]
    if not fresh:
        return 0, 0
    links = list(dict.fromkeys(entry.link for entry in fresh.values()))
    known = dict(Article.objects.filter(url__in=links).values_list("url", "pk"))
    wanted = {entry.link: entry for entry in reversed(fresh.values())}  # a link listed twice: its first entry
    new = [_new_article(feed, wanted[link], now=now) for link in links if link not in known]
    try:
        with transaction.atomic():
            made = Article.objects.bulk_create(new)
            if any(article.pk is None for article in made):  # a database that returns no ids from a bulk insert
                known = dict(Article.objects.filter(url__in=links).values_list("url", "pk"))
            else:
                known.update((article.url, article.pk) for article in made)
            FeedEntry.objects.bulk_create([FeedEntry(feed=feed, key=entry.key, article_id=known[entry.link],
                                                     seen_at=now) for entry in fresh.values()])
    except IntegrityError:
        recorded = [_record(feed, entry, now=now) for entry in fresh.values()]
        return sum(is_new for _, is_new, _ in recorded), sum(is_new for _, _, is_new in recorded)
    return len(fresh), len(new)


def _new_article(feed: FollowedFeed, entry: Entry, *, now: datetime) -> Article:
    return Article(url=entry.link, outlet_id=feed.outlet_id, feed=feed, title=entry.title or entry.link[:300],
                   published_at=entry.published_at, published_from="feed" if entry.published_at else "", seen_at=now)


def _record(feed: FollowedFeed, entry: Entry, *, now: datetime) -> tuple[Article, bool, bool]:
    """The entry's row and its article's, each written at most once."""
    existing = FeedEntry.objects.filter(feed=feed, key=entry.key).select_related("article").first()
    if existing is not None:
        return existing.article, False, False
    article, article_is_new = _article(feed, entry, now=now)
    try:
        with transaction.atomic():
            FeedEntry.objects.create(feed=feed, key=entry.key, article=article, seen_at=now)
    except IntegrityError:
        return article, False, article_is_new  # a concurrent poll recorded it first
    return article, True, article_is_new


def _article(feed: FollowedFeed, entry: Entry, *, now: datetime) -> tuple[Article, bool]:
    found = Article.objects.filter(url=entry.link).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            article = _new_article(feed, entry, now=now)
            article.save(force_insert=True)
            return article, True
    except IntegrityError:
        return Article.objects.get(url=entry.link), False


def _readable(now: datetime):
    """Articles to read: pending, failed with attempts left, or claimed by a
    reader that has not finished within the lease (a worker that died)."""
    return Article.objects.filter(
        Q(state=Article.State.PENDING)
        # failed with attempts left, and not already tried in this sweep (the same `now`)
        | Q(state=Article.State.FAILED, attempts__lt=MAX_ATTEMPTS, claimed_at__lt=now)
        | Q(state=Article.State.READING, claimed_at__lt=now - LEASE, attempts__lt=MAX_ATTEMPTS)
    )


# -- Errors and backoff -------------------------------------------------------------------

def backoff(feed: FollowedFeed, errors: int) -> timedelta:
    """The wait after `errors` failed polls in a row: the interval doubled
    per error, at most FW_FOLLOW_MAX_BACKOFF, never less than the interval."""
    wait = feed.interval * (2 ** min(errors, 20))
    return max(feed.interval, min(wait, conf.max_backoff()))


def _failed(feed: FollowedFeed, poll: FeedPoll, *, now: datetime, error: str) -> FeedPoll:
    errors = feed.error_count + 1
    FollowedFeed.objects.filter(pk=feed.pk).update(
        next_poll_at=now + backoff(feed, errors), last_polled_at=now, last_outcome="error",
        error_count=F("error_count") + 1, last_error=error[:2000], last_error_at=now,
    )
    log.info("follow: feed %s failed (%s in a row): %s", feed.url, errors, error)
    poll.outcome, poll.error = "error", error
    return poll


def _first_line(reason) -> str:
    return " ".join(str(reason).split())[:200].rstrip(".")
