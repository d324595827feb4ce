"""/follow/: the desk's buttons for followed feeds (namespace "follow")."""

from django.urls import path

from . import views

app_name = "follow"

urlpatterns = [
    path("feeds/<int:pk>/mute/", views.feed_mute, name="feed-mute"),
    path("feeds/<int:pk>/mute-kind/", views.feed_mute_kind, name="feed-mute-kind"),
]
