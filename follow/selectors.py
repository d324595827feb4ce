"""Reads of followed feeds, for the API, the admin and the desk."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Article, FollowedFeed


def feeds() -> QuerySet:
    return FollowedFeed.objects.select_related("outlet").prefetch_related("storylines", "actors")


def articles(*, feed: str | int | None = None) -> QuerySet:
    qs = Article.objects.select_related("outlet")
    if feed not in (None, ""):
        qs = qs.filter(feed_id=int(feed)) if str(feed).isdigit() else qs.none()
    return qs
