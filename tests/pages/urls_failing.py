"""The site's URLconf plus two views that fail, to see the 500 pages."""

from django.urls import path

from config.urls import handler404, handler500, urlpatterns as site_patterns  # noqa: F401


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom), *site_patterns]
