"""Filters of the subscription and delivery lists (django-filter).

A value that is not one of the allowed ones is a 400 naming the parameter,
never a quietly unfiltered list.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q

from core.api.filters import StrictBooleanFilter

from ..models import Delivery, Endpoint, Notification, Subscription

# As watch.selectors.subscriptions_active: confirmed, not paused, not unsubscribed.
ACTIVE = Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True, paused_at__isnull=True)


class SubscriptionFilter(django_filters.FilterSet):
    target = django_filters.ChoiceFilter(
        choices=Subscription.Target.choices,
        help_text="What is followed: a storyline, an actor, an item, or everything.",
    )
    channel = django_filters.ChoiceFilter(
        choices=Endpoint.Kind.choices, method="filter_channel",
        help_text="Subscriptions that deliver on this channel (alone or with the other).",
    )
    active = StrictBooleanFilter(
        method="filter_active",
        help_text="true: confirmed, not paused and not unsubscribed (the ones that receive anything); false: the others.",
    )

    class Meta:
        model = Subscription
        fields = ["target", "channel", "active"]

    def filter_channel(self, queryset, name, value):
        if value == Endpoint.Kind.EMAIL:
            return queryset.filter(email_endpoint__isnull=False)
        return queryset.filter(webhook_endpoint__isnull=False)

    def filter_active(self, queryset, name, value):
        return queryset.filter(ACTIVE) if value else queryset.exclude(ACTIVE)


class DeliveryFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=Delivery.State.choices, help_text="The delivery's state; repeat the parameter for several.",
    )
    channel = django_filters.ChoiceFilter(choices=Endpoint.Kind.choices)
    item = django_filters.UUIDFilter(
        method="filter_item", help_text="Deliveries carrying news about the item with this public id.",
    )
    message_id = django_filters.CharFilter(
        field_name="public_id", max_length=40,
        help_text="The delivery a receiver saw, by its webhook-id or Message-ID (msg_...).",
    )

    class Meta:
        model = Delivery
        fields = ["state", "channel", "item", "message_id"]

    def filter_item(self, queryset, name, value):
        # EXISTS rather than a join: a digest with two notifications about the
        # item is listed once, and the keyset order stays exact.
        about = Notification.objects.filter(delivery_id=OuterRef("pk"), item__public_id=value)
        return queryset.filter(Exists(about))
