"""Followed feeds' routes, mounted at the root by config/urls.py (one line):
the API under /api/v1/follow/ (namespace "follow-api") and the desk's mute
buttons under /follow/ (namespace "follow"). No namespace of its own, so
the two keep theirs."""

from django.urls import include, path

urlpatterns = [
    path("api/v1/follow/", include("follow.api.urls")),
    path("follow/", include("follow.page_urls")),
]
