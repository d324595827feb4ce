from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from core.api.errors import api_not_found, api_server_error
from watch import feeds as watch_feeds

urlpatterns = [
    path("admin/", admin.site.urls),
    # The REST API, version 1 (docs/api.md). watch's API views mount under the
    # same prefix and stand on the same platform, core.api.
    path("api/v1/", include("timeline.api.urls")),
    # --- watch's API urls (subscriptions, deliveries) go here:
    path("api/v1/", include("watch.api.urls")),
    # Followed feeds: their API under /api/v1/follow/ and the desk's mute buttons under /follow/.
    path("", include("follow.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    # --- watch's page urls go here (below) ---
    path("watch/", include("watch.urls")),
    path("feeds/s/<str:token>.ics", watch_feeds.subscription_ics, name="subscription-ics"),
    path("feeds/", include("timeline.feeds.urls")),
    path("desk/", include("desk.urls")),  # the planning desk, staff only (docs/desk.md)
    path("", include("timeline.pages.urls")),
]

# /api/ paths answer 404 and 500 in the API's error body; other paths keep
# Django's pages.
handler404 = api_not_found
handler500 = api_server_error
