"""Every write of followed feeds: adding and editing a feed, muting, and the
sweep that polls due feeds and reads their new articles into proposals."""

from .feeds import (
    feed_follow, feed_mute, feed_mute_kind, feed_unmute, feed_unmute_kind, feed_update, feeds_poll_soon,
)
from .polling import FeedPoll, Sweep, articles_waiting, claim_due_feeds, poll_due_feeds, poll_feed, read_pending_articles

__all__ = [name for name in dir() if not name.startswith("_")]
