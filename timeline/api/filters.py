"""Filters of the item lists (django-filter).

Relations are filtered with EXISTS subqueries rather than joins, so an item
in two matching storylines is listed once and the keyset order stays exact.
An unknown storyline or actor slug is a 400 naming the parameter, not an
empty list: a typo should not look like "nothing there".
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.api.filters import StrictBooleanFilter
from core.clock import request_now
from timeline import derived
from timeline.models import Actor, Item, Storyline
from timeline.when import PRECISIONS

ItemStorylines = Item.storylines.through
ItemActors = Item.actors.through


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(django_filters.ModelChoiceFilter):
    """A related row given by its slug."""

    def __init__(self, **kwargs):
        super().__init__(to_field_name="slug", **kwargs)


class ItemFilter(django_filters.FilterSet):
    storyline = SlugFilter(
        queryset=Storyline.objects.all(), method="filter_storyline",
        help_text="Items of the storyline with this slug.",
    )
    actor = SlugFilter(
        queryset=Actor.objects.all(), method="filter_actor",
        help_text="Items involving the actor with this slug.",
    )
    kind = django_filters.ChoiceFilter(choices=Item.Kind.choices)
    status = django_filters.MultipleChoiceFilter(
        choices=Item.Status.choices, help_text="Lifecycle status; repeat the parameter for several.",
    )
    editorial_state = django_filters.ChoiceFilter(
        choices=Item.EditorialState.choices,
        help_text="Only editors see other states than published; for others this narrows nothing else.",
    )
    precision = django_filters.ChoiceFilter(field_name="when_precision", choices=[(p, p) for p in PRECISIONS])
    after = django_filters.IsoDateTimeFilter(
        field_name="when_end", lookup_expr="gt",
        help_text="Windows that end after this instant (ISO 8601): still running or later. Undated items are left out.",
    )
    before = django_filters.IsoDateTimeFilter(
        field_name="when_start", lookup_expr="lt",
        help_text="Windows that start before this instant (ISO 8601). With `after`: windows overlapping [after, before).",
    )
    overdue = StrictBooleanFilter(
        method="filter_overdue",
        help_text="true: open items whose window has ended at the time of the request; false: all others.",
    )
    q = django_filters.CharFilter(
        method="filter_text", max_length=200,
        help_text="Words in the title or summary, or in the name or an alias of an actor involved.",
    )

    class Meta:
        model = Item
        fields = ["storyline", "actor", "kind", "status", "editorial_state", "precision", "after", "before",
                  "overdue", "q"]

    def filter_storyline(self, queryset, name, storyline):
        return queryset.filter(Exists(ItemStorylines.objects.filter(item_id=OuterRef("pk"), storyline=storyline)))

    def filter_actor(self, queryset, name, actor):
        return queryset.filter(Exists(ItemActors.objects.filter(item_id=OuterRef("pk"), actor=actor)))

    def filter_overdue(self, queryset, name, value):
        overdue = derived.overdue(request_now(self.request))
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_text(self, queryset, name, value):
        words = value.strip()
        if not words:
            return queryset
        by_actor = ItemActors.objects.filter(item_id=OuterRef("pk")).filter(
            Q(actor__name__icontains=words) | Q(actor__aliases__icontains=words)
        )
        return queryset.filter(Q(title__icontains=words) | Q(summary__icontains=words) | Exists(by_actor))


class TimelineFilter(django_filters.FilterSet):
    """The storyline's timeline narrows by kind and status only: it is the
    whole story in order, not a search."""

    kind = django_filters.ChoiceFilter(choices=Item.Kind.choices)
    status = django_filters.MultipleChoiceFilter(choices=Item.Status.choices)

    class Meta:
        model = Item
        fields = ["kind", "status"]
