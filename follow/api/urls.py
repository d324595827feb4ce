"""Routes of /api/v1/follow/ (namespace "follow-api"), mounted by config/urls.py."""

from django.urls import path

from . import views

app_name = "follow-api"

urlpatterns = [
    path("feeds/", views.FeedListCreate.as_view(), name="feed-list"),
    path("feeds/<int:pk>/", views.FeedDetail.as_view(), name="feed-detail"),
    path("feeds/<int:pk>/mute/", views.FeedMute.as_view(), name="feed-mute"),
    path("feeds/<int:pk>/unmute/", views.FeedUnmute.as_view(), name="feed-unmute"),
    path("feeds/<int:pk>/mute-kind/", views.FeedMuteKind.as_view(), name="feed-mute-kind"),
    path("feeds/<int:pk>/unmute-kind/", views.FeedUnmuteKind.as_view(), name="feed-unmute-kind"),
    path("articles/", views.ArticleList.as_view(), name="article-list"),
]
