"""Feeds an editor follows, and the articles their entries point at.

A `FollowedFeed` is an outlet's RSS or Atom feed with what it feeds (its
storylines), an optional filter (keywords, actors) and how often it may be
asked (`interval`). Its polling state is stored facts: the validators the
server gave (ETag, Last-Modified), when it is due next (`next_poll_at`, also
the claim: a sweep moves it forward before fetching, so a second sweep does
not see the feed as due), and the errors in a row with the last one in words.

An entry of a feed is a `FeedEntry`, unique per (feed, key) where the key is
the entry's id, else its link: that is what "seen before" means across runs
and across two sweeps at once (the second INSERT fails on the constraint).
The page it links to is an `Article`, unique by URL, so the same story in two
feeds of an outlet is fetched and read once; its `state` moves from pending
to reading (claimed by a conditional UPDATE) to read, skipped or failed.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from core.durations import DurationRange
from timeline.lifecycle import Kind

# How often a feed may be asked: at most once a minute (feeds are asked
# politely), at least once a week. "15m", "1h" as core.durations reads them.
POLL_INTERVAL = DurationRange(timedelta(minutes=1), timedelta(days=7))
MIN_INTERVAL = POLL_INTERVAL.minimum
DEFAULT_INTERVAL = timedelta(minutes=15)


class FollowedFeed(models.Model):
    url = models.URLField(max_length=2048, unique=True, help_text="The RSS or Atom feed's address.")
    outlet = models.ForeignKey("timeline.Outlet", on_delete=models.PROTECT, related_name="followed_feeds")
    storylines = models.ManyToManyField("timeline.Storyline", blank=True, related_name="followed_feeds",
                                        help_text="The storylines its articles' proposals go to.")
    keywords = models.JSONField(
        default=list, blank=True,
        help_text="Read only articles that mention one of these words (or one of the actors below); empty: all.",
    )
    actors = models.ManyToManyField(
        "timeline.Actor", blank=True, related_name="followed_feeds",
        help_text="Read only articles that mention one of these actors, by name or alias (or a keyword above).",
    )
    interval = models.DurationField(default=DEFAULT_INTERVAL, validators=[MinValueValidator(MIN_INTERVAL)],
                                    help_text="Never asked more often than this.")

    # What the server said last time, sent back as If-None-Match / If-Modified-Since.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # When a sweep may poll it next. A sweep claims a feed by moving this to
    # the end of a lease before fetching; after the poll it is the next due time.
    next_poll_at = models.DateTimeField()
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=20, blank=True)  # new, not_modified, unchanged, error
    error_count = models.PositiveIntegerField(default=0, help_text="Failed polls in a row; sets the backoff.")
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    muted = models.BooleanField(default=False, help_text="A muted feed is not polled.")
    muted_kinds = models.JSONField(default=list, blank=True,
                                   help_text="Kinds of proposal (event, milestone, expectation) not wanted from it.")

    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["outlet__name", "url"]
        indexes = [
            # The sweep's polling query: due feeds that are not muted.
            models.Index(fields=["next_poll_at"], condition=Q(muted=False), name="followedfeed_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(interval__gte=MIN_INTERVAL), name="followedfeed_interval_min"),
        ]

    def __str__(self):
        return f"{self.outlet}: {self.url}"

    @property
    def mutes(self) -> set[str]:
        return {kind for kind in self.muted_kinds if kind in Kind.values}


class Article(models.Model):
    """A page an entry links to, read once whatever number of feeds list it."""

    class State(models.TextChoices):
        PENDING = "pending", "waiting to be read"
        READING = "reading", "being read"
        READ = "read", "read"
        SKIPPED = "skipped", "skipped by the feed's filter"
        FAILED = "failed", "could not be read"

    url = models.URLField(max_length=2048, unique=True)
    outlet = models.ForeignKey("timeline.Outlet", on_delete=models.PROTECT, related_name="followed_articles")
    feed = models.ForeignKey(FollowedFeed, on_delete=models.PROTECT, related_name="articles",
                             help_text="The feed it was first seen in, whose storylines and filter apply.")
    title = models.CharField(max_length=300)
    published_at = models.DateTimeField(null=True, blank=True)
    published_from = models.CharField(max_length=10, blank=True)  # feed, page, seen
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    source = models.ForeignKey("timeline.Source", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="followed_articles")
    words = models.PositiveIntegerField(default=0)
    proposals = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True, help_text="Why it was skipped, or why it could not be read.")
    seen_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-seen_at"]
        indexes = [
            models.Index(fields=["seen_at"], condition=Q(state__in=["pending", "reading", "failed"]),
                         name="article_unfinished"),
        ]

    def __str__(self):
        return self.title or self.url


class FeedEntry(models.Model):
    """One entry of one feed, by its id (else its link): seen once."""

    feed = models.ForeignKey(FollowedFeed, on_delete=models.CASCADE, related_name="entries")
    key = models.CharField(max_length=2048)
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="entries")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "key"], name="feedentry_once_per_feed")]

    def __str__(self):
        return self.key
