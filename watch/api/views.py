"""Subscriptions and deliveries: one view class per operation.

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
from rest_framework import status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.serializers import DateTimeField

from core.errors import TransitionNotAllowed
from timeline.api.framework import (
    CREATE_PARAMETERS, IDEMPOTENCY_KEY, REPLAYED_HEADER, APIError, BaseAPIMixin, CreateAPIView, ErrorCode,
    KeysetPagination, UpdateAPIView, WriteAPIView, operation,
)
from timeline.api.framework.schema import READ_ERRORS, WRITE_ERRORS

from .. import services
from ..models import Endpoint, Subscription
from .filters import DeliveryFilter, SubscriptionFilter
from .permissions import Admin, InputMetadata, SignedIn
from .schema import (
    BAD_SUBSCRIPTION, ENDED, NO_DELIVERY, NO_WEBHOOK, NOT_ADMIN, NOT_RESENDABLE, NOT_YOURS, SOMEONE_ELSE, errors,
)
from .selectors import deliveries_visible_to, subscriptions_posting_to, subscriptions_visible_to
from .serializers import (
    DeliveryOut, NoInput, RotatedSecretOut, SubscriptionCreatedOut, SubscriptionIn, SubscriptionOut,
    SubscriptionPatchIn,
)

BY_CREATION = {"created": ("created_at", "id"), "-created": ("-created_at", "-id")}
NEWEST_FIRST = {"-created": ("-created_at", "-id"), "created": ("created_at", "id")}


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


@operation(operation_id="subscriptions_list",
           responses={200: SubscriptionOut(many=True), **errors(*READ_ERRORS)})
class SubscriptionList(SubscriptionScope, BaseAPIMixin, ListAPIView):
    """Your subscriptions, ended ones included (`active=true` for the running
    ones); every subscription for admins. Oldest first."""

    serializer_class = SubscriptionOut
    filterset_class = SubscriptionFilter
    pagination_class = KeysetPagination
    keyset_orderings = BY_CREATION


@operation(operation_id="subscriptions_create", request=SubscriptionIn, parameters=CREATE_PARAMETERS,
           responses={201: SubscriptionCreatedOut, 200: SubscriptionCreatedOut,
                      **errors(*WRITE_ERRORS, e400=BAD_SUBSCRIPTION, e403=SOMEONE_ELSE)})
class SubscriptionCreate(SubscriptionScope, CreateAPIView):
    """Subscribe your account (admins: anyone's) to a storyline, an actor, an
    item or everything public. 201 with the webhook secret, shown this once;
    200 when you already follow that target: the subscription is updated.
    Made by its owner or an admin, it is confirmed at once."""

    input_serializer_class = SubscriptionIn
    output_serializer_class = SubscriptionCreatedOut

    def perform(self, data) -> services.Subscribed:
        channels = data["channels"]
        return services.subscription_create(
            now=self.now, confirmed=True, user=data["user"], email=data["email"],
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


@operation(operation_id="subscriptions_retrieve",
           responses={200: SubscriptionOut, **errors(e404=NOT_YOURS)})
class SubscriptionDetail(SubscriptionScope, BaseAPIMixin, RetrieveAPIView):
    """One subscription (never its webhook secret)."""

    serializer_class = SubscriptionOut


@operation(operation_id="subscriptions_partial_update", request=SubscriptionPatchIn,
           responses={200: SubscriptionOut, **errors(*WRITE_ERRORS, e404=NOT_YOURS, e409=ENDED)})
class SubscriptionPatch(SubscriptionScope, UpdateAPIView):
    """Change which news, the lead times or the cadence. Other settings
    (channels, webhook URL, digest hour, time zone) change by subscribing
    again to the same target."""

    input_serializer_class = SubscriptionPatchIn
    output_serializer_class = SubscriptionOut

    def perform(self, subscription, data) -> Subscription:
        with unless_cancelled(subscription):
            services.subscription_update(subscription=subscription, now=self.now, **data)
        return self.fresh(subscription)


@operation(operation_id="subscriptions_destroy", request=None,
           responses={204: None, **errors(e404=NOT_YOURS)})
class SubscriptionUnsubscribe(SubscriptionScope, WriteAPIView):
    """Unsubscribe: the subscription stops at once (deliveries already queued
    are withdrawn at send time) and stays listed, ended, with
    `unsubscribed_at`. 204 again for one already ended."""

    input_serializer_class = NoInput

    def delete(self, request, *args, **kwargs):
        def work():
            services.subscription_unsubscribe(subscription=self.get_object(), now=self.now)
            return Response(status=status.HTTP_204_NO_CONTENT)

        return self.run(work)


@dataclass(frozen=True)
class Rotated:
    subscription: Subscription
    endpoint: Endpoint
    secret: str
    subscriptions: list[int]


@operation(operation_id="subscriptions_rotate_secret", request=None,
           parameters=[IDEMPOTENCY_KEY, REPLAYED_HEADER],
           responses={200: RotatedSecretOut, **errors(*WRITE_ERRORS, e404=NOT_YOURS, e409=NO_WEBHOOK)})
class SubscriptionRotateSecret(SubscriptionScope, WriteAPIView):
    """A new signing secret for the subscription's webhook, shown this once.
    The previous one keeps signing beside it for the overlap
    (`previous_secret_valid_until`, 72 hours by default). Rotating again
    within the overlap retires the oldest at once: retry with the same
    Idempotency-Key instead."""

    input_serializer_class = NoInput
    output_serializer_class = RotatedSecretOut

    def post(self, request, *args, **kwargs):
        def work():
            return self.render(self.perform(self.get_object()))

        return self.run(work)

    def perform(self, subscription: Subscription) -> Rotated:
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


@operation(operation_id="deliveries_list", responses={200: DeliveryOut(many=True), **errors(*READ_ERRORS)})
class DeliveryList(DeliveryScope, BaseAPIMixin, ListAPIView):
    """Deliveries to your endpoints (editors and admins: every delivery),
    newest first, each with its attempts and notifications."""

    serializer_class = DeliveryOut
    filterset_class = DeliveryFilter
    pagination_class = KeysetPagination
    keyset_orderings = NEWEST_FIRST


@operation(operation_id="deliveries_retrieve", responses={200: DeliveryOut, **errors(e404=NO_DELIVERY)})
class DeliveryDetail(DeliveryScope, BaseAPIMixin, RetrieveAPIView):
    """One delivery, with its attempts and notifications."""

    serializer_class = DeliveryOut


@operation(operation_id="deliveries_resend", request=None, parameters=[IDEMPOTENCY_KEY, REPLAYED_HEADER],
           responses={200: DeliveryOut, **errors(*WRITE_ERRORS, e403=NOT_ADMIN, e404=NO_DELIVERY,
                                                 e409=NOT_RESENDABLE)})
class DeliveryResend(DeliveryScope, WriteAPIView):
    """Admins: put a dead or failed delivery back in the queue, with the same
    id and its attempts kept; the next dispatch sends it."""

    permission_classes = [Admin]
    input_serializer_class = NoInput
    output_serializer_class = DeliveryOut

    def post(self, request, *args, **kwargs):
        def work():
            delivery = self.get_object()
            try:
                services.delivery_resend(delivery=delivery, by=self.request.user, now=self.now)
            except TransitionNotAllowed as exc:
                raise APIError(exc.message, status_code=status.HTTP_409_CONFLICT,
                               code=ErrorCode.TRANSITION_NOT_ALLOWED, current={"state": exc.current_status}) from None
            return self.render(self.get_queryset().get(pk=delivery.pk))

        return self.run(work)
