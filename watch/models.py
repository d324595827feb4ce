"""Alerts: who follows what, when reminders fire, and every message sent.

The pipeline, in rows:

    timeline.Change ──(process_changes)──► Notification ──► Delivery ──► DeliveryAttempt
    ReminderDue ─────(fire_due_reminders)─┘

A Notification is one piece of news owed to one recipient Endpoint (an email
address or a webhook URL), unique per (endpoint, item, cause), so the same news
cannot be written twice whatever runs twice. A Delivery is one send of one
notification, or of a digest of many, with a public id that stays the same on
every retry. Nothing here saves itself: every write goes through
watch.services.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.db.models.functions import Lower

from timeline.models import Actor, Change, Item, Storyline


def new_delivery_id() -> str:
    # The id receivers dedupe by (webhook-id, the email's Message-ID). Random,
    # so it reveals nothing about our row counts.
    return f"msg_{uuid.uuid4().hex}"


class Subscriber(models.Model):
    """Who: an account, or an email address (confirmed per subscription by
    double opt-in). One row per person, so an account and the address it
    receives mail at share one email endpoint: one message per news."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="watch_subscriber"
    )
    # Stored lower-cased: every mail system we deliver to treats addresses
    # case-insensitively, and two rows for Foo@ and foo@ would mean two emails.
    email = models.EmailField(blank=True)
    tz = models.CharField("time zone", max_length=64, default="UTC",
                          help_text="Where exact times are shown and the daily digest's hour is counted.")
    digest_hour = models.PositiveSmallIntegerField(default=8, help_text="Local hour (0-23) of the daily digest.")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="subscriber_email_unique"),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(email=""), name="subscriber_has_identity"),
            models.CheckConstraint(condition=Q(digest_hour__lte=23), name="subscriber_digest_hour_valid"),
        ]

    def __str__(self):
        if self.user_id and not self.email:
            return self.user.get_username()
        return self.email


class Endpoint(models.Model):
    """Where a subscriber's messages go: one email address or one webhook URL.

    Notifications and deliveries are per endpoint, which is what makes "one
    message per piece of news on each channel" hold however many of the
    subscriber's subscriptions match.
    """

    class Kind(models.TextChoices):
        EMAIL = "email"
        WEBHOOK = "webhook"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="endpoints")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    address = models.CharField(max_length=2048, help_text="The email address or the webhook URL.")
    # Webhooks: the signing secret is generated here and shown once, when the
    # endpoint is created. During a rotation the previous one stays valid
    # (messages carry a signature of each) until previous_secret_expires_at.
    # Stored as is, since signing needs the secret itself, not a hash.
    secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When this endpoint's next daily digest is due; null while none of its
    # subscriptions is on the digest cadence.
    next_digest_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "kind", "address"], name="endpoint_unique_per_subscriber"),
        ]
        indexes = [
            # The digest sweep: endpoints whose digest is due.
            models.Index(fields=["next_digest_at"], condition=Q(next_digest_at__isnull=False),
                         name="endpoint_digest_due"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.address}"

    def signing_secrets(self, now) -> tuple[str, ...]:
        """The secrets a webhook is signed with at `now`: the current one, and
        the previous one while a rotation's overlap lasts."""
        if self.kind != self.Kind.WEBHOOK or not self.secret:
            return ()
        if self.previous_secret and self.previous_secret_expires_at and self.previous_secret_expires_at > now:
            return (self.secret, self.previous_secret)
        return (self.secret,)


# Active (watch.audience.ACTIVE) and wanting reminders: the rows whose lead
# times make an item's due rows.
_WANTS_REMINDERS = Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True, paused_at__isnull=True,
                     wants_reminders=True)


class Subscription(models.Model):
    """What a subscriber follows, which news, how and when."""

    class Target(models.TextChoices):
        STORYLINE = "storyline"
        ACTOR = "actor"
        ITEM = "item"
        EVERYTHING = "everything", "everything public"

    class Cadence(models.TextChoices):
        IMMEDIATE = "immediate"
        DIGEST = "digest", "daily digest"

    # The four kinds of news a subscription can ask for; see
    # watch.services.news for which change kinds fall in which.
    REMINDERS, MOVES, VERDICTS, NEW_ITEMS = "reminders", "moves", "verdicts", "new_items"
    NEWS = (REMINDERS, MOVES, VERDICTS, NEW_ITEMS)
    # "Due now, needs a verdict": not a choice a subscriber makes (it is not
    # in NEWS), but what a subscription made by assigning the item to someone
    # on the desk carries (desk.services.assign; watch.services.assignment).
    ASSIGNED = "assigned"
    NEWS_FIELD = {
        REMINDERS: "wants_reminders", MOVES: "wants_moves", VERDICTS: "wants_verdicts", NEW_ITEMS: "wants_new_items",
        ASSIGNED: "via_assignment",
    }

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    target = models.CharField(max_length=20, choices=Target.choices)
    storyline = models.ForeignKey(Storyline, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    wants_reminders = models.BooleanField("reminders", default=True)
    wants_moves = models.BooleanField("reschedules and cancellations", default=True)
    wants_verdicts = models.BooleanField("verdicts", default=True)
    wants_new_items = models.BooleanField("new items", default=True)
    # Kept in step by the desk's assignment: the assignee's subscription to
    # the item wants the "due now" notice; `made_by_assignment` says the
    # assignment created it (so unassigning ends it), rather than flagging a
    # subscription the person had made themselves (unassigning then only
    # clears the flag).
    via_assignment = models.BooleanField("assignee's notices", default=False, db_default=False, editable=False)
    made_by_assignment = models.BooleanField(default=False, db_default=False, editable=False)

    # How: email, webhook, or both.
    email_endpoint = models.ForeignKey(Endpoint, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    webhook_endpoint = models.ForeignKey(Endpoint, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.IMMEDIATE)
    # Reminder lead times in seconds, sorted, longest first. JSON rather than
    # an array column so SQLite (make run) and PostgreSQL share one schema.
    lead_times = models.JSONField(default=list, blank=True)

    # Unconfirmed subscriptions receive nothing; confirmed_at is set by the
    # double opt-in link, or at creation for accounts and staff.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # One more on every write. A change is an UPDATE filtered on the version
    # its caller read, so of two overlapping writes the second matches no row
    # and stops, instead of acting on a state that is no longer there.
    version = models.PositiveIntegerField(default=1)
    # The secret of the subscription's private calendar (/feeds/s/<token>.ics,
    # watch/feeds.py): random, unique, rotated or revoked from the manage
    # page; null while it has none.
    feed_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # Paused by its subscriber from the manage page: receives nothing until
    # resumed, but stays theirs, with its settings.
    paused_at = models.DateTimeField(null=True, blank=True)
    # The confirmation mail's outbox, on the row it confirms: `confirm_due_at`
    # is set when a double opt-in mail is owed (and, while a worker sends it,
    # holds that worker's lease), cleared once it is sent. `confirm_requested_at`
    # is the last request that queued one: another is queued at most once per
    # WATCH_CONFIRM_RESEND_SECONDS. See watch.services.confirmations.
    confirm_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirm_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirm_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(target="storyline", storyline__isnull=False, actor__isnull=True, item__isnull=True)
                    | Q(target="actor", storyline__isnull=True, actor__isnull=False, item__isnull=True)
                    | Q(target="item", storyline__isnull=True, actor__isnull=True, item__isnull=False)
                    | Q(target="everything", storyline__isnull=True, actor__isnull=True, item__isnull=True)
                ),
                name="subscription_target_consistent",
            ),
            models.CheckConstraint(
                condition=Q(email_endpoint__isnull=False) | Q(webhook_endpoint__isnull=False),
                name="subscription_has_channel",
            ),
            # One live subscription per subscriber and target: two concurrent
            # creates both pass the service's lookup, and the loser's insert
            # fails here, so its retry finds and updates the winner's row.
            models.UniqueConstraint(
                "subscriber", "target",
                Coalesce("storyline", Value(0)), Coalesce("actor", Value(0)), Coalesce("item", Value(0)),
                condition=Q(unsubscribed_at__isnull=True),
                name="subscription_one_live_per_target",
            ),
        ]
        indexes = [
            # "Everything" subscriptions are read for every piece of news.
            models.Index(fields=["target"], condition=Q(target="everything", confirmed_at__isnull=False,
                                                        unsubscribed_at__isnull=True),
                         name="subscription_everything_active"),
            # The confirmation outbox: mails owed, by when.
            models.Index(fields=["confirm_due_at"], condition=Q(confirm_due_at__isnull=False),
                         name="subscription_confirm_due"),
            # The lead times in use per target (watch.audience.lead_times_sql),
            # walked from one distinct list to the next: an item's due rows
            # cost a few probes however many follow it.
            models.Index(fields=["storyline", "lead_times"], condition=Q(target="storyline") & _WANTS_REMINDERS,
                         name="subscription_leads_storyline"),
            models.Index(fields=["actor", "lead_times"], condition=Q(target="actor") & _WANTS_REMINDERS,
                         name="subscription_leads_actor"),
            models.Index(fields=["item", "lead_times"], condition=Q(target="item") & _WANTS_REMINDERS,
                         name="subscription_leads_item"),
            models.Index(fields=["lead_times"], condition=Q(target="everything") & _WANTS_REMINDERS,
                         name="subscription_leads_everything"),
        ]

    def __str__(self):
        return f"{self.subscriber} → {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.target == self.Target.EVERYTHING:
            return "everything public"
        return f"{self.target} {getattr(self, self.target)}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None and self.paused_at is None

    @property
    def leads(self) -> list[timedelta]:
        return [timedelta(seconds=s) for s in self.lead_times]

    @property
    def channels(self) -> list[str]:
        return [kind for kind, fk in (("email", self.email_endpoint_id), ("webhook", self.webhook_endpoint_id)) if fk]

    def endpoint_ids(self) -> list[int]:
        return [pk for pk in (self.email_endpoint_id, self.webhook_endpoint_id) if pk]

    def wants(self, news: str) -> bool:
        return getattr(self, self.NEWS_FIELD[news])


class ReminderDue(models.Model):
    """One reminder to fire: per (item, lead time in use, schedule version).

    A handful per item whatever the number of subscribers: firing fans out to
    the subscriptions active at that moment. Rewritten when the item's
    schedule changes (old pending rows withdrawn, new ones written).
    """

    class State(models.TextChoices):
        PENDING = "pending"
        FIRED = "fired"
        SKIPPED = "skipped"  # missed during downtime behind a later lead time, or the window already opened
        WITHDRAWN = "withdrawn"  # the item moved or ended before it fired

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    lead = models.DurationField()
    schedule_version = models.PositiveIntegerField()
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    settled_at = models.DateTimeField(null=True, blank=True, help_text="When it fired, was skipped or withdrawn.")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "reminder due"
        verbose_name_plural = "reminders due"
        constraints = [
            models.UniqueConstraint(fields=["item", "lead", "schedule_version"], name="reminder_due_unique"),
        ]
        indexes = [
            # The reminder sweep: pending rows by due time.
            models.Index(fields=["due_at"], condition=Q(state="pending"), name="reminder_due_pending"),
            # Rewriting one item's schedule.
            models.Index(fields=["item"], condition=Q(state="pending"), name="reminder_due_pending_item"),
        ]

    def __str__(self):
        return f"{self.item_id} −{self.lead} v{self.schedule_version} at {self.due_at:%Y-%m-%d %H:%M}"


class Delivery(models.Model):
    """One send to one endpoint: a single notification, or a digest of many.

        pending ──claim──► sending ──► sent
           ▲                  │  └───► failed ──(next_attempt_at)──► claimed again
           │                  │  └───► dead  (last attempt, or a permanent error)
           └──lease expired───┘  └───► withdrawn (no longer wanted or out of date)

    `public_id` is the same on every attempt, so a receiver that dedupes by it
    sees each piece of news once.
    """

    class State(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"
        DEAD = "dead"
        WITHDRAWN = "withdrawn"

    public_id = models.CharField(max_length=40, unique=True, default=new_delivery_id, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Endpoint.Kind.choices, editable=False)
    is_digest = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # Pending and failed deliveries are claimed once this has passed.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # While sending: the claim's token (each claim gets a new one, so a
    # message from an earlier claim that arrives late is recognised and
    # dropped), its lease, and when a worker actually started sending.
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    send_started_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    withdrawn_reason = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [
            # The dispatch sweep: pending or failed deliveries whose time has come.
            models.Index(fields=["next_attempt_at"], condition=Q(state__in=["pending", "failed"]),
                         name="delivery_due"),
            # The lease sweep: sending deliveries by lease expiry.
            models.Index(fields=["lease_expires_at"], condition=Q(state="sending"), name="delivery_lease"),
            # Operators' lists: dead deliveries first of all.
            models.Index(fields=["state", "created_at"], name="delivery_state_created"),
        ]

    def __str__(self):
        return self.public_id


class Notification(models.Model):
    """One piece of news owed to one endpoint.

    Unique per (endpoint, item, cause): the cause is the change row for news
    ("change:<id>") and the schedule version and lead time for reminders
    ("reminder:v<version>:<seconds>s"), so neither a sweep that runs twice nor
    a person subscribed to a storyline, an actor and the item itself gets the
    same news twice on one channel.
    """

    class Kind(models.TextChoices):
        # What channels render (NewsItem.cause).
        REMINDER = "reminder"
        NEW_ITEM = "new_item", "new item"
        MOVED = "moved"
        CONFIRMED = "confirmed"
        CANCELLED = "cancelled"
        RETRACTED = "retracted"
        HAPPENED = "happened"
        VERDICT = "verdict"
        UPDATED = "updated"
        DUE_NOW = "due_now", "due now, needs a verdict"  # to the item's assignee only

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="notifications")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    cause = models.CharField(max_length=60)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    news = models.CharField(max_length=20, help_text="Which kind of news a subscription must want: "
                                                     "reminders, moves, verdicts or new_items.")
    change = models.ForeignKey(Change, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reminder = models.ForeignKey(ReminderDue, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lead = models.DurationField(null=True, blank=True)
    schedule_version = models.PositiveIntegerField(help_text="The item's schedule version the news is about.")
    headline = models.CharField(max_length=400)
    detail = models.TextField(blank=True)
    verdict = models.JSONField(null=True, blank=True)
    # Null while the notification waits for its endpoint's daily digest.
    delivery = models.ForeignKey(Delivery, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="notifications")
    withdrawn_reason = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "item", "cause"], name="notification_once_per_cause"),
        ]
        indexes = [
            # What an endpoint's next digest gathers.
            models.Index(fields=["endpoint", "created_at"], condition=Q(delivery__isnull=True),
                         name="notification_owed_digest"),
        ]

    def __str__(self):
        return f"{self.kind} of {self.item_id} to {self.endpoint_id} ({self.cause})"


class DeliveryAttempt(models.Model):
    """Every try of a delivery, with what came of it."""

    class Outcome(models.TextChoices):
        SENT = "sent"
        FAILED = "failed"  # will be tried again
        DEAD = "dead"  # no more tries
        LOST = "lost"  # the worker's lease expired with no outcome recorded

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts_made")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    note = models.TextField(blank=True, help_text="The channel's reply, or the error.")

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self):
        return f"{self.delivery_id} #{self.number}: {self.outcome}"


class Fanout(models.Model):
    """One piece of news on its way to its audience, written in batches.

    Firing a reminder or processing a change writes this row (unique per item
    and cause, like the notifications it becomes); watch.services.fanout then
    writes the notifications and deliveries of its audience in batches of
    endpoints taken in id order, moving `cursor` to the last endpoint done in
    the same transaction as each batch. A crash between batches resumes at the
    cursor: nothing is written twice (the batch was committed with its cursor,
    or not at all) and nothing is skipped. No transaction and no task grows
    with the audience.
    """

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    cause = models.CharField(max_length=60)
    kind = models.CharField(max_length=20, choices=Notification.Kind.choices)
    news = models.CharField(max_length=20)
    change = models.ForeignKey(Change, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reminder = models.ForeignKey(ReminderDue, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lead = models.DurationField(null=True, blank=True)
    # The same lead in seconds: what the audience rule compares with a
    # subscription's lead_times (watch.audience), on either backend.
    lead_seconds = models.PositiveIntegerField(null=True, blank=True)
    schedule_version = models.PositiveIntegerField()
    headline = models.CharField(max_length=400)
    detail = models.TextField(blank=True)
    verdict = models.JSONField(null=True, blank=True)
    # The last endpoint id whose notification is written; 0 before the first batch.
    cursor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "fan-out"
        constraints = [
            models.UniqueConstraint(fields=["item", "cause"], name="fanout_once_per_cause"),
        ]
        indexes = [
            # The fan-out sweep: what is still being written.
            models.Index(fields=["id"], condition=Q(finished_at__isnull=True), name="fanout_unfinished"),
        ]

    def __str__(self):
        return f"{self.cause} of {self.item_id} (after endpoint {self.cursor})"
