"""What the API's callers may see of watch, with what the output reads
loaded up front (a fixed number of queries per page, whatever its length).

Kept beside the API because the scoping is the API's roles; the queries are
plain reads, like watch.selectors.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.roles import user_is_admin, user_is_editor

from ..models import Delivery, DeliveryAttempt, Notification, Subscription


def sees_every_delivery(user) -> bool:
    """Editors read every delivery (the brief's roles); admins too."""
    if user_is_editor(user):
        return True
    staff = bool(user and user.is_authenticated and user.is_active and user.is_staff)
    return staff and user.has_perm("watch.view_delivery")


def subscriptions_visible_to(user) -> QuerySet:
    """A subscriber's own subscriptions (ended ones included); every one for admins.

    "Own" is the Subscriber row linked to the account: an email-only
    subscriber of the same address is the account's once it subscribed
    (watch.services.subscriptions._subscriber links them).
    """
    qs = Subscription.objects.select_related(
        "subscriber__user", "storyline", "actor", "item", "email_endpoint", "webhook_endpoint",
    )
    if user_is_admin(user):
        return qs
    if not (user and user.is_authenticated):
        return qs.none()
    return qs.filter(subscriber__user=user)


def deliveries_visible_to(user) -> QuerySet:
    """Deliveries to the caller's own endpoints; every delivery for editors and admins.

    Each with its attempts and notifications prefetched (one query each per
    page), the notifications with their item's public id.
    """
    qs = Delivery.objects.select_related("endpoint__subscriber__user").prefetch_related(
        Prefetch("attempts_made", queryset=DeliveryAttempt.objects.order_by("number", "id")),
        Prefetch("notifications", queryset=Notification.objects.select_related("item").only(
            "id", "delivery_id", "cause", "kind", "news", "headline", "withdrawn_reason", "created_at",
            "item__id", "item__public_id",
        ).order_by("created_at", "id")),
    )
    if sees_every_delivery(user):
        return qs
    if not (user and user.is_authenticated):
        return qs.none()
    return qs.filter(endpoint__subscriber__user=user)


def subscriptions_posting_to(endpoint) -> list[int]:
    """The running subscriptions that post to a webhook endpoint (all of one
    subscriber's: an endpoint is one subscriber's URL), which share its secret."""
    return list(
        Subscription.objects.filter(webhook_endpoint=endpoint, unsubscribed_at__isnull=True)
        .order_by("id").values_list("id", flat=True)
    )
