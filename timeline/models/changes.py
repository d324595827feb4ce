"""The change log: one row per write to an item (the history, and the
hand-off to watch), and the history of storyline and actor edits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .items import Item
from .reference import Actor, Storyline


class Logged(models.Model):
    """Who made a write, when, and the fields before and after it: what both
    histories record."""

    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_label = models.CharField(max_length=150, help_text="The user's name, or 'system'.")
    at = models.DateTimeField()
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

class Change(Logged):
    """One row per write: the history, and the hand-off to watch.

    Written by the services in the same transaction as the change itself.
    watch processes every row once; `public` says whether it is news that
    subscribers may hear of (a published item, or its publication or retraction).
    """

    class Kind(models.TextChoices):
        CREATED = "created"
        EDITED = "edited"
        PUBLISHED = "published"
        RETRACTED = "retracted"
        CONFIRMED = "confirmed"
        POSTPONED = "postponed"
        HAPPENED = "happened"
        CANCELLED = "cancelled"
        SETTLED = "settled"
        OVERTURNED = "overturned"
        REVIEWED = "reviewed"
        TRIGGERED = "triggered"
        CORRECTION = "correction"
        OVERDUE_NOTICED = "overdue_noticed"

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Two notes, labelled for what they are where an editor types them: the
    # reason stays in the change log; the public note is what subscribers and
    # the public pages see.
    reason = models.TextField("internal note", blank=True, help_text="Change log only.")
    public_note = models.TextField(blank=True, help_text="Shown to subscribers and on the item's public history.")
    revision = models.PositiveIntegerField(help_text="The item's revision after this change.")
    schedule_version = models.PositiveIntegerField(help_text="The item's schedule version after this change.")
    public = models.BooleanField(default=False)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["item", "at"], name="change_item_history"),
            models.Index(fields=["id"], condition=Q(processed_at__isnull=True), name="change_unprocessed"),
        ]

    def __str__(self):
        return f"{self.kind} of {self.item_id} by {self.by_label} at {self.at:%Y-%m-%d %H:%M}"



class ReferenceChange(Logged):
    """One row per creation or edit of a storyline or an actor: who, when, the
    fields before and after, and why.

    Not a Change: that log is per Item and is what watch turns into news,
    whereas these rows are history only. A storyline's grace period decides
    the system's verdicts on its expectations, so who moved it, and when,
    must be on record. Two nullable foreign keys rather than a generic
    relation, so `storyline.history` and a join stay plain SQL; exactly one
    is set.
    """

    class Kind(models.TextChoices):
        CREATED = "created"
        EDITED = "edited"

    storyline = models.ForeignKey(Storyline, null=True, blank=True, on_delete=models.PROTECT, related_name="history")
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="history")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(storyline__isnull=False, actor__isnull=True) | Q(storyline__isnull=True, actor__isnull=False),
                name="reference_change_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.kind} of {self.storyline or self.actor} by {self.by_label} at {self.at:%Y-%m-%d %H:%M}"
