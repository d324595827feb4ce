"""Calendars brought in: which imported event became which milestone.

One row per event of an imported calendar (an RRULE's occurrences each have
their own), found again by its UID on the next import, which is what makes
importing the same file twice change nothing. It remembers the SEQUENCE and
a fingerprint of the event as last imported (a newer one, or changed times,
is an update) and a fingerprint of the milestone as the import left it (if
the milestone no longer matches, an editor changed it here, and an incoming
change waits in `pending` for an editor to keep ours or take theirs).
Written by timeline.feeds.ics_in only.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .items import Milestone
from .reference import Storyline


class CalendarLink(models.Model):
    storyline = models.ForeignKey(Storyline, on_delete=models.PROTECT, related_name="+")
    uid = models.CharField("UID", max_length=500)
    # "" for a single event; the occurrence's start (ISO, UTC) for an event
    # expanded from an RRULE, whose occurrences share the UID.
    recurrence = models.CharField(max_length=40, blank=True)
    milestone = models.OneToOneField(Milestone, on_delete=models.PROTECT, related_name="calendar_link")
    sequence = models.IntegerField(default=0, help_text="The SEQUENCE last imported.")
    fingerprint = models.CharField(max_length=64, help_text="Of the event as last imported.")
    milestone_fingerprint = models.CharField(max_length=64, help_text="Of the milestone as the import left it.")
    source = models.CharField(max_length=500, help_text="The file or URL it was last imported from.")
    imported_at = models.DateTimeField()
    # The incoming version that waits for an editor: title, summary, When,
    # status, SEQUENCE, fingerprint, where it came from.
    pending = models.JSONField(null=True, blank=True)
    pending_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["storyline", "uid", "recurrence"], name="calendar_link_once_per_event"),
        ]
        indexes = [
            # The admin's list of conflicts to resolve.
            models.Index(fields=["pending_since"], condition=Q(pending_since__isnull=False),
                         name="calendar_link_pending"),
        ]

    def __str__(self):
        return f"{self.uid}{' @ ' + self.recurrence if self.recurrence else ''}"

    @property
    def has_conflict(self) -> bool:
        return self.pending is not None
