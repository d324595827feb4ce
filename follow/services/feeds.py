"""Adding, editing and muting a followed feed.

A feed's URL is checked for shape here (http or https, a host, no
credentials: core.netguard.parse_url); where its host resolves is checked
by the guard at every fetch, in the worker, since DNS can change and an
editor's request must not wait on a foreign server.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core import netguard
from core.clock import require_aware
from core.errors import InvalidInput
from timeline.lifecycle import Kind
from timeline.models import Actor, Outlet, Storyline

from ..fetch import FOLLOW
from ..models import DEFAULT_INTERVAL, POLL_INTERVAL, FollowedFeed

EDITABLE = ("url", "outlet", "storylines", "keywords", "actors", "interval", "muted", "muted_kinds")


def feed_follow(
    *, url: str, outlet: Outlet, now: datetime, by=None, storylines: Iterable[Storyline] = (),
    keywords: Iterable[str] = (), actors: Iterable[Actor] = (), interval: timedelta | None = None,
) -> FollowedFeed:
    """Follow a feed: due at once, so the next sweep reads it."""
    now = require_aware(now)
    feed = FollowedFeed(
        url=_url(url), outlet=outlet, keywords=_keywords(keywords), interval=_interval(interval), next_poll_at=now,
        created_at=now, created_by=by if getattr(by, "pk", None) else None,
    )
    _full_clean(feed)
    try:
        with transaction.atomic():
            feed.save()
            feed.storylines.set(list(storylines))
            feed.actors.set(list(actors))
    except IntegrityError:
        raise _taken(feed.url) from None
    return feed


def feed_update(*, feed: FollowedFeed, **fields) -> FollowedFeed:
    """Edit a feed. A new URL starts afresh: due at once, no validators, no errors."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise InvalidInput("Unknown fields.", fields={name: ["Not an editable field."] for name in unknown})
    storylines, actors = fields.pop("storylines", None), fields.pop("actors", None)
    if "url" in fields:
        fields["url"] = _url(fields["url"])
    if "keywords" in fields:
        fields["keywords"] = _keywords(fields["keywords"])
    if "interval" in fields:
        fields["interval"] = _interval(fields["interval"])
    if "muted_kinds" in fields:
        fields["muted_kinds"] = _kinds(fields["muted_kinds"])
    try:
        with transaction.atomic():
            current = FollowedFeed.objects.select_for_update().get(pk=feed.pk)
            changed = {name: value for name, value in fields.items() if getattr(current, name) != value}
            if "url" in changed:
                changed.update(etag="", last_modified="", error_count=0, last_error="", last_error_at=None,
                               next_poll_at=min(current.next_poll_at, current.created_at))
            for name, value in changed.items():
                setattr(current, name, value)
            if changed:
                _full_clean(current)
                current.save(update_fields=list(changed))
            if storylines is not None:
                current.storylines.set(list(storylines))
            if actors is not None:
                current.actors.set(list(actors))
    except IntegrityError:
        raise _taken(fields.get("url", feed.url)) from None
    return current


def feed_mute(*, feed: FollowedFeed) -> FollowedFeed:
    """Stop polling a feed (its articles already read keep their proposals)."""
    return feed_update(feed=feed, muted=True)


def feed_unmute(*, feed: FollowedFeed, now: datetime) -> FollowedFeed:
    """Poll it again, from the next sweep on."""
    feed = feed_update(feed=feed, muted=False)
    FollowedFeed.objects.filter(pk=feed.pk, next_poll_at__gt=now).update(next_poll_at=require_aware(now))
    feed.refresh_from_db()
    return feed


def feeds_poll_soon(*, feeds, now: datetime) -> int:
    """Make these feeds due now: the next sweep of the worker polls them (an
    editor's "poll now" never fetches in the request). Muted ones stay muted."""
    return FollowedFeed.objects.filter(pk__in=[f.pk for f in feeds], muted=False,
                                       next_poll_at__gt=require_aware(now)).update(next_poll_at=now)


def feed_mute_kind(*, feed: FollowedFeed, kind: str) -> FollowedFeed:
    """No more proposals of `kind` (event, milestone, expectation) from this feed."""
    kinds = _kinds([kind])
    with transaction.atomic():
        current = FollowedFeed.objects.select_for_update().get(pk=feed.pk)
        return feed_update(feed=current, muted_kinds=sorted(set(current.muted_kinds) | set(kinds)))


def feed_unmute_kind(*, feed: FollowedFeed, kind: str) -> FollowedFeed:
    kinds = _kinds([kind])
    with transaction.atomic():
        current = FollowedFeed.objects.select_for_update().get(pk=feed.pk)
        return feed_update(feed=current, muted_kinds=sorted(set(current.muted_kinds) - set(kinds)))


# -- Checks ------------------------------------------------------------------------

def _url(url) -> str:
    try:
        netguard.parse_url(url, policy=FOLLOW)
    except netguard.InvalidURL as exc:
        raise InvalidInput(str(exc), fields={"url": [str(exc)]}) from None
    return url


def _keywords(keywords) -> list[str]:
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    if not all(isinstance(k, str) for k in keywords):
        raise InvalidInput("Keywords are a list of words.", fields={"keywords": ["A list of words."]})
    return list(dict.fromkeys(k.strip() for k in keywords if k.strip()))


def _interval(interval) -> timedelta:
    if interval is None or interval == "":
        return DEFAULT_INTERVAL
    return POLL_INTERVAL.parse(interval, field="interval")


def _kinds(kinds) -> list[str]:
    kinds = list(kinds or [])
    unknown = [k for k in kinds if k not in Kind.values]
    if unknown:
        raise InvalidInput(f"Unknown kind of proposal: {', '.join(map(str, unknown))}.",
                           fields={"muted_kinds": [f"Choose from {', '.join(Kind.values)}."]})
    return sorted(set(kinds))


def _full_clean(feed: FollowedFeed) -> None:
    try:
        feed.full_clean(exclude=["storylines", "actors", "created_by"], validate_unique=True)
    except ValidationError as exc:
        messages = exc.message_dict
        if "url" in messages and FollowedFeed.objects.filter(url=feed.url).exclude(pk=feed.pk).exists():
            raise _taken(feed.url) from None
        raise InvalidInput("Some fields are not valid.", fields=messages) from None


def _taken(url: str) -> InvalidInput:
    return InvalidInput(f"The feed {url} is already followed.", fields={"url": ["This feed is already followed."]})
