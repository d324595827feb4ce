"""GET /api/v1/storylines/{slug}/export/: the whole storyline as JSON (items,
Whens in EDTF and as windows, citations, every change), which
`manage.py load_storyline` loads back through the services. Editors only:
the history carries drafts and internal notes."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from core.roles import user_is_editor
from core.api.views import APIViewMixin
from timeline.feeds.export import storyline_export
from timeline.selectors import storylines


class EditorsExport(BasePermission):
    message = "Only editors may export a storyline: its history holds drafts and internal notes."

    def has_permission(self, request, view) -> bool:
        # OPTIONS describes the route and shows nothing of the record.
        return request.method == "OPTIONS" or user_is_editor(request.user)


class StorylineExport(APIViewMixin, GenericAPIView):
    """The storyline and its items' full history, for `manage.py load_storyline`."""

    permission_classes = [EditorsExport]

    @extend_schema(operation_id="storylines_export", responses={200: OpenApiTypes.OBJECT})
    def get(self, request, *args, **kwargs):
        storyline = get_object_or_404(storylines(), slug=kwargs["slug"])
        response = Response(storyline_export(storyline))
        response["Content-Disposition"] = f'attachment; filename="storyline-{storyline.slug}.json"'
        return response
