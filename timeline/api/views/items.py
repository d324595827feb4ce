"""Events, milestones, expectations, and any item by public id.

Reads go through selectors.items_visible_to: anonymous callers and
subscribers see published items only, and an item they may not see answers
404 exactly like one that does not exist. Writes need an editor and call the
same services as the admin.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response

from timeline import services
from timeline.models import Change, Item
from timeline.selectors import change_history, items_visible_to

from ..filters import ItemFilter
from ..framework import (
    CREATE_PARAMETERS, ETAG_HEADER, ITEM_WRITE_PARAMETERS, BaseAPIMixin, CreateAPIView, ItemActionView,
    ItemRetrieveMixin, ItemUpdateAPIView, KeysetPagination, error_responses, item_etag, operation,
)
from ..framework.schema import DETAIL_READ_ERRORS, ITEM_WRITE_ERRORS, READ_ERRORS, WRITE_ERRORS
from ..serializers.items import (
    ChangeOut, EventIn, EventOut, EventPatchIn, ExpectationIn, ExpectationOut, ExpectationPatchIn,
    ItemOut, MilestoneIn, MilestoneOut, MilestonePatchIn, item_path, item_schema, service_arguments, with_item_relations,
)
from ..serializers.actions import CorrectIn, ReasonIn, RequiredReasonIn
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

    def visible_items(self) -> QuerySet:
        items = Item.objects.all() if self.kind is None else Item.objects.filter(kind=self.kind)
        return items_visible_to(self.request.user, items)

    def get_queryset(self) -> QuerySet:
        return with_item_relations(self.visible_items())


class RendersItems(ItemsMixin):
    """Writes answer with the item as stored after the write, read the way
    every list reads it."""

    def render(self, obj, *, status_code=None, headers=None) -> Response:
        item = with_item_relations(Item.objects.all()).get(pk=obj.pk)
        return super().render(item, status_code=status_code, headers=headers)


# -- Lists and details, per kind and for any item ----------------------------------

class ItemListBase(ItemsMixin, BaseAPIMixin, ListAPIView):
    filterset_class = ItemFilter
    pagination_class = KeysetPagination
    keyset_orderings = WHEN_ORDER


class ItemDetailBase(ItemsMixin, ItemRetrieveMixin, BaseAPIMixin, RetrieveAPIView):
    pass


@operation(operation_id="items_list", responses={200: item_schema(many=True), **error_responses(*READ_ERRORS)})
class ItemList(ItemListBase):
    """Every item this caller may see, of any kind, in the When's order."""

    serializer_class = ItemOut


@operation(operation_id="items_retrieve", parameters=[ETAG_HEADER],
               responses={200: item_schema(), **error_responses(*DETAIL_READ_ERRORS)})
class ItemDetail(ItemDetailBase):
    serializer_class = ItemOut


@operation(operation_id="events_list", responses={200: EventOut(many=True), **error_responses(*READ_ERRORS)})
class EventList(ItemListBase):
    kind = Kind.EVENT
    serializer_class = EventOut


@operation(operation_id="milestones_list", responses={200: MilestoneOut(many=True), **error_responses(*READ_ERRORS)})
class MilestoneList(ItemListBase):
    kind = Kind.MILESTONE
    serializer_class = MilestoneOut


@operation(operation_id="expectations_list",
               responses={200: ExpectationOut(many=True), **error_responses(*READ_ERRORS)})
class ExpectationList(ItemListBase):
    kind = Kind.EXPECTATION
    serializer_class = ExpectationOut


@operation(operation_id="events_retrieve", parameters=[ETAG_HEADER],
               responses={200: EventOut, **error_responses(*DETAIL_READ_ERRORS)})
class EventDetail(ItemDetailBase):
    kind = Kind.EVENT
    serializer_class = EventOut


@operation(operation_id="milestones_retrieve", parameters=[ETAG_HEADER],
               responses={200: MilestoneOut, **error_responses(*DETAIL_READ_ERRORS)})
class MilestoneDetail(ItemDetailBase):
    kind = Kind.MILESTONE
    serializer_class = MilestoneOut


@operation(operation_id="expectations_retrieve", parameters=[ETAG_HEADER],
               responses={200: ExpectationOut, **error_responses(*DETAIL_READ_ERRORS)})
class ExpectationDetail(ItemDetailBase):
    kind = Kind.EXPECTATION
    serializer_class = ExpectationOut


# -- Create and edit --------------------------------------------------------------------

class ItemCreateBase(RendersItems, CreateAPIView):
    def perform(self, data):
        return services.item_create(kind=self.kind, by=self.request.user, now=self.now, **service_arguments(data))

    def location_of(self, item):
        return item_path(item)


@operation(operation_id="events_create", request=EventIn, parameters=[*CREATE_PARAMETERS, ETAG_HEADER],
               responses={201: EventOut, **error_responses(*WRITE_ERRORS)})
class EventCreate(ItemCreateBase):
    kind = Kind.EVENT
    input_serializer_class = EventIn
    output_serializer_class = EventOut


@operation(operation_id="milestones_create", request=MilestoneIn, parameters=[*CREATE_PARAMETERS, ETAG_HEADER],
               responses={201: MilestoneOut, **error_responses(*WRITE_ERRORS)})
class MilestoneCreate(ItemCreateBase):
    kind = Kind.MILESTONE
    input_serializer_class = MilestoneIn
    output_serializer_class = MilestoneOut


@operation(operation_id="expectations_create", request=ExpectationIn,
               parameters=[*CREATE_PARAMETERS, ETAG_HEADER],
               responses={201: ExpectationOut, **error_responses(*WRITE_ERRORS)})
class ExpectationCreate(ItemCreateBase):
    kind = Kind.EXPECTATION
    input_serializer_class = ExpectationIn
    output_serializer_class = ExpectationOut


class ItemPatchBase(RendersItems, ItemUpdateAPIView):
    def item_input(self, item):
        return self.validated_input(partial=True)

    def perform(self, item, data, *, expected_revision):
        return services.item_edit(item=item, by=self.request.user, now=self.now,
                                  expected_revision=expected_revision, **service_arguments(data))


@operation(operation_id="events_partial_update", request=EventPatchIn, parameters=ITEM_WRITE_PARAMETERS,
               responses={200: EventOut, **error_responses(*ITEM_WRITE_ERRORS)})
class EventPatch(ItemPatchBase):
    kind = Kind.EVENT
    input_serializer_class = EventPatchIn
    output_serializer_class = EventOut


@operation(operation_id="milestones_partial_update", request=MilestonePatchIn,
               parameters=ITEM_WRITE_PARAMETERS, responses={200: MilestoneOut, **error_responses(*ITEM_WRITE_ERRORS)})
class MilestonePatch(ItemPatchBase):
    kind = Kind.MILESTONE
    input_serializer_class = MilestonePatchIn
    output_serializer_class = MilestoneOut


@operation(operation_id="expectations_partial_update", request=ExpectationPatchIn,
               parameters=ITEM_WRITE_PARAMETERS, responses={200: ExpectationOut, **error_responses(*ITEM_WRITE_ERRORS)})
class ExpectationPatch(ItemPatchBase):
    kind = Kind.EXPECTATION
    input_serializer_class = ExpectationPatchIn
    output_serializer_class = ExpectationOut


# -- Any item: history, citations, publish, retract, correct ------------------------------

@operation(operation_id="items_history", parameters=[ETAG_HEADER],
               responses={200: ChangeOut(many=True), **error_responses(*READ_ERRORS, *DETAIL_READ_ERRORS)})
class ItemHistory(ItemsMixin, BaseAPIMixin, ListAPIView):
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
        response["ETag"] = item_etag(self.item)
        return response


class ItemAction(RendersItems, ItemActionView):
    output_serializer_class = ItemOut


@operation(operation_id="items_citations_create", request=CitationIn, parameters=ITEM_WRITE_PARAMETERS,
               responses={201: CitationOut, 200: CitationOut, **error_responses(*ITEM_WRITE_ERRORS)})
class CitationAdd(ItemsMixin, ItemActionView):
    """Cite a source for the item. Citing the same source again with the same
    role and attribution is a retry: 200 with the existing citation."""

    input_serializer_class = CitationIn
    output_serializer_class = CitationOut

    def perform(self, item, data, *, expected_revision):
        cited = item.specific()
        citation = services.citation_add(item=cited, by=self.request.user, now=self.now,
                                         expected_revision=expected_revision, **data)
        # The service returns the existing citation, without a change, when
        # this one is already there; only a new one moved the revision.
        return cited, citation, cited.revision != item.revision

    def render_item(self, result):
        cited, citation, created = result
        return self.render(citation, status_code=201 if created else 200, headers={"ETag": item_etag(cited)})


@operation(operation_id="items_publish", request=ReasonIn, parameters=ITEM_WRITE_PARAMETERS,
               responses={200: item_schema(), **error_responses(*ITEM_WRITE_ERRORS)})
class ItemPublish(ItemAction):
    input_serializer_class = ReasonIn

    def perform(self, item, data, *, expected_revision):
        return services.item_publish(item=item, by=self.request.user, now=self.now,
                                     expected_revision=expected_revision, **data)


@operation(operation_id="items_retract", request=RequiredReasonIn, parameters=ITEM_WRITE_PARAMETERS,
               responses={200: item_schema(), **error_responses(*ITEM_WRITE_ERRORS)})
class ItemRetract(ItemAction):
    input_serializer_class = RequiredReasonIn

    def perform(self, item, data, *, expected_revision):
        return services.item_retract(item=item, by=self.request.user, now=self.now,
                                     expected_revision=expected_revision, **data)


@operation(operation_id="items_correct", request=CorrectIn, parameters=ITEM_WRITE_PARAMETERS,
               responses={200: item_schema(), **error_responses(*ITEM_WRITE_ERRORS)})
class ItemCorrect(ItemAction):
    input_serializer_class = CorrectIn

    def item_input(self, item):
        self.when_kind = item.kind  # the When's words are read for the item's kind
        return super().item_input(item)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "when_kind", None):
            context["when_kind"] = self.when_kind
        return context

    def perform(self, item, data, *, expected_revision):
        return services.item_correct(item=item, by=self.request.user, now=self.now,
                                     expected_revision=expected_revision, **service_arguments(data))
