"""GET /api/v1/: the API's front door, so the address people try first
answers with where to go instead of 404."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from core.api.permissions import Public
from core.api.views import APIViewMixin

PREFIX = "api/v1/"


class ApiIndexOut(serializers.Serializer):
    resources = serializers.DictField(
        child=serializers.URLField(),
        help_text='Each collection of version 1 by its path ("storylines", "due", "when/parse"), with its URL.',
    )
    schema = serializers.URLField(help_text="The OpenAPI 3 schema.")
    docs = serializers.URLField(help_text="The schema as Swagger UI.")
    redoc = serializers.URLField(help_text="The schema as Redoc.")


def collections() -> dict[str, str]:
    """The paths of /api/v1/ that take no parameter, read from the URLconf,
    so the index names what is mounted (timeline's and watch's alike)
    without importing either app's routes."""
    found: dict[str, str] = {}
    for mounted in get_resolver().url_patterns:
        if not (isinstance(mounted, URLResolver) and str(mounted.pattern) == PREFIX):
            continue
        for route in mounted.url_patterns:
            path = str(route.pattern)
            if isinstance(route, URLPattern) and path and "<" not in path and route.name:
                name = f"{mounted.namespace}:{route.name}" if mounted.namespace else route.name
                found.setdefault(path.rstrip("/"), reverse(name))
    return found


@extend_schema_view(get=extend_schema(operation_id="api_index", responses={200: ApiIndexOut}))
class ApiIndex(APIViewMixin, GenericAPIView):
    """The collections of version 1, the schema and its docs. Public."""

    permission_classes = [Public]
    serializer_class = ApiIndexOut

    def get(self, request, *args, **kwargs):
        absolute = request.build_absolute_uri
        return Response(ApiIndexOut({
            "resources": {path: absolute(url) for path, url in sorted(collections().items())},
            "schema": absolute(reverse("api-schema")),
            "docs": absolute(reverse("api-docs")),
            "redoc": absolute(reverse("api-redoc")),
        }).data)
