"""Events, milestones, expectations, and any item by public id.

Reads go through selectors.items_visible_to: anonymous callers and
subscribers see published items only, and an item they may not see answers
404 exactly like one that does not exist. Writes need an editor and call the
same services as the admin. Items are revisioned: every answer about one
carries its ETag, and writes to one take If-Match (core.api.views).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.api.concurrency import etag_of
from core.api.pagination import KeysetPagination
from core.api.schema import ETAG_HEADER
from core.api.views import ActionAPIView, ListAPIView, ListCreateAPIView, RetrieveAPIView, RetrieveUpdateAPIView
from timeline import lifecycle, services
from timeline.models import Change, Item
from timeline.selectors import change_history, items_of, items_visible_to

from ..filters import ItemFilter
from ..serializers.actions import CorrectIn, PublishIn, RequiredReasonIn
from ..serializers.items import (
    ChangeOut, EventIn, EventOut, EventPatchIn, ExpectationIn, ExpectationOut, ExpectationPatchIn,
    ItemOut, MilestoneIn, MilestoneOut, MilestonePatchIn, item_path, item_schema, service_arguments, with_item_relations,
)
from ..serializers.reference import CitationIn, CitationOut

Kind = Item.Kind

# The When's order, stable across pages: undated items carry the largest
# sort_key, so they come last, and public_id breaks every tie.
WHEN_ORDER = {"when": ("sort_key", "public_id"), "-when": ("-sort_key", "-public_id"),
              "-updated": ("-updated_at", "-public_id")}


class ItemsMixin:
    """The items this caller may see, of one kind or of all, with what the
    output serializers read loaded up front."""

    kind: str | None = None
    lookup_field = "public_id"
    revisioned = True

    def visible_items(self) -> QuerySet:
        return items_visible_to(self.request.user, items_of(self.kind))

    def get_queryset(self) -> QuerySet:
        return with_item_relations(self.visible_items())


class RendersItems(ItemsMixin):
    """Writes answer with the item as stored after the write, read the way
    every list reads it."""

    def render(self, obj, *, status_code=None, headers=None):
        item = with_item_relations(Item.objects.all()).get(pk=obj.pk)
        return super().render(item, status_code=status_code, headers=headers)


# -- Any item ------------------------------------------------------------------------

@extend_schema_view(get=extend_schema(responses={200: item_schema(many=True)}))
class ItemList(ItemsMixin, ListAPIView):
    """Every item this caller may see, of any kind, in the When's order."""

    serializer_class = ItemOut
    filterset_class = ItemFilter
    pagination_class = KeysetPagination
    keyset_orderings = WHEN_ORDER


@extend_schema_view(get=extend_schema(responses={200: item_schema()}))
class ItemDetail(ItemsMixin, RetrieveAPIView):
    serializer_class = ItemOut


# -- Per kind: GET and POST /{kind}/, GET and PATCH /{kind}/{public_id}/ -------------------

class ItemListCreate(RendersItems, ListCreateAPIView):
    filterset_class = ItemFilter
    pagination_class = KeysetPagination
    keyset_orderings = WHEN_ORDER

    def perform_create(self, data):
        return services.item_create(kind=self.kind, by=self.request.user, now=self.now, **service_arguments(data))

    def location_of(self, item):
        return item_path(item)


class ItemRetrieveUpdate(RendersItems, RetrieveUpdateAPIView):
    def perform_update(self, item, data, *, expected_revision):
        return services.item_edit(item=item, by=self.request.user, now=self.now,
                                  expected_revision=expected_revision, **service_arguments(data))


class EventListCreate(ItemListCreate):
    kind = Kind.EVENT
    serializer_class = EventOut
    input_serializer_class = EventIn


class EventDetail(ItemRetrieveUpdate):
    kind = Kind.EVENT
    serializer_class = EventOut
    input_serializer_class = EventPatchIn


class MilestoneListCreate(ItemListCreate):
    kind = Kind.MILESTONE
    serializer_class = MilestoneOut
    input_serializer_class = MilestoneIn


class MilestoneDetail(ItemRetrieveUpdate):
    kind = Kind.MILESTONE
    serializer_class = MilestoneOut
    input_serializer_class = MilestonePatchIn


class ExpectationListCreate(ItemListCreate):
    kind = Kind.EXPECTATION
    serializer_class = ExpectationOut
    input_serializer_class = ExpectationIn


class ExpectationDetail(ItemRetrieveUpdate):
    kind = Kind.EXPECTATION
    serializer_class = ExpectationOut
    input_serializer_class = ExpectationPatchIn


# -- Any item: history, citations, publish, retract, correct ------------------------------

@extend_schema_view(get=extend_schema(operation_id="items_history", parameters=[ETAG_HEADER]))
class ItemHistory(ItemsMixin, ListAPIView):
    """The item's change log, oldest first. Readers who are not editors see
    the changes that were public news (made while it was published, and its
    publication or retraction)."""

    serializer_class = ChangeOut
    pagination_class = KeysetPagination
    keyset_orderings = {"at": ("at", "id"), "-at": ("-at", "-id")}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular inspecting, no request
            return Change.objects.none()
        self.item = get_object_or_404(self.visible_items(), public_id=self.kwargs["public_id"])
        changes = change_history(self.item)
        return changes if self.is_editor else changes.filter(public=True)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response["ETag"] = etag_of(self.item)
        return response


@extend_schema_view(post=extend_schema(responses={201: CitationOut, 200: CitationOut}))
class CitationAdd(ItemsMixin, ActionAPIView):
    """Cite a source for the item. Citing the same source again with the same
    role and attribution is a retry: 200 with the existing citation."""

    serializer_class = CitationOut
    input_serializer_class = CitationIn

    def perform_action(self, item, data, *, expected_revision):
        cited = item.specific()
        citation = services.citation_add(item=cited, by=self.request.user, now=self.now,
                                         expected_revision=expected_revision, **data)
        # The service returns the existing citation, without a change, when
        # this one is already there; only a new one moved the revision.
        return cited, citation, cited.revision != item.revision

    def render_written(self, result):
        cited, citation, created = result
        return self.render(citation, status_code=201 if created else 200, headers={"ETag": etag_of(cited)})


def item_action(operation_id: str):
    """The schema of an action answered with the item, whatever its kind."""
    move = operation_id.split("_", 1)[1]  # the lifecycle table says what it does and from where
    return extend_schema_view(post=extend_schema(operation_id=operation_id, responses={200: item_schema()},
                                                 description=lifecycle.describe(move)))


class ItemAction(RendersItems, ActionAPIView):
    serializer_class = ItemOut


@item_action("items_publish")
class ItemPublish(ItemAction):
    input_serializer_class = PublishIn

    def perform_action(self, item, data, *, expected_revision):
        return services.item_publish(item=item, by=self.request.user, now=self.now,
                                     expected_revision=expected_revision, **data)


@item_action("items_retract")
class ItemRetract(ItemAction):
    input_serializer_class = RequiredReasonIn

    def perform_action(self, item, data, *, expected_revision):
        return services.item_retract(item=item, by=self.request.user, now=self.now,
                                     expected_revision=expected_revision, **data)


@item_action("items_correct")
class ItemCorrect(ItemAction):
    input_serializer_class = CorrectIn

    def input_for(self, item):
        self.when_kind = item.kind  # the When's words are read for the item's kind
        return super().input_for(item)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "when_kind", None):
            context["when_kind"] = self.when_kind
        return context

    def perform_action(self, item, data, *, expected_revision):
        return services.item_correct(item=item, by=self.request.user, now=self.now,
                                     expected_revision=expected_revision, **service_arguments(data))
