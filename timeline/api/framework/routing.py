"""One URL, one view class per operation.

REST puts the list and the create on one path (GET and POST /storylines/),
while our views are one class per operation. `route()` joins them:

    path("storylines/", route(get=StorylineList, post=StorylineCreate), name="storyline-list")

The returned view sends each method to its class. drf-spectacular sees the
classes themselves through `split_routes` (a SPECTACULAR_SETTINGS
preprocessing hook), so each operation keeps its own schema.
"""

from __future__ import annotations

from rest_framework import status
from rest_framework.views import APIView

from .errors import ErrorCode, error_body


def _facade(methods: list[str]) -> type[APIView]:
    """An APIView class standing for a route where DRF's and drf-spectacular's
    endpoint enumeration look (`callback.cls`): it answers which methods the
    route allows. split_routes then swaps in the real class per method."""
    return type("Route", (APIView,), {"allowed_methods": list(methods)})


def route(**views: type[APIView]):
    """A view that dispatches each HTTP method to the view class given for it."""
    callbacks = {method.upper(): view.as_view() for method, view in views.items()}
    if "GET" in callbacks:
        callbacks.setdefault("HEAD", callbacks["GET"])
    allowed = sorted(set(callbacks) | {"OPTIONS"})

    def dispatch(request, *args, **kwargs):
        callback = callbacks.get(request.method)
        if callback is None and request.method == "OPTIONS":
            callback = next(iter(callbacks.values()))
        if callback is None:
            from django.http import JsonResponse

            response = JsonResponse(
                error_body(ErrorCode.METHOD_NOT_ALLOWED, f'Method "{request.method}" not allowed.'),
                status=status.HTTP_405_METHOD_NOT_ALLOWED,
            )
            response["Allow"] = ", ".join(allowed)
            return response
        return callback(request, *args, **kwargs)

    # Each DRF view enforces CSRF itself, for session-authenticated callers only.
    dispatch.csrf_exempt = True
    dispatch.views_by_method = {m: c for m, c in callbacks.items() if m != "HEAD"}
    dispatch.cls = _facade(list(dispatch.views_by_method))
    dispatch.initkwargs = {}
    return dispatch


def split_routes(endpoints):
    """SPECTACULAR_SETTINGS["PREPROCESSING_HOOKS"]: document each method of a
    route() with the view class that serves it."""
    result = []
    for path, path_regex, method, callback in endpoints:
        views = getattr(callback, "views_by_method", None)
        result.append((path, path_regex, method, views[method] if views else callback))
    return result
