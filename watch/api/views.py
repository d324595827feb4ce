"""Subscriptions and deliveries: one DRF generic view per path (core.api.views).

Who sees what (watch.api.selectors): a subscriber its own subscriptions and
the deliveries to its own endpoints; editors every delivery, read-only;
admins everything, including other people's subscriptions and resending a
delivery. Anything else answers 404, as if it did not exist.

Webhook secrets appear in two answers only: the create that made the
webhook endpoint, and a rotation. Both are POSTs, so a retry with the same
Idempotency-Key gets the stored answer back, secret included: the same
caller, asking the same thing with the same key, gets the same answer, which
is what the key promises (docs/api.md, "Subscriptions and deliveries").
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response
from rest_framework.serializers import DateTimeField

from core.api.errors import APIError, ErrorCode
from core.api.pagination import KeysetPagination
from core.api.views import (
    ActionAPIView, ListAPIView, ListCreateAPIView, RetrieveAPIView, RetrieveUpdateDestroyAPIView,
)
from core.errors import TransitionNotAllowed

from .. import services
from ..models import Endpoint, Subscription
from .filters import DeliveryFilter, SubscriptionFilter
from .permissions import Admin, InputMetadata, SignedIn
from .schema import (
    BAD_SUBSCRIPTION, ENDED, NO_DELIVERY, NO_WEBHOOK, NOT_ADMIN, NOT_RESENDABLE, NOT_YOURS, SOMEONE_ELSE, described,
)
from .selectors import deliveries_visible_to, subscriptions_posting_to, subscriptions_visible_to
from .serializers import (
    DeliveryOut, NoInput, RotatedSecretOut, SubscriptionCreatedOut, SubscriptionIn, SubscriptionOut,
    SubscriptionPatchIn,
)

BY_CREATION = {"created": ("created_at", "id"), "-created": ("-created_at", "-id")}
NEWEST_FIRST = {"-created": ("-created_at", "-id"), "created": ("created_at", "id")}


class WithoutBody:
    """Writes that take no input (rotate the secret, resend): OPTIONS says
    so, and whatever body comes is not read."""

    input_serializer_class = NoInput

    def input_for(self, row) -> dict:
        return {}


# -- Subscriptions ----------------------------------------------------------------------

class SubscriptionScope:
    """The subscriptions the caller may see and manage, by id."""

    permission_classes = [SignedIn]
    metadata_class = InputMetadata

    def get_queryset(self):
        return subscriptions_visible_to(self.request.user)

    def fresh(self, subscription: Subscription) -> Subscription:
        """The subscription as stored after a write, read the way the lists read it."""
        return subscriptions_visible_to(self.request.user).get(pk=subscription.pk)


def cancelled(subscription: Subscription) -> APIError:
    """409 for a write to an ended subscription, in watch's terms."""
    subscription.refresh_from_db(fields=["unsubscribed_at"])
    return APIError("This subscription was cancelled; subscribe again instead.",
                    status_code=status.HTTP_409_CONFLICT, code=ErrorCode.TRANSITION_NOT_ALLOWED,
                    current={"active": False, "unsubscribed_at": DateTimeField().to_representation(
                        subscription.unsubscribed_at) if subscription.unsubscribed_at else None})


@contextmanager
def unless_cancelled(subscription: Subscription):
    """The services refuse to change an ended subscription (TransitionNotAllowed)."""
    try:
        yield
    except TransitionNotAllowed:
        raise cancelled(subscription) from None


@extend_schema_view(
    get=extend_schema(description=(
        "Your subscriptions, ended ones included (`active=true` for the running ones); every subscription "
        "for admins. Oldest first.")),
    post=extend_schema(
        description=(
            "Subscribe your account (admins: anyone's) to a storyline, an actor, an item or everything public. "
            "201 with the webhook secret, shown this once; 200 when you already follow that target: the "
            "subscription is updated. Made by its owner, it is confirmed at once. Made by an admin for someone "
            "else (an email address or another account) with the email channel, it is confirmed by double opt-in, "
            "as on the site: a link is mailed to the address and nothing is sent until it is followed "
            "(`active` false, `confirmed_at` null meanwhile)."),
        responses={201: SubscriptionCreatedOut, 200: SubscriptionCreatedOut,
                   **described(e400=BAD_SUBSCRIPTION, e403=SOMEONE_ELSE)},
    ),
)
class SubscriptionListCreate(SubscriptionScope, ListCreateAPIView):
    serializer_class = SubscriptionOut
    input_serializer_class = SubscriptionIn
    filterset_class = SubscriptionFilter
    pagination_class = KeysetPagination
    keyset_orderings = BY_CREATION

    def perform_create(self, data) -> services.Subscribed:
        channels = data["channels"]
        # Only the owner of an inbox can say they want mail in it: a third
        # party's address gets the confirmation link first. A webhook-only
        # subscription is no one's inbox, and staff vouch for it.
        for_someone_else = data["user"] is None or data["user"].pk != self.request.user.pk
        confirmed = not (for_someone_else and Endpoint.Kind.EMAIL in channels)
        return services.subscription_create(
            now=self.now, confirmed=confirmed, user=data["user"], email=data["email"],
            storyline=data.get("storyline"), actor=data.get("actor"),
            item=str(data["item"]) if data.get("item") else None, everything=data["everything"],
            send_email=Endpoint.Kind.EMAIL in channels, webhook_url=data.get("webhook_url"),
            news=data.get("news"), cadence=data["cadence"], digest_hour=data.get("digest_hour"), tz=data.get("tz"),
            lead_times=data.get("lead_times"),
        )

    def location_of(self, subscribed) -> str:
        return reverse("watch-api:subscription-detail", kwargs={"pk": subscribed.subscription.pk})

    def render(self, subscribed, *, status_code=None, headers=None) -> Response:
        context = {**self.get_serializer_context(), "webhook_secret": subscribed.webhook_secret}
        data = SubscriptionCreatedOut(self.fresh(subscribed.subscription), context=context).data
        created = status.HTTP_201_CREATED if subscribed.created else status.HTTP_200_OK
        return Response(data, status=status_code or created, headers=headers)


@extend_schema_view(
    get=extend_schema(description="One subscription (never its webhook secret).",
                      responses={200: SubscriptionOut, **described(e404=NOT_YOURS)}),
    patch=extend_schema(
        description=(
            "Change which news, the lead times or the cadence. Other settings (channels, webhook URL, digest "
            "hour, time zone) change by subscribing again to the same target."),
        responses={200: SubscriptionOut, **described(e404=NOT_YOURS, e409=ENDED)},
    ),
    delete=extend_schema(
        description=(
            "Unsubscribe: the subscription stops at once (deliveries already queued are withdrawn at send time) "
            "and stays listed, ended, with `unsubscribed_at`. 204 again for one already ended."),
        request=None, responses={204: None, **described(e404=NOT_YOURS)},
    ),
)
class SubscriptionDetail(SubscriptionScope, RetrieveUpdateDestroyAPIView):
    serializer_class = SubscriptionOut
    input_serializer_class = SubscriptionPatchIn

    def perform_update(self, subscription, data) -> Subscription:
        with unless_cancelled(subscription):
            services.subscription_update(subscription=subscription, now=self.now, **data)
        return self.fresh(subscription)

    def perform_destroy(self, subscription) -> None:
        services.subscription_unsubscribe(subscription=subscription, now=self.now)


@dataclass(frozen=True)
class Rotated:
    subscription: Subscription
    endpoint: Endpoint
    secret: str
    subscriptions: list[int]


@extend_schema_view(post=extend_schema(
    operation_id="subscriptions_rotate_secret", request=None,
    responses={200: RotatedSecretOut, **described(e404=NOT_YOURS, e409=NO_WEBHOOK)},
))
class SubscriptionRotateSecret(SubscriptionScope, WithoutBody, ActionAPIView):
    """A new signing secret for the subscription's webhook, shown this once.
    The previous one keeps signing beside it for the overlap
    (`previous_secret_valid_until`, 72 hours by default). Rotating again
    within the overlap retires the oldest at once: retry with the same
    Idempotency-Key instead."""

    serializer_class = RotatedSecretOut

    def perform_action(self, subscription: Subscription, data) -> Rotated:
        if subscription.unsubscribed_at is not None:
            raise cancelled(subscription)
        if subscription.webhook_endpoint_id is None:
            raise APIError("This subscription has no webhook, so it has no secret to rotate.",
                           status_code=status.HTTP_409_CONFLICT, code=ErrorCode.TRANSITION_NOT_ALLOWED,
                           current={"channels": subscription.channels})
        endpoint = subscription.webhook_endpoint
        secret = services.webhook_rotate_secret(endpoint=endpoint, now=self.now)
        return Rotated(subscription, endpoint, secret, subscriptions_posting_to(endpoint))


# -- Deliveries ---------------------------------------------------------------------------

class DeliveryScope:
    """The deliveries the caller may see, by id."""

    permission_classes = [SignedIn]
    metadata_class = InputMetadata

    def get_queryset(self):
        return deliveries_visible_to(self.request.user)


class DeliveryList(DeliveryScope, ListAPIView):
    """Deliveries to your endpoints (editors and admins: every delivery),
    newest first, each with its attempts and notifications."""

    serializer_class = DeliveryOut
    filterset_class = DeliveryFilter
    pagination_class = KeysetPagination
    keyset_orderings = NEWEST_FIRST


@extend_schema_view(get=extend_schema(responses={200: DeliveryOut, **described(e404=NO_DELIVERY)}))
class DeliveryDetail(DeliveryScope, RetrieveAPIView):
    """One delivery, with its attempts and notifications."""

    serializer_class = DeliveryOut


@extend_schema_view(post=extend_schema(
    operation_id="deliveries_resend", request=None,
    responses={200: DeliveryOut, **described(e403=NOT_ADMIN, e404=NO_DELIVERY, e409=NOT_RESENDABLE)},
))
class DeliveryResend(DeliveryScope, WithoutBody, ActionAPIView):
    """Admins: put a dead or failed delivery back in the queue, with the same
    id and its attempts kept; the next dispatch sends it."""

    permission_classes = [Admin]
    serializer_class = DeliveryOut

    def perform_action(self, delivery, data):
        try:
            services.delivery_resend(delivery=delivery, by=self.request.user, now=self.now)
        except TransitionNotAllowed as exc:
            raise APIError(exc.message, status_code=status.HTTP_409_CONFLICT,
                           code=ErrorCode.TRANSITION_NOT_ALLOWED, current={"state": exc.current_status}) from None
        return self.get_queryset().get(pk=delivery.pk)
