"""Subscriptions and deliveries: what clients send and what they get back.

Inputs check shape only (types, choices, ranges, a known time zone); the
services check meaning (an unknown storyline, a webhook URL the address guard
refuses, a lead time out of range) and say which field is wrong. Outputs
never carry a webhook secret, except the one answer that creates it
(SubscriptionCreatedOut) and the one that rotates it (RotatedSecretOut).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core.api.errors import APIError, ErrorCode
from core.roles import user_is_admin
from core.zones import is_zone_name

from ..models import Delivery, DeliveryAttempt, Endpoint, Notification, Subscription
from ..services import format_lead

CHANNELS = Endpoint.Kind.values  # ["email", "webhook"]
MAX_LEAD_TIMES = 20
NULLABLE_STRING = {"type": "string", "nullable": True}


class RejectsUnknownFields:
    """A 400 for fields the input does not have, rather than ignoring them: a
    misspelt `lead_time` would otherwise silently mean the default."""

    unknown_field_messages: dict[str, str] = {}

    def to_internal_value(self, data):
        errors, values = {}, {}
        try:
            values = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, Mapping):
                raise
            errors.update(exc.detail)
        if isinstance(data, Mapping):
            for name in sorted(set(data) - set(self.fields)):
                errors[name] = [self.unknown_field_messages.get(name, "Unknown field.")]
        if errors:
            raise serializers.ValidationError(errors)
        return values


def lead_time_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=MAX_LEAD_TIMES, **kwargs,
    )


def news_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=Subscription.NEWS), min_length=1, **kwargs,
    )


LEAD_TIMES_HELP = ('Reminder lead times, each a number and a unit (m, h, d, w): "30m", "36h", "7d", "2w"; '
                   "from 1 minute to 90 days.")
NEWS_HELP = ("Which news: reminders, moves (reschedules and cancellations), verdicts, new_items "
             "(docs/alerts.md, \"What is news\").")


# -- Input -------------------------------------------------------------------------

@extend_schema_serializer(examples=[
    OpenApiExample("A webhook on a storyline", request_only=True, value={
        "storyline": "gaza-ceasefire", "news": ["reminders", "moves", "verdicts", "new_items"],
        "channels": ["webhook"], "webhook_url": "https://example.org/hooks/forecast-watch",
        "lead_times": ["7d", "1d"],
    }),
    OpenApiExample("A daily email digest of everything", request_only=True, value={
        "everything": True, "channels": ["email"], "cadence": "digest", "digest_hour": 7, "tz": "Europe/Berlin",
    }),
    OpenApiExample("One item, by email and webhook", request_only=True, value={
        "item": "7c4a2f57-2f4e-4b4e-8a3c-1f9a5d3e2b10", "news": ["reminders"], "lead_times": ["1d", "30m"],
        "channels": ["email", "webhook"], "webhook_url": "https://hooks.example.org/fw",
    }),
])
class SubscriptionIn(RejectsUnknownFields, serializers.Serializer):
    # What: exactly one of these.
    storyline = serializers.CharField(required=False, max_length=100, help_text="Follow the storyline with this slug.")
    actor = serializers.CharField(required=False, max_length=100, help_text="Follow the actor with this slug.")
    item = serializers.UUIDField(required=False, help_text="Follow one published item, by its public id.")
    everything = serializers.BooleanField(required=False, default=False, help_text="Follow everything public.")
    # Which news, how, when.
    news = news_list(required=False, help_text=f"{NEWS_HELP} Default: all four.")
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=CHANNELS), min_length=1, max_length=2, required=False,
        help_text='"email" (to the account\'s address), "webhook" (to `webhook_url`), or both. Default: ["email"].',
    )
    webhook_url = serializers.CharField(
        required=False, max_length=2048,
        help_text="With the webhook channel: an http(s) URL whose host resolves to allowed (by default public) "
                  "addresses only.",
    )
    cadence = serializers.ChoiceField(
        choices=Subscription.Cadence.choices, default=Subscription.Cadence.IMMEDIATE,
        help_text="immediate, or a daily digest at `digest_hour` in `tz`.",
    )
    digest_hour = serializers.IntegerField(
        required=False, min_value=0, max_value=23,
        help_text="The local hour (0-23) of your daily digest. Yours, not this subscription's: it applies to all "
                  "your digests.",
    )
    tz = serializers.CharField(
        required=False, max_length=64,
        help_text='Your IANA time zone, e.g. "Europe/Zurich": where the digest hour is counted and exact times '
                  "are shown. Yours, like digest_hour.",
    )
    lead_times = lead_time_list(required=False, help_text=f"{LEAD_TIMES_HELP} Default: 7d and 1d.")
    # Whom: the caller, unless an admin names someone else.
    user = serializers.CharField(
        required=False, max_length=150,
        help_text="Admins only: subscribe this account (by user name) instead of yourself.",
    )
    email = serializers.EmailField(
        required=False, max_length=254,
        help_text="Admins only: subscribe this email address (without an account) instead of yourself. "
                  "It is confirmed by double opt-in: a link is mailed to the address first.",
    )

    def validate_tz(self, value: str) -> str:
        if not is_zone_name(value):
            raise serializers.ValidationError(
                f'Unknown time zone {value!r}: use an IANA name such as "Europe/Zurich".')
        return value

    def validate(self, attrs: dict) -> dict:
        errors = {}
        channels = attrs.setdefault("channels", [Endpoint.Kind.EMAIL])
        url = attrs.get("webhook_url")
        if Endpoint.Kind.WEBHOOK in channels and not url:
            errors["webhook_url"] = ['Required with the "webhook" channel.']
        if url and Endpoint.Kind.WEBHOOK not in channels:
            errors["channels"] = ['Add "webhook" to the channels to use webhook_url.']
        if errors:
            raise serializers.ValidationError(errors)
        attrs["user"], attrs["email"] = self._whom(attrs.get("user"), attrs.get("email"))
        return attrs

    def _whom(self, username: str | None, email: str | None):
        """(account, email address) to subscribe: the caller's account, or
        whom an admin names. A non-admin naming anyone else is refused before
        any lookup, so the answer does not reveal which user names exist."""
        caller = self.context["request"].user
        if not user_is_admin(caller):
            if email or (username is not None and username != caller.get_username()):
                raise APIError(
                    "Only administrators may subscribe someone else.", status_code=403,
                    code=ErrorCode.PERMISSION_DENIED,
                    fields={"email" if email else "user": ["Leave this out to subscribe yourself."]},
                )
            return caller, None
        if username is not None and email:
            raise serializers.ValidationError({"email": ["Give a user or an email address, not both."]})
        if email:
            return None, email
        if username is None:
            return caller, None
        account = get_user_model().objects.filter(username=username, is_active=True).first()
        if account is None:
            raise serializers.ValidationError({"user": [f"No active account {username!r}."]})
        return account, None


SUBSCRIBE_AGAIN = ("Not changed here: POST /subscriptions/ with the same target and the new value updates the "
                   "subscription (and, for digest_hour and tz, your other subscriptions too).")
NEW_TARGET = "The target cannot change: subscribe to the new one, and unsubscribe from this one."


class SubscriptionPatchIn(RejectsUnknownFields, serializers.Serializer):
    news = news_list(required=False, help_text=NEWS_HELP)
    lead_times = lead_time_list(required=False, help_text=f"{LEAD_TIMES_HELP} An empty list: no reminders.")
    cadence = serializers.ChoiceField(choices=Subscription.Cadence.choices, required=False)

    unknown_field_messages = {
        **dict.fromkeys(("channels", "webhook_url", "digest_hour", "tz"), SUBSCRIBE_AGAIN),
        **dict.fromkeys(("storyline", "actor", "item", "everything"), NEW_TARGET),
    }


class NoInput(serializers.Serializer):
    """Operations without a body (unsubscribe, rotate the secret, resend)."""


# -- Output ------------------------------------------------------------------------

class SubscriptionOut(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField(help_text="This subscription in the API.")
    user = serializers.SerializerMethodField(
        help_text="The account subscribed (its user name), or null for an email address without an account.",
    )
    target = serializers.ChoiceField(choices=Subscription.Target.choices)
    storyline = serializers.CharField(source="storyline.slug", allow_null=True,
                                      help_text="The storyline followed (its slug), if that is the target.")
    actor = serializers.CharField(source="actor.slug", allow_null=True,
                                  help_text="The actor followed (its slug), if that is the target.")
    item = serializers.SerializerMethodField(help_text="The item followed (its public id), if that is the target.")
    news = serializers.SerializerMethodField()
    channels = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField(help_text="Where email goes, or null without the email channel.")
    webhook_url = serializers.SerializerMethodField(help_text="Where webhooks go, or null without the webhook channel.")
    previous_secret_valid_until = serializers.SerializerMethodField(
        help_text="While a rotation's overlap lasts: until when the previous webhook secret also signs. Else null.",
    )
    cadence = serializers.ChoiceField(choices=Subscription.Cadence.choices)
    digest_hour = serializers.IntegerField(source="subscriber.digest_hour",
                                           help_text="The subscriber's digest hour (0-23), in `tz`.")
    tz = serializers.CharField(source="subscriber.tz", help_text="The subscriber's time zone.")
    lead_times = serializers.SerializerMethodField(help_text="Reminder lead times, longest first.")
    active = serializers.BooleanField(source="is_active",
                                      help_text="Confirmed, not paused and not unsubscribed: only active "
                                                "subscriptions receive.")
    confirmed_at = serializers.DateTimeField(allow_null=True)
    unsubscribed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_url(self, subscription) -> str:
        path = reverse("watch-api:subscription-detail", kwargs={"pk": subscription.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(NULLABLE_STRING)
    def get_user(self, subscription):
        user = subscription.subscriber.user
        return user.get_username() if user is not None else None

    @extend_schema_field({"type": "string", "format": "uuid", "nullable": True})
    def get_item(self, subscription):
        return str(subscription.item.public_id) if subscription.item_id else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Subscription.NEWS)))
    def get_news(self, subscription):
        return [news for news in Subscription.NEWS if subscription.wants(news)]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=CHANNELS)))
    def get_channels(self, subscription):
        return subscription.channels

    @extend_schema_field(NULLABLE_STRING)
    def get_email(self, subscription):
        return subscription.email_endpoint.address if subscription.email_endpoint_id else None

    @extend_schema_field(NULLABLE_STRING)
    def get_webhook_url(self, subscription):
        return subscription.webhook_endpoint.address if subscription.webhook_endpoint_id else None

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_previous_secret_valid_until(self, subscription):
        endpoint = subscription.webhook_endpoint if subscription.webhook_endpoint_id else None
        until = endpoint.previous_secret_expires_at if endpoint is not None else None
        if until is None or until <= self.context["now"]:
            return None
        return serializers.DateTimeField().to_representation(until)

    def get_lead_times(self, subscription) -> list[str]:
        return [format_lead(lead) for lead in subscription.leads]


class SubscriptionCreatedOut(SubscriptionOut):
    webhook_secret = serializers.SerializerMethodField(
        help_text="The webhook's signing secret (whsec_...), shown in this answer only: store it now. Null when "
                  "no new webhook endpoint was made (no webhook channel, or a URL you already use, whose secret "
                  "is unchanged). A retry with the same Idempotency-Key replays this answer, secret included.",
    )

    @extend_schema_field(NULLABLE_STRING)
    def get_webhook_secret(self, subscription):
        return self.context.get("webhook_secret")


class RotatedSecretOut(serializers.Serializer):
    subscription = serializers.IntegerField(source="subscription.pk", help_text="The subscription asked about.")
    webhook_url = serializers.CharField(source="endpoint.address", help_text="The webhook whose secret changed.")
    webhook_secret = serializers.CharField(
        source="secret",
        help_text="The new signing secret, shown in this answer only. It signs from now on; a retry with the same "
                  "Idempotency-Key replays this answer.",
    )
    previous_secret_valid_until = serializers.DateTimeField(
        source="endpoint.previous_secret_expires_at",
        help_text="Until then every webhook carries a signature with the previous secret too, so the receiver "
                  "can switch over.",
    )
    subscriptions = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Your subscriptions that post to this webhook: one secret per webhook URL, so the new one signs "
                  "for all of them.",
    )


class DeliveryAttemptOut(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(choices=DeliveryAttempt.Outcome.choices)

    class Meta:
        model = DeliveryAttempt
        fields = ["number", "started_at", "finished_at", "outcome", "note"]


class DeliveryNotificationOut(serializers.Serializer):
    item = serializers.UUIDField(source="item.public_id", help_text="The item the news is about (its public id).")
    cause = serializers.CharField(
        help_text='What caused it, unique per item and recipient: "change:<change id>" for news, '
                  '"reminder:v<schedule version>:<seconds>s" for a reminder.',
    )
    kind = serializers.ChoiceField(choices=Notification.Kind.choices,
                                        help_text="What happened, as channels render it.")
    news = serializers.ChoiceField(choices=Subscription.NEWS, help_text="Which kind of news a subscription must want.")
    headline = serializers.CharField()
    withdrawn_reason = serializers.CharField(
        help_text="Why it was dropped before sending (the item moved on, no subscription wants it), or empty.",
    )
    created_at = serializers.DateTimeField()


class DeliveryOut(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The delivery in this API (its URL).")
    message_id = serializers.CharField(
        source="public_id",
        help_text="What the receiver sees (msg_...): the webhook-id header or the email's Message-ID, the same on "
                  "every attempt. Find one with ?message_id=.",
    )
    url = serializers.SerializerMethodField(help_text="This delivery in the API.")
    # A plain string in the schema: as an enum it would be a second name
    # for the subscription's ChannelsEnum (drf-spectacular warns).
    channel = serializers.CharField(help_text='"email" or "webhook".')
    address = serializers.CharField(source="endpoint.address", help_text="The email address or webhook URL.")
    user = serializers.SerializerMethodField(
        help_text="The account it was sent for (its user name), or null for an email address without an account.",
    )
    is_digest = serializers.BooleanField()
    state = serializers.ChoiceField(choices=Delivery.State.choices)
    attempt_count = serializers.IntegerField(source="attempts", help_text="Attempts made so far.")
    next_attempt_at = serializers.DateTimeField(allow_null=True,
                                                help_text="When it will be tried (again), if pending or failed.")
    last_error = serializers.CharField(help_text="The last failure's message, or empty.")
    withdrawn_reason = serializers.CharField(help_text="Why it was not sent, if withdrawn.")
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    attempts = DeliveryAttemptOut(source="attempts_made", many=True, read_only=True,
                                  help_text="Every attempt, in order, with the channel's answer.")
    notifications = DeliveryNotificationOut(many=True, read_only=True,
                                            help_text="What it carries: one notification, or a digest's many.")

    def get_url(self, delivery) -> str:
        path = reverse("watch-api:delivery-detail", kwargs={"pk": delivery.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(NULLABLE_STRING)
    def get_user(self, delivery):
        user = delivery.endpoint.subscriber.user
        return user.get_username() if user is not None else None
