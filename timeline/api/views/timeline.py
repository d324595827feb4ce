"""The storyline's timeline, what is due, and the When preview."""

from __future__ import annotations


from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from core.api.pagination import KeysetPagination
from core.api.permissions import Public
from core.api.views import APIViewMixin, ListAPIView
from core.durations import HORIZON
from core.errors import InvalidInput
from timeline.models import Item
from timeline.selectors import due_report, items_in_storyline, items_visible_to, storylines

from ..filters import TimelineFilter
from ..serializers.actions import WhenParseIn
from ..serializers.items import DueReportOut, ItemOut, item_schema, with_item_relations
from ..serializers.when import WhenPreviewOut
from .items import WHEN_ORDER


@extend_schema_view(get=extend_schema(operation_id="storylines_timeline", responses={200: item_schema(many=True)}))
class StorylineTimeline(ListAPIView):
    """The storyline's items in the order of their windows (undated last),
    each with its status, whether it is overdue now and, for expectations,
    the verdict."""

    serializer_class = ItemOut
    filterset_class = TimelineFilter
    pagination_class = KeysetPagination
    keyset_orderings = {"when": WHEN_ORDER["when"], "-when": WHEN_ORDER["-when"]}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular inspecting, no request
            return Item.objects.none()
        storyline = get_object_or_404(storylines(), slug=self.kwargs["slug"])
        return with_item_relations(items_visible_to(self.request.user, items_in_storyline(storyline)))


class DueQueryIn(serializers.Serializer):
    within = serializers.CharField(
        max_length=20, required=False, default="7d",
        help_text='The horizon of "upcoming": a number and a unit (m, h, d, w), e.g. "7d", "36h"; '
                  "from 1 minute to 366 days.",
    )
    storyline = serializers.SlugRelatedField(slug_field="slug", queryset=storylines(), required=False,
                                             help_text="Only this storyline's items.")

    def validate_within(self, value: str) -> str:
        try:
            HORIZON.parse(value, field="within")
        except InvalidInput as error:
            raise serializers.ValidationError(error.message) from None
        return value  # as written: the report echoes it


@extend_schema_view(get=extend_schema(operation_id="due_report", parameters=[DueQueryIn]))
class DueReport(APIViewMixin, GenericAPIView):
    """What is coming within the horizon, what is overdue, and what needs a
    verdict, each with the reason, computed at the time of the request."""

    serializer_class = DueReportOut

    def get(self, request, *args, **kwargs):
        query = DueQueryIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        within = query.validated_data["within"]
        entries = due_report(
            now=self.now, within=HORIZON.parse(within, field="within"), storyline=query.validated_data.get("storyline"),
            queryset=with_item_relations(items_visible_to(request.user)),
        )
        report = {"now": self.now, "within": within, "upcoming": [], "overdue": [], "needs_verdict": []}
        for entry in entries:
            report[entry.section].append({"item": entry.item, "reason": entry.reason})
        return Response(DueReportOut(report, context=self.get_serializer_context()).data)


@extend_schema_view(post=extend_schema(
    operation_id="when_parse", request=WhenParseIn, responses={200: WhenPreviewOut},
    examples=[
        OpenApiExample("Davos", value={"text": "on Jan. 23", "as_of": "2025-12-30", "tz": "Europe/Zurich"},
                       request_only=True),
        OpenApiExample("Davos, read", value={
            "text": "on Jan. 23", "as_of": "2025-12-30", "start": "2026-01-22T23:00:00Z",
            "end": "2026-01-23T23:00:00Z", "precision": "day", "approximate": False, "tz": "Europe/Zurich",
            "edtf": "2026-01-23", "display": "23 Jan 2026",
        }, response_only=True),
    ],
))
class WhenParse(APIViewMixin, GenericAPIView):
    """Preview how a date phrase (or an EDTF value) is read, before saving
    anything. Public: it changes nothing."""

    permission_classes = [Public]
    serializer_class = WhenPreviewOut

    def post(self, request, *args, **kwargs):
        written = WhenParseIn(data=request.data, context=self.get_serializer_context())
        written.is_valid(raise_exception=True)
        return Response(WhenPreviewOut(written.validated_data).data)
