"""What gunicorn serves in `make bench`: the project's URLs plus one bare
Django view returning the same rows as the storyline timeline from
`.values()`, the floor the API's latency is compared with.

    DJANGO_SETTINGS_MODULE=benchmarks.web_settings gunicorn config.wsgi:application
"""

from django.http import JsonResponse
from django.urls import include, path

from timeline.models import Item


def bare_timeline(request, slug):
    rows = list(
        Item.objects.filter(storylines__slug=slug).order_by("sort_key", "id")
        .values("public_id", "kind", "title", "status", "when_text", "when_start", "when_end")[:200]
    )
    return JsonResponse({"results": rows}, json_dumps_params={"default": str})


urlpatterns = [
    path("bench/bare/<slug:slug>/", bare_timeline),
    path("", include("config.urls")),
]
