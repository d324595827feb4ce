"""Reads for watch: who follows an item, what is owed, what operators look at."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from timeline.models import Actor, Item, Storyline

from . import audience
from .models import Delivery, Endpoint, Notification, Subscriber, Subscription


def subscriptions_active(queryset: QuerySet | None = None) -> QuerySet:
    """Confirmed, not paused and not unsubscribed: the only ones that receive anything."""
    qs = queryset if queryset is not None else Subscription.objects.all()
    return qs.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True, paused_at__isnull=True)


def subscriptions_covering(
    item: Item | int, *, news: str | None = None, endpoint: Endpoint | int | None = None, lead_seconds: int | None = None
) -> QuerySet:
    """Active subscriptions that cover `item`: through one of its storylines,
    one of its actors, the item itself, or everything public; optionally only
    those wanting `news` (and, for a reminder, having the lead time
    `lead_seconds`) and delivering to `endpoint`. The rule is
    watch.audience's, the same SQL the fan-out runs."""
    item_id = item if isinstance(item, int) else item.pk
    endpoint_id = endpoint.pk if isinstance(endpoint, Endpoint) else endpoint
    if endpoint_id is None:
        sql, repeats = audience.one_item_sql(connection.vendor)
        params = [item_id, news, lead_seconds] * repeats
    else:
        sql, repeats = audience.per_endpoint_rows_sql(connection.vendor)
        sql = f"SELECT a.subscription_id FROM ({sql}) a"
        params = audience.rows_parameters([(0, item_id, news, lead_seconds, endpoint_id)], connection.vendor) * repeats
    return Subscription.objects.filter(pk__in=RawSQL(sql, params))


def subscriptions_covering_each(rows, *, kind: str | None = None) -> dict[object, set[int]]:
    """For each (key, item_id, news, lead_seconds, endpoint_id) of `rows`,
    the ids of the active subscriptions of that endpoint that cover the item
    and want that news (and lead time): subscriptions_covering for many at
    once, in one query. Keys with no such subscription are absent. `kind`:
    the kind of all the rows' endpoints, when the caller knows it."""
    rows = list(rows)
    covering: dict[object, set[int]] = {}
    if not rows:
        return covering
    kinds = (kind,) if kind else tuple(Endpoint.Kind.values)
    sql, repeats = audience.per_endpoint_rows_sql(connection.vendor, kinds)
    with connection.cursor() as cursor:
        cursor.execute(sql, audience.rows_parameters(rows, connection.vendor) * repeats)
        for key, subscription_id in cursor.fetchall():
            covering.setdefault(key, set()).add(subscription_id)
    return covering


def lead_times_in_use(item_ids) -> dict[int, set[int]]:
    """For each item, the lead times (seconds) of the active subscriptions
    that cover it and want reminders: one query for any number of items, of
    a few index probes per item whatever its audience (watch.audience.lead_times_sql)."""
    item_ids = list(item_ids)
    if not item_ids:
        return {}
    placeholders = ", ".join(["%s"] * len(item_ids))
    sql = audience.lead_times_sql(f"SELECT id FROM timeline_item WHERE id IN ({placeholders})")
    leads: dict[int, set[int]] = {pk: set() for pk in item_ids}
    lead_field = Subscription._meta.get_field("lead_times")
    with connection.cursor() as cursor:
        cursor.execute(sql, item_ids)
        for item_id, lead_times in cursor.fetchall():
            leads[item_id].update(lead_field.from_db_value(lead_times, None, connection) or [])
    return leads


def subscriptions_of_subscriber(subscriber: Subscriber, *, include_ended: bool = False) -> QuerySet:
    qs = Subscription.objects.filter(subscriber=subscriber).select_related(
        "storyline", "actor", "item", "email_endpoint", "webhook_endpoint"
    )
    if not include_ended:
        qs = qs.filter(unsubscribed_at__isnull=True)
    return qs.order_by("created_at", "id")


def subscriber_by_email(email: str) -> Subscriber | None:
    return Subscriber.objects.filter(email=(email or "").strip().lower()).first()


def subscriber_by_id(pk: int) -> Subscriber | None:
    return Subscriber.objects.filter(pk=pk).first()


def subscription_by_id(pk: int, *, subscriber: Subscriber | None = None) -> Subscription | None:
    """One subscription with what its pages show (its subscriber and target);
    with `subscriber`, only if it is theirs."""
    qs = Subscription.objects.select_related("subscriber", "storyline", "actor", "item").filter(pk=pk)
    if subscriber is not None:
        qs = qs.filter(subscriber=subscriber)
    return qs.first()


def endpoint_by_id(pk: int) -> Endpoint | None:
    return Endpoint.objects.select_related("subscriber").filter(pk=pk).first()


def subscriptions_emailing(endpoint: Endpoint, *, ids: list[int] | None = None) -> QuerySet:
    """Live subscriptions that send to this email endpoint (only `ids`, when
    given): what a one-click unsubscribe of it would stop."""
    qs = Subscription.objects.filter(email_endpoint=endpoint, unsubscribed_at__isnull=True).select_related(
        "storyline", "actor", "item"
    )
    return qs.filter(pk__in=ids) if ids else qs


def items_covered_by(subscription: Subscription, *, now: datetime) -> QuerySet:
    """Published items with a reminder still ahead that `subscription` covers:
    open milestones and expectations whose window has not ended. An
    "everything" subscription is bounded by the open items (their partial index)."""
    qs = Item.objects.filter(
        editorial_state=Item.EditorialState.PUBLISHED,
        kind__in=(Item.Kind.MILESTONE, Item.Kind.EXPECTATION),
        status__in=Item.OPEN_STATUSES,
        when_end__gt=now,
    )
    if subscription.target == Subscription.Target.STORYLINE:
        qs = qs.filter(storylines=subscription.storyline_id)
    elif subscription.target == Subscription.Target.ACTOR:
        qs = qs.filter(actors=subscription.actor_id)
    elif subscription.target == Subscription.Target.ITEM:
        qs = qs.filter(pk=subscription.item_id)
    return qs.distinct().select_related("expectation")


def notifications_owed_digest(endpoint: Endpoint) -> QuerySet:
    """What the endpoint's next digest gathers: notifications not yet in any delivery."""
    return Notification.objects.filter(endpoint=endpoint, delivery__isnull=True, withdrawn_reason="").order_by(
        "created_at", "id"
    )


def deliveries_for_operators(*, state: str | None = None, channel: str | None = None) -> QuerySet:
    """The operators' list (the `deliveries` command, the admin): newest first."""
    qs = Delivery.objects.select_related("endpoint", "endpoint__subscriber")
    if state:
        qs = qs.filter(state=state)
    if channel:
        qs = qs.filter(channel=channel)
    return qs.order_by("-created_at", "-id")


def deliveries_to_subscriber(subscriber: Subscriber, *, limit: int = 10) -> list[Delivery]:
    """What the manage page lists: the latest deliveries to the subscriber's
    endpoints, newest first, each with its notifications (two queries)."""
    return list(
        Delivery.objects.filter(endpoint__subscriber=subscriber)
        .select_related("endpoint")
        .prefetch_related("notifications")
        .order_by("-created_at", "-id")[:limit]
    )


def follow_target(kind: str, key: str) -> dict | None:
    """A follow as the pages pass it ({"kind", "key", "label"}) for what a
    subscribe form names, or None when it names nothing public."""
    if kind == Subscription.Target.EVERYTHING:
        return {"kind": kind, "key": "", "label": "everything public on Forecast Watch"}
    if kind == Subscription.Target.STORYLINE:
        found = Storyline.objects.filter(slug=key).values_list("name", flat=True).first()
    elif kind == Subscription.Target.ACTOR:
        found = Actor.objects.filter(slug=key).values_list("name", flat=True).first()
    elif kind == Subscription.Target.ITEM:
        try:
            uuid.UUID(str(key))
        except ValueError:
            return None
        found = Item.objects.public().filter(public_id=key).values_list("title", flat=True).first()
    else:
        return None
    return {"kind": kind, "key": key, "label": found} if found else None
