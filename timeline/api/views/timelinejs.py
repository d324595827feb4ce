"""GET /api/v1/storylines/{slug}/timelinejs/: the storyline as TimelineJS
JSON (timeline/feeds/timelinejs.py). Public: published items only, unless
an editor asks."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from core.api.permissions import Public
from core.api.views import APIViewMixin
from timeline.feeds.timelinejs import timeline_document
from timeline.selectors import items_in_storyline, items_visible_to, storylines


class StorylineTimelineJS(APIViewMixin, GenericAPIView):
    """The storyline for TimelineJS: one slide per dated item, grouped by kind
    (Events, Milestones, Expectations), each date at the item's precision (a
    month gives year and month only), the attribution as reported in the
    text, and the first cited source as the slide's media."""

    permission_classes = [Public]

    @extend_schema(operation_id="storylines_timelinejs", responses={200: OpenApiTypes.OBJECT})
    def get(self, request, *args, **kwargs):
        storyline = get_object_or_404(storylines(), slug=kwargs["slug"])
        items = items_visible_to(request.user, items_in_storyline(storyline))
        return Response(timeline_document(storyline, items))
