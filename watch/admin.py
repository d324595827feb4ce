"""Watch in the admin: every subscription, notification and delivery, read-only.

Editors (staff with watch's view permissions) read everything; nobody edits a
row here, because every write goes through watch.services. Admins
(superusers) get the actions that call those services: resend dead
deliveries, confirm or end other people's subscriptions. Webhook secrets are
never shown: they were shown once, at creation.
"""

from django.contrib import admin, messages
from django.utils import timezone

from core.errors import ServiceError

from . import services
from .models import Delivery, DeliveryAttempt, Endpoint, Notification, ReminderDue, Subscriber, Subscription


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail pages only; writes are the services' (and the actions')."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SuperuserActionsMixin:
    """Actions declared with permissions=["superuser"] are offered to admins only."""

    def has_superuser_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class EndpointInline(ReadOnlyInline):
    model = Endpoint
    fields = ("kind", "address", "next_digest_at", "created_at")
    readonly_fields = fields


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "user", "tz", "digest_hour", "created_at")
    search_fields = ("email", "user__username", "user__email")
    inlines = [EndpointInline]


@admin.register(Endpoint)
class EndpointAdmin(ReadOnlyAdmin):
    list_display = ("address", "kind", "subscriber", "rotation", "next_digest_at", "created_at")
    list_filter = ("kind",)
    search_fields = ("address", "subscriber__email")
    # secret and previous_secret are deliberately absent.
    fields = ("subscriber", "kind", "address", "previous_secret_expires_at", "next_digest_at", "created_at")

    @admin.display(description="secret rotation")
    def rotation(self, endpoint):
        if endpoint.kind != Endpoint.Kind.WEBHOOK:
            return "—"
        if endpoint.previous_secret_expires_at and endpoint.previous_secret_expires_at > timezone.now():
            return f"two secrets until {endpoint.previous_secret_expires_at:%Y-%m-%d %H:%M} UTC"
        return "one secret"


@admin.register(Subscription)
class SubscriptionAdmin(SuperuserActionsMixin, ReadOnlyAdmin):
    list_display = ("subscriber", "target_label", "channel_list", "cadence", "news_list", "lead_list", "state")
    list_filter = ("target", "cadence", "wants_reminders", "wants_moves", "wants_verdicts", "wants_new_items")
    search_fields = ("subscriber__email", "subscriber__user__username", "storyline__slug", "actor__slug")
    list_select_related = ("subscriber", "subscriber__user", "storyline", "actor", "item")
    actions = ["confirm", "unsubscribe"]

    @admin.display(description="channels")
    def channel_list(self, subscription):
        return " + ".join(subscription.channels)

    @admin.display(description="news")
    def news_list(self, subscription):
        return ", ".join(n.replace("_", " ") for n in Subscription.NEWS if subscription.wants(n))

    @admin.display(description="lead times")
    def lead_list(self, subscription):
        return ", ".join(services.format_lead(lead) for lead in subscription.leads) or "—"

    @admin.display(description="state")
    def state(self, subscription):
        if subscription.unsubscribed_at:
            return f"unsubscribed {subscription.unsubscribed_at:%Y-%m-%d}"
        return "active" if subscription.confirmed_at else "waiting for confirmation"

    @admin.action(description="Confirm the selected subscriptions", permissions=["superuser"])
    def confirm(self, request, queryset):
        now = timezone.now()
        done = 0
        for subscription in queryset:
            try:
                services.subscription_confirm(subscription=subscription, now=now)
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"{subscription}: {exc.message}", messages.WARNING)
        self.message_user(request, f"Confirmed {done} subscription(s).")

    @admin.action(description="Unsubscribe the selected subscriptions", permissions=["superuser"])
    def unsubscribe(self, request, queryset):
        now = timezone.now()
        ended = sum(services.subscription_unsubscribe(subscription=s, now=now) for s in queryset)
        self.message_user(request, f"Ended {ended} subscription(s).")


@admin.register(ReminderDue)
class ReminderDueAdmin(ReadOnlyAdmin):
    list_display = ("item", "lead", "schedule_version", "due_at", "state", "note")
    list_filter = ("state",)
    search_fields = ("item__title",)
    list_select_related = ("item",)
    date_hierarchy = "due_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("headline", "kind", "endpoint", "cause", "delivery", "withdrawn_reason", "created_at")
    list_filter = ("kind", "news", "endpoint__kind")
    search_fields = ("headline", "endpoint__address", "delivery__public_id")
    list_select_related = ("endpoint", "delivery")


class DeliveryAttemptInline(ReadOnlyInline):
    model = DeliveryAttempt
    fields = ("number", "started_at", "finished_at", "outcome", "note")
    readonly_fields = fields
    show_change_link = False


class NotificationInline(ReadOnlyInline):
    model = Notification
    fields = ("kind", "headline", "item", "cause", "withdrawn_reason")
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(SuperuserActionsMixin, ReadOnlyAdmin):
    list_display = ("public_id", "channel", "endpoint", "is_digest", "state", "attempts", "next_attempt_at",
                    "last_error", "created_at")
    list_filter = ("state", "channel", "is_digest")
    search_fields = ("public_id", "endpoint__address")
    list_select_related = ("endpoint",)
    inlines = [NotificationInline, DeliveryAttemptInline]
    actions = ["resend"]

    @admin.action(description="Resend the selected dead or failed deliveries (same id)", permissions=["superuser"])
    def resend(self, request, queryset):
        now = timezone.now()
        resent = 0
        for delivery in queryset:
            try:
                services.delivery_resend(delivery=delivery, by=request.user, now=now)
                resent += 1
            except ServiceError as exc:
                self.message_user(request, exc.message, messages.WARNING)
        self.message_user(request, f"Queued {resent} delivery(ies) again; they keep their ids.")


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyAdmin):
    list_display = ("delivery", "number", "outcome", "started_at", "finished_at", "note")
    list_filter = ("outcome",)
    search_fields = ("delivery__public_id",)
    list_select_related = ("delivery",)
