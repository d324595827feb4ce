"""Events, milestones and expectations: what clients write and what they read.

Output serializers render an `Item` row loaded by `with_item_relations`, so a
list of any length costs the same few queries: the kind's own fields come
through the select_related child (`item.milestone`, `item.expectation`).
Items an anonymous reader may not see are never named in another item's
output either (a draft milestone an expectation is about shows as null).
"""

from __future__ import annotations

import uuid

from django.db import connection
from django.db.models import QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils.functional import cached_property
from drf_spectacular.utils import (
    OpenApiExample, PolymorphicProxySerializer, extend_schema_field, extend_schema_serializer,
)
from rest_framework import serializers

from core.api.concurrency import etag, etag_of
from timeline.models import Actor, Change, Citation, Expectation, Item, Milestone, Storyline
from timeline.services.items import STATUSES_BY_KIND
from timeline.services.verdicts import VERDICTS

from .reference import DURATION, INSTANT, CitationOut, instant
from .when import WhenIn, WhenOut, WrittenWhen

Kind = Item.Kind
Status = Item.Status

EVENT_STATUSES = [str(s) for s in STATUSES_BY_KIND[Kind.EVENT]]
MILESTONE_STATUSES = [str(s) for s in STATUSES_BY_KIND[Kind.MILESTONE]]
EXPECTATION_STATUSES = [str(s) for s in STATUSES_BY_KIND[Kind.EXPECTATION]]
VERDICT_STATUSES = [str(s) for s in VERDICTS]
NEW_EDITORIAL_STATES = [Item.EditorialState.DRAFT, Item.EditorialState.PROPOSED, Item.EditorialState.PUBLISHED]


def with_item_relations(queryset: QuerySet) -> QuerySet:
    """What the output serializers read, loaded in a fixed number of queries.

    The items an item names (the event that shows a milestone happened, an
    expectation's milestone, trigger and evidence, its holder and the
    citation naming an anonymous holder) are fetched after the page, one
    query each, and only for the references some item of the page has
    (`REFERENCES`): the items each are two tables through multi-table
    inheritance, and joined they made the page's one query 13 tables and 165
    columns, whose planning alone took longer than the rows on a new
    connection; a prefetch asked of a page that names none still costs a walk
    of every item. The page's query joins the kind's own row only.

    The related rows land in plain lists: kept on the related managers
    instead, every item would get three filtered querysets built for it, and
    three managers more when rendered, which cost more than the rows.
    The storylines' and actors' slugs, all an item shows of them, and the ids
    of its citations are read for the whole page in one query (`attach_links`),
    with no Storyline or Actor built, and the citations themselves only when
    the page has some: as three prefetches they cost more CPU than the page's
    own rows.
    """
    queryset = queryset.select_related("milestone", "expectation")
    # The iterable is what QuerySet.values() swaps too; clones keep it, so the
    # pagination's slices and .get() of a detail view load the page alike.
    queryset._iterable_class = _ItemPage
    return queryset


# What an item of each kind may name: (the kind's row, its foreign key).
REFERENCES = (
    ("milestone", "happened_event"),
    ("expectation", "about_milestone"),
    ("expectation", "trigger_event"),
    ("expectation", "evidence_event"),
    ("expectation", "holder"),
    ("expectation", "holder_citation"),
)


class _ItemPage(ModelIterable):
    def __iter__(self):
        items = list(super().__iter__())
        named = [
            f"{kind}__{key}" for kind, key in REFERENCES
            if any(getattr(getattr(item, kind), f"{key}_id") is not None for item in items if item.kind == kind)
        ]
        if named:
            prefetch_related_objects(items, *named)
        attach_links(items)
        return iter(items)


def attach_links(items: list[Item]) -> None:
    """Set `storyline_slugs` and `actor_slugs` (each in slug order) and
    `citations_in_order` (by id, with their source and outlet) on every item:
    one query of (item, slug or citation id) for all of them, and one more
    for the citations only when there are some."""
    by_id = {item.pk: item for item in items}
    for item in items:
        item.storyline_slugs, item.actor_slugs, item.citations_in_order = [], [], []
    if not by_id:
        return
    slugs, citing = ("storyline_slugs", "actor_slugs"), {}
    with connection.cursor() as cursor:
        cursor.execute(_links_sql(len(by_id)), [*by_id] * 3)
        for item_id, which, slug, citation_id in cursor.fetchall():
            if which < len(slugs):
                getattr(by_id[item_id], slugs[which]).append(slug)
            else:
                citing[citation_id] = by_id[item_id]
    if citing:
        for citation in Citation.objects.select_related("source__outlet").filter(pk__in=citing).order_by("id"):
            citing[citation.pk].citations_in_order.append(citation)


def _links_sql(count: int) -> str:
    placeholders = ", ".join(["%s"] * count)
    selects = []
    for which, name in enumerate(("storylines", "actors")):
        field = Item._meta.get_field(name)
        link, target = field.remote_field.through._meta, field.related_model._meta
        item_column = link.get_field(field.m2m_field_name()).column
        target_column = link.get_field(field.m2m_reverse_field_name()).column
        selects.append(
            f"SELECT l.{item_column}, {which}, t.slug, CAST(NULL AS BIGINT) FROM {link.db_table} l "
            f"JOIN {target.db_table} t ON t.{target.pk.column} = l.{target_column} "
            f"WHERE l.{item_column} IN ({placeholders})"
        )
    citation = Citation._meta
    item_column = citation.get_field("item").column
    selects.append(
        f"SELECT c.{item_column}, 2, NULL, c.{citation.pk.column} FROM {citation.db_table} c "
        f"WHERE c.{item_column} IN ({placeholders})"
    )
    return " UNION ALL ".join(selects) + " ORDER BY 2, 3"


# Where an item's public id goes in its URL (see ItemOutBase.get_url).
STAND_IN_ID = uuid.UUID(int=0)


def item_path(item: Item) -> str:
    return reverse(f"api-v1:{item.kind}-detail", kwargs={"public_id": item.public_id})


# -- Fields -------------------------------------------------------------------------

class KindField(serializers.ReadOnlyField):
    """The item's kind (declare it as `kind`), documented as the one value
    this serializer renders, so that the polymorphic schema (oneOf) matches
    exactly one branch."""

    def __init__(self, kind: str, **kwargs):
        super().__init__(**kwargs)
        extend_schema_field({"type": "string", "enum": [kind]})(self)


@extend_schema_field({"type": "string", "format": "uuid", "nullable": True})
class ItemRefField(serializers.Field):
    """Another item named by its public id; null when the reader may not see it."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, item):
        if item is None:
            return None
        if not (item.editorial_state == Item.EditorialState.PUBLISHED or self.context.get("is_editor")):
            return None
        return str(item.public_id)


@extend_schema_field({"type": "string"})
class SlugRef(serializers.SlugRelatedField):
    """A related row named by its slug (read only)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", read_only=True, **kwargs)


@extend_schema_field({"type": "integer"})
class IdRef(serializers.PrimaryKeyRelatedField):
    """A related row named by its id (read only)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)


# -- Output --------------------------------------------------------------------------

class ItemOutBase(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True, help_text="The item's public id.")
    url = serializers.SerializerMethodField(help_text="This item in the API.")
    title = serializers.CharField()
    summary = serializers.CharField()
    place = serializers.CharField()
    editorial_state = serializers.ChoiceField(choices=Item.EditorialState.choices)
    when = WhenOut(source="*")
    storylines = serializers.ListField(child=serializers.CharField(), source="storyline_slugs",
                                       help_text="Slugs of its storylines.")
    actors = serializers.ListField(child=serializers.CharField(), source="actor_slugs",
                                   help_text="Slugs of the actors involved.")
    citations = CitationOut(source="citations_in_order", many=True, read_only=True)
    overdue = serializers.SerializerMethodField(
        help_text="Open and its window has ended (computed at the time of the request, never stored).",
    )
    revision = serializers.IntegerField(help_text="Bumped by every write; the ETag carries it.")
    etag = serializers.SerializerMethodField(help_text="The value to send back in If-Match.")
    created_at = serializers.DateTimeField(**INSTANT)
    updated_at = serializers.DateTimeField(**INSTANT)

    def get_fields(self):
        # id, url, kind and status first: what a reader scans for.
        fields = super().get_fields()
        leading = [name for name in ("id", "url", "kind", "status") if name in fields]
        return {**{name: fields[name] for name in leading}, **{k: v for k, v in fields.items() if k not in leading}}

    @cached_property
    def _detail_url_parts(self) -> dict[str, tuple[str, str]]:
        return {}

    def get_url(self, item) -> str:
        return self._url(item.kind, str(item.public_id))

    def _url(self, kind: str, public_id: str) -> str:
        # reverse() and build_absolute_uri() cost more than the rest of an
        # item: the kind's URL is built once, around a stand-in id, and each
        # item's id put in its place.
        parts = self._detail_url_parts.get(kind)
        if parts is None:
            request = self.context.get("request")
            path = reverse(f"api-v1:{kind}-detail", kwargs={"public_id": STAND_IN_ID})
            url = request.build_absolute_uri(path) if request else path
            before, after = url.split(str(STAND_IN_ID))
            parts = self._detail_url_parts[kind] = (before, after)
        before, after = parts
        return f"{before}{public_id}{after}"

    def get_overdue(self, item) -> bool:
        return item.is_overdue(self.context["now"])

    def get_etag(self, item) -> str:
        return etag_of(item)

    def to_representation(self, item) -> dict:
        # Rendered for every item of a list, so written out rather than walked
        # field by field, as WhenOut is: the declared fields above are the
        # schema, and format whatever is more than the stored value
        # (references, nested rows; instants through `instant`, which gives
        # what their DateTimeField gives). tests/api/test_item_out.py checks that
        # this gives what DRF's own walk gives, key for key and byte for byte.
        fields, citations, public_id = self.fields, item.citations_in_order, str(item.public_id)
        return {
            "id": public_id,
            "url": self._url(item.kind, public_id),
            "kind": item.kind,
            "status": item.status,
            "title": item.title,
            "summary": item.summary,
            "place": item.place,
            "editorial_state": item.editorial_state,
            "when": fields["when"].to_representation(item),
            "storylines": item.storyline_slugs,
            "actors": item.actor_slugs,
            "citations": fields["citations"].to_representation(citations) if citations else [],
            "overdue": self.get_overdue(item),
            "revision": item.revision,
            "etag": etag(public_id, item.revision),
            "created_at": instant(item.created_at),
            "updated_at": instant(item.updated_at),
            **self.kind_representation(item),
        }

    def kind_representation(self, item) -> dict:
        """The fields the kind adds, after the shared ones (their declared order)."""
        return {}


def _or_none(field: serializers.Field, value):
    """What DRF's walk gives for a nullable field: null, or the field's rendering."""
    return None if value is None else field.to_representation(value)


class EventOut(ItemOutBase):
    kind = KindField(Kind.EVENT)
    status = serializers.ChoiceField(choices=EVENT_STATUSES)


class MilestoneOut(ItemOutBase):
    kind = KindField(Kind.MILESTONE)
    status = serializers.ChoiceField(choices=MILESTONE_STATUSES)
    postponed_count = serializers.IntegerField(source="milestone.postponed_count")
    happened_event = ItemRefField(source="milestone.happened_event", help_text="The event that shows it happened.")
    cancel_reason = serializers.CharField(source="milestone.cancel_reason")
    actual_when = serializers.SerializerMethodField(
        help_text="When it happened (the When of the event that shows it), for a happened milestone; null "
                  "otherwise. `when` keeps the planned window.",
    )

    @cached_property
    def _actual_when(self) -> WhenOut:
        return WhenOut(context=self.context)

    @extend_schema_field(WhenOut(allow_null=True))
    def get_actual_when(self, item):
        event = item.milestone.happened_event if item.status == Item.Status.HAPPENED else None
        return self._actual_when.to_representation(event) if event is not None else None

    def kind_representation(self, item) -> dict:
        milestone = item.milestone
        return {
            "postponed_count": milestone.postponed_count,
            "happened_event": self.fields["happened_event"].to_representation(milestone.happened_event),
            "cancel_reason": milestone.cancel_reason,
            "actual_when": self.get_actual_when(item),
        }


class VerdictOut(serializers.Serializer):
    status = serializers.ChoiceField(choices=VERDICT_STATUSES)
    decided_by = serializers.ChoiceField(choices=Expectation.DecidedBy.choices)
    decided_at = serializers.DateTimeField(allow_null=True, **INSTANT)
    note = serializers.CharField(source="verdict_note")
    evidence_event = ItemRefField()
    evidence_citation = IdRef(allow_null=True)
    reviewed_at = serializers.DateTimeField(source="verdict_reviewed_at", allow_null=True, **INSTANT,
                                            help_text="When an editor let the system's verdict stand.")


class ExpectationOut(ItemOutBase):
    kind = KindField(Kind.EXPECTATION)
    status = serializers.ChoiceField(choices=EXPECTATION_STATUSES)
    expectation_type = serializers.ChoiceField(source="expectation.expectation_type",
                                               choices=Expectation.ExpectationType.choices)
    holder = SlugRef(source="expectation.holder", allow_null=True)
    holder_citation = IdRef(source="expectation.holder_citation", allow_null=True)
    holder_display = serializers.CharField(source="expectation.holder_display",
                                           help_text="Who holds the expectation, as people read it.")
    criteria = serializers.CharField(source="expectation.criteria")
    target_kind = serializers.ChoiceField(source="expectation.target_kind", choices=Expectation.TargetKind.choices)
    about_milestone = ItemRefField(source="expectation.about_milestone")
    probability = serializers.DecimalField(source="expectation.probability", max_digits=4, decimal_places=3,
                                           coerce_to_string=False, allow_null=True)
    grace_period = serializers.DurationField(source="expectation.grace_period", allow_null=True, **DURATION)
    condition = serializers.CharField(source="expectation.condition")
    trigger_deadline = serializers.DurationField(source="expectation.trigger_deadline", allow_null=True, **DURATION)
    triggered_at = serializers.DateTimeField(source="expectation.triggered_at", allow_null=True, **INSTANT)
    trigger_event = ItemRefField(source="expectation.trigger_event")
    verdict = serializers.SerializerMethodField(help_text="The current verdict; null while open or dormant.")
    undecided_reason = serializers.CharField(
        source="expectation.undecided_reason",
        help_text="Why the verdict rules could not decide; an editor must. Empty otherwise.",
    )

    @cached_property
    def _verdict(self) -> VerdictOut:
        return VerdictOut(context=self.context)

    @extend_schema_field(VerdictOut(allow_null=True))
    def get_verdict(self, item):
        if item.status not in VERDICTS:
            return None
        return self._verdict.to_representation(item.expectation)

    def kind_representation(self, item) -> dict:
        expectation, fields = item.expectation, self.fields
        return {
            "expectation_type": expectation.expectation_type,
            "holder": _or_none(fields["holder"], expectation.holder),
            "holder_citation": expectation.holder_citation_id,  # IdRef renders the key alone
            "holder_display": expectation.holder_display,
            "criteria": expectation.criteria,
            "target_kind": expectation.target_kind,
            "about_milestone": fields["about_milestone"].to_representation(expectation.about_milestone),
            "probability": _or_none(fields["probability"], expectation.probability),
            "grace_period": _or_none(fields["grace_period"], expectation.grace_period),
            "condition": expectation.condition,
            "trigger_deadline": _or_none(fields["trigger_deadline"], expectation.trigger_deadline),
            "triggered_at": None if expectation.triggered_at is None else instant(expectation.triggered_at),
            "trigger_event": fields["trigger_event"].to_representation(expectation.trigger_event),
            "verdict": self.get_verdict(item),
            "undecided_reason": expectation.undecided_reason,
        }


OUT_BY_KIND = {Kind.EVENT: EventOut, Kind.MILESTONE: MilestoneOut, Kind.EXPECTATION: ExpectationOut}

def item_schema(*, many: bool = False) -> PolymorphicProxySerializer:
    """Any item in the schema: one of the three kinds, told apart by `kind`."""
    return PolymorphicProxySerializer(
        component_name="Item",
        serializers={Kind.EVENT.value: EventOut, Kind.MILESTONE.value: MilestoneOut, Kind.EXPECTATION.value: ExpectationOut},
        resource_type_field_name="kind",
        many=many,
    )


@extend_schema_field(item_schema())
class ItemOut(serializers.BaseSerializer):
    """Any item, rendered by the serializer of its kind.

    One serializer per kind, built on first use, renders every item of that
    kind in a list: DRF deep-copies a serializer's declared fields (some thirty
    here, with their nested When, citations and slugs) each time one is built,
    which cost more than rendering the item itself when it was done per item.
    """

    @cached_property
    def _by_kind(self) -> dict[str, serializers.Serializer]:
        return {}

    def to_representation(self, item):
        serializer = self._by_kind.get(item.kind)
        if serializer is None:
            serializer = self._by_kind[item.kind] = OUT_BY_KIND[item.kind](context=self.context)
        return serializer.to_representation(item)


# -- Input -----------------------------------------------------------------------------

def slugs(model, help_text: str):
    return serializers.SlugRelatedField(
        slug_field="slug", queryset=model.objects.all(), many=True, required=False, help_text=help_text,
    )


def item_ref(model, help_text: str, **kwargs):
    return serializers.SlugRelatedField(
        slug_field="public_id", queryset=model.objects.all(), required=False, allow_null=True,
        help_text=help_text, **kwargs,
    )


class ItemIn(serializers.Serializer):
    """What every kind of item is created with."""

    kind = None  # set by subclasses; the When's words are read for it

    title = serializers.CharField(max_length=300)
    summary = serializers.CharField(required=False, allow_blank=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    storylines = slugs(Storyline, "Slugs of the storylines it belongs to.")
    actors = slugs(Actor, "Slugs of the actors involved.")
    editorial_state = serializers.ChoiceField(
        choices=NEW_EDITORIAL_STATES, required=False, help_text="Default draft; `published` makes it public now.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Kept in the change log.")

    def get_fields(self):
        fields = super().get_fields()
        fields["when"] = WhenIn(kind=self.kind, help_text="The When as reported (text, as_of, tz) or as EDTF (edtf, tz).")
        return fields


class ItemPatchIn(ItemIn):
    """An edit: any subset of the fields; status and editorial state change
    only through their actions (publish, retract, confirm, settle...)."""

    title = serializers.CharField(max_length=300, required=False)
    editorial_state = None

    def get_fields(self):
        fields = super().get_fields()
        fields["when"] = WhenIn(
            kind=self.kind, required=False,
            help_text="A fix of how the date was read (not a postponement: use the postpone action).",
        )
        return fields

    def validate(self, attrs):
        # An empty edit would still write a change row and bump the revision.
        if not set(attrs) - {"reason"}:
            raise serializers.ValidationError({"non_field_errors": ["Give at least one field to change."]})
        return attrs


def _expectation_fields() -> dict[str, serializers.Field]:
    return {
        "expectation_type": serializers.ChoiceField(choices=Expectation.ExpectationType.choices, required=False),
        "holder": serializers.SlugRelatedField(
            slug_field="slug", queryset=Actor.objects.all(), required=False, allow_null=True,
            help_text="The actor who holds it; leave out for an anonymous holder (see holder_citation).",
        ),
        "holder_citation": serializers.PrimaryKeyRelatedField(
            queryset=Citation.objects.all(), required=False, allow_null=True,
            help_text="The citation whose attribution names an anonymous holder.",
        ),
        "criteria": serializers.CharField(required=False, allow_blank=True),
        "target_kind": serializers.ChoiceField(choices=Expectation.TargetKind.choices, required=False),
        "about_milestone": item_ref(Milestone, "The milestone whose outcome settles it."),
        "probability": serializers.DecimalField(max_digits=4, decimal_places=3, min_value=0, max_value=1,
                                                required=False, allow_null=True),
        "grace_period": serializers.DurationField(required=False, allow_null=True, **DURATION),
        "condition": serializers.CharField(required=False, allow_blank=True,
                                           help_text="For a conditional: what must happen first."),
        "trigger_deadline": serializers.DurationField(
            required=False, allow_null=True, **DURATION,
            help_text='For a conditional: the deadline counted from the trigger, e.g. "P90D"; null for none.',
        ),
    }


class EventIn(ItemIn):
    kind = Kind.EVENT


class EventPatchIn(ItemPatchIn):
    kind = Kind.EVENT


@extend_schema_serializer(examples=[
    OpenApiExample("The Davos meeting", value={
        "title": "First meeting of the Gaza Board of Peace at Davos",
        "when": {"text": "on Jan. 23", "as_of": "2025-12-30", "tz": "Europe/Zurich"},
        "place": "Davos", "storylines": ["gaza-ceasefire"], "actors": ["trump"], "editorial_state": "published",
    }, request_only=True),
])
class MilestoneIn(ItemIn):
    kind = Kind.MILESTONE
    status = serializers.ChoiceField(choices=[Status.SCHEDULED, Status.CONFIRMED], required=False,
                                     help_text="Default scheduled.")


class MilestonePatchIn(ItemPatchIn):
    kind = Kind.MILESTONE


@extend_schema_serializer(examples=[
    OpenApiExample("A January announcement", value={
        "title": "Trump announces phase two, the Board of Peace and the technocratic government",
        "when": {"text": "in January", "as_of": "2025-12-30", "tz": "UTC"},
        "expectation_type": "forecast", "target_kind": "during", "storylines": ["gaza-ceasefire"],
        "criteria": "An announcement by Trump of all three during January 2026.",
    }, request_only=True),
])
class ExpectationIn(ItemIn):
    kind = Kind.EXPECTATION
    status = serializers.ChoiceField(
        choices=[Status.OPEN, Status.DORMANT], required=False,
        help_text="Default open; a conditional starts dormant unless its condition already came about.",
    )

    def get_fields(self):
        return {**super().get_fields(), **_expectation_fields()}


class ExpectationPatchIn(ItemPatchIn):
    kind = Kind.EXPECTATION

    def get_fields(self):
        return {**super().get_fields(), **_expectation_fields()}


def service_arguments(data: dict) -> dict:
    """Validated input as keyword arguments of a service: a WrittenWhen
    becomes `when` and `as_of` (or `actual` and `as_of`)."""
    arguments = dict(data)
    for name in ("when", "actual"):
        written = arguments.get(name)
        if isinstance(written, WrittenWhen):
            arguments[name] = written.when
            arguments["as_of"] = written.as_of
    return arguments


# -- History ------------------------------------------------------------------------------

class ChangeOut(serializers.ModelSerializer):
    by = serializers.SerializerMethodField(
        help_text='Who made the change: the editor\'s user name (for editors), else "editor", or "system".',
    )
    before = serializers.DictField(help_text="The changed fields before the change.")
    after = serializers.DictField(help_text="The changed fields after the change.")
    reason = serializers.SerializerMethodField(
        help_text="The editor's internal note: editors only (an empty string for everyone else).",
    )
    public_note = serializers.CharField(help_text="The note subscribers and readers see.")

    class Meta:
        model = Change
        fields = ["id", "kind", "at", "by", "public_note", "reason", "before", "after", "revision",
                  "schedule_version"]

    def get_reason(self, change) -> str:
        return change.reason if self.context.get("is_editor") else ""

    def get_by(self, change) -> str:
        if change.by_label == "system" and change.by_user_id is None:
            return "system"
        return change.by_label if self.context.get("is_editor") else "editor"


# -- Due ------------------------------------------------------------------------------------

class DueEntryOut(serializers.Serializer):
    item = ItemOut()
    reason = serializers.CharField(help_text="Why it is listed, in words.")


class DueReportOut(serializers.Serializer):
    now = serializers.DateTimeField(help_text="The moment the report was computed for.")
    within = serializers.CharField(help_text="The horizon of `upcoming`, as asked.")
    upcoming = DueEntryOut(many=True, help_text="Windows opening, or deadlines falling, within the horizon.")
    overdue = DueEntryOut(many=True, help_text="Open items whose window has ended.")
    needs_verdict = DueEntryOut(
        many=True,
        help_text="Overdue, missed by the system and not yet reviewed or overturned, or undecided by the rules.",
    )

