"""Reading one article of a followed feed: claim it, fetch its page through
the guard, extract the main text, apply the feed's filter, make (or find) its
Source, and hand the text to the article reader, the same `read_article` a
pasted article goes through, so both give the same proposals.

Claiming is a conditional UPDATE (pending or failed, with the attempts this
reader saw, to reading), so an article is read by one worker even when two
sweeps reach it at once through two feeds. A failure that may pass (a
timeout, a 503) leaves it failed for a later poll, up to MAX_ATTEMPTS; one
that will not (a refused address, a 404, a page with no text) ends it.

The publication date is the feed's, else the page's own metadata, else the
time the entry was first seen (said in the article's note, since the reader
resolves "on Monday" against it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timezone

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.db.models import F, Q

from core.errors import InvalidInput, ServiceError, StaleRevision
from timeline import services as timeline
from timeline.models import Source

from ..extract import extract
from ..fetch import PAGE_ACCEPT, FetchError, fetch
from ..matching import first_match
from ..models import Article, FollowedFeed
from .. import reader as reader_module

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALE_RETRIES = 3  # readings of one article in a row when another writer moved an item it cites
SOURCE_URL_MAX = Source._meta.get_field("url").max_length
SOURCE_TITLE_MAX = Source._meta.get_field("title").max_length


@dataclass
class ArticleRead:
    article_id: int
    url: str
    state: str
    proposals: int = 0
    error: str = ""


def article_read(article: Article, *, feed: FollowedFeed, now: datetime, resolver=None,
                 reader: Callable | None = None) -> ArticleRead | None:
    """Read `article` if this caller wins its claim; None if another has it."""
    if not _claim(article, now=now):
        return None
    try:
        return _read(article, feed=feed, now=now, resolver=resolver, reader=reader or reader_module.propose)
    except FetchError as exc:
        return _failed(article, error=exc.message, retryable=exc.retryable)
    except ServiceError as exc:
        return _failed(article, error=f"The article could not be read: {exc.message}", retryable=False)
    except SoftTimeLimitExceeded:
        raise  # the task's time is up: the article stays claimed until its lease ends, then is read again
    except Exception as exc:  # a fault of ours must not stop the sweep, nor leave the article claimed
        log.exception("follow: reading %s failed", article.url)
        return _failed(article, error=f"Reading it failed ({type(exc).__name__}: {exc}).", retryable=True)


def _claim(article: Article, *, now: datetime) -> bool:
    from .polling import LEASE

    claimable = (Q(state=Article.State.PENDING) | Q(state=Article.State.FAILED, attempts__lt=MAX_ATTEMPTS)
                 | Q(state=Article.State.READING, claimed_at__lt=now - LEASE, attempts__lt=MAX_ATTEMPTS))
    won = Article.objects.filter(claimable, pk=article.pk, attempts=article.attempts).update(
        state=Article.State.READING, attempts=F("attempts") + 1, claimed_at=now)
    return won == 1


def _read(article: Article, *, feed: FollowedFeed, now: datetime, resolver, reader: Callable) -> ArticleRead:
    if len(article.url) > SOURCE_URL_MAX:
        return _failed(article, error=f"Its link is longer than {SOURCE_URL_MAX} characters, the most a source "
                                      "may have.", retryable=False)
    page = fetch(article.url, accept=PAGE_ACCEPT, resolver=resolver)
    extracted = extract(page.body, url=page.url)
    if not extracted.is_article:
        return _failed(article, error=f"No article text was found on the page ({extracted.words} words).",
                       retryable=False)
    title = (article.title if article.title != article.url[:300] else "") or extracted.title or article.url
    title = title[:SOURCE_TITLE_MAX]

    found = first_match(f"{title}\n{extracted.text}", keywords=feed.keywords, actors=feed.actors.all())
    if found is None:
        return _finish(article, state=Article.State.SKIPPED, words=extracted.words,
                       note="It mentions none of the feed's keywords or actors.")

    published_at, published_from = article.published_at, article.published_from
    if published_at is None and extracted.published is not None:
        published_at = datetime.combine(extracted.published, time(0, 0), tzinfo=timezone.utc)
        published_from = "page"
    note = ""
    if published_at is None:
        published_at, published_from = article.seen_at, "seen"
        note = "Neither the feed nor the page gives a date: read as of the time it was first seen."

    # Two articles read at once may both cite the same item of the record
    # (Davos, reported by two outlets): the later write meets the item's new
    # revision and its whole transaction rolls back. Reading the article again
    # from the text already fetched is safe (a reading writes all or nothing),
    # so that is retried here, without fetching the page a second time.
    for attempt in range(1, STALE_RETRIES + 1):
        try:
            with transaction.atomic():
                source = _source(article, feed=feed, title=title, published_at=published_at)
                storylines = list(feed.storylines.all())
                proposals = reader(
                    text=extracted.text, published=published_at.date(), outlet=feed.outlet, url=article.url,
                    title=title, storylines=storylines, mutes=feed.mutes, now=now,
                )
                return _finish(article, state=Article.State.READ, words=extracted.words, proposals=proposals,
                               source=source, title=title, published_at=published_at,
                               published_from=published_from, note=note, now=now)
        except StaleRevision:
            if attempt == STALE_RETRIES:
                raise


def _source(article: Article, *, feed: FollowedFeed, title: str, published_at: datetime) -> Source:
    """The article's Source: the one already there for its URL (pasted by an
    editor, or read from another feed), else a new one, through timeline's
    services."""
    # Made first, looked up only when refused: a followed article's URL is
    # almost always new, and source_create checks it is free anyway. No
    # savepoint of ours: source_create refuses a taken URL before it writes,
    # or rolls its own insert back, so the reading's transaction goes on.
    try:
        return timeline.source_create(outlet=feed.outlet, title=title, url=article.url, published_at=published_at)
    except InvalidInput:
        existing = Source.objects.filter(url=article.url).first()
        if existing is None:
            raise
        return existing


def _finish(article: Article, *, state: str, words: int = 0, proposals: int = 0, source=None, note: str = "",
            now: datetime | None = None, **fields) -> ArticleRead:
    updates = {"state": state, "words": words, "proposals": proposals, "note": note, **fields}
    if source is not None:
        updates["source"] = source
    if now is not None:
        updates["read_at"] = now
    Article.objects.filter(pk=article.pk).update(**updates)
    return ArticleRead(article_id=article.pk, url=article.url, state=state, proposals=proposals)


def _failed(article: Article, *, error: str, retryable: bool) -> ArticleRead:
    updates = {"state": Article.State.FAILED, "note": error[:2000]}
    if not retryable:
        updates["attempts"] = MAX_ATTEMPTS  # nothing to gain from asking again
    Article.objects.filter(pk=article.pk).update(**updates)
    log.info("follow: article %s failed: %s", article.url, error)
    return ArticleRead(article_id=article.pk, url=article.url, state=Article.State.FAILED, error=error)
