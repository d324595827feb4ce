"""/api/v1/follow/: followed feeds and the articles they brought. Editors
only, reads too: a feed's validators and errors are the desk's business.
One DRF generic view per path (core.api.views), each write one service.
Nothing here fetches a feed: a new or unmuted feed is due, and the worker's
next sweep polls it."""

from __future__ import annotations

from django.urls import reverse

from core.api.pagination import KeysetPagination
from core.api.views import ActionAPIView, ListAPIView, ListCreateAPIView, RetrieveUpdateAPIView

from .. import selectors, services
from .permissions import Editor
from .serializers import ArticleOut, FeedIn, FeedOut, FeedPatchIn, KindIn, NothingIn

BY_ID = {"id": ("id",), "-id": ("-id",)}


class FeedListCreate(ListCreateAPIView):
    permission_classes = [Editor]
    serializer_class = FeedOut
    input_serializer_class = FeedIn
    pagination_class = KeysetPagination
    keyset_orderings = BY_ID

    def get_queryset(self):
        return selectors.feeds()

    def perform_create(self, data):
        return services.feed_follow(now=self.now, by=self.request.user, **data)

    def location_of(self, feed):
        return reverse("follow-api:feed-detail", kwargs={"pk": feed.pk})


class FeedDetail(RetrieveUpdateAPIView):
    permission_classes = [Editor]
    serializer_class = FeedOut
    input_serializer_class = FeedPatchIn

    def get_queryset(self):
        return selectors.feeds()

    def perform_update(self, feed, data):
        return services.feed_update(feed=feed, **data)


class FeedMute(ActionAPIView):
    """Stop polling the feed."""

    permission_classes = [Editor]
    serializer_class = FeedOut
    input_serializer_class = NothingIn

    def get_queryset(self):
        return selectors.feeds()

    def perform_action(self, feed, data):
        return services.feed_mute(feed=feed)


class FeedUnmute(FeedMute):
    """Poll the feed again, from the next sweep."""

    def perform_action(self, feed, data):
        return services.feed_unmute(feed=feed, now=self.now)


class FeedMuteKind(FeedMute):
    """No more proposals of this kind from the feed."""

    input_serializer_class = KindIn

    def perform_action(self, feed, data):
        return services.feed_mute_kind(feed=feed, kind=data["kind"])


class FeedUnmuteKind(FeedMuteKind):
    def perform_action(self, feed, data):
        return services.feed_unmute_kind(feed=feed, kind=data["kind"])


class ArticleList(ListAPIView):
    """The articles followed feeds brought, newest first; `?feed=ID` for one feed's."""

    permission_classes = [Editor]
    serializer_class = ArticleOut
    pagination_class = KeysetPagination
    keyset_orderings = {"-id": ("-id",), "id": ("id",)}

    def get_queryset(self):
        return selectors.articles(feed=self.request.query_params.get("feed"))
