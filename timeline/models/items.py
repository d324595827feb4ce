"""Items: what every dated thing shares (Item), and the three kinds that
extend it one-to-one (Event, Milestone, Expectation)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone as dt_timezone

from django.conf import settings
from django.db import models
from django.db.models import Q

from .. import derived, lifecycle
from ..when import PRECISION_CHOICES, UNDATED, When
from .reference import Actor, Storyline

# Undated items sort after every dated one: the sort key is never null, so one
# (sort_key, public_id) index serves every timeline and cursor page.
UNDATED_SORT_KEY = datetime(9999, 12, 31, tzinfo=dt_timezone.utc)


class ItemQuerySet(models.QuerySet):
    """The derived states as querysets; each agrees with the Item method of
    the same meaning (timeline/derived.py)."""

    def public(self):
        return self.filter(derived.PUBLIC)

    def in_record(self):
        return self.filter(derived.IN_RECORD)

    def overdue(self, now: datetime):
        return self.filter(derived.overdue(now))

    def upcoming(self, now: datetime, within):
        return self.filter(derived.upcoming(now, within))

    def needs_verdict(self, now: datetime):
        name = self.model._meta.model_name
        path = {"item": "expectation__", "expectation": ""}.get(name)
        return self.filter(derived.needs_verdict(now, expectation_path=path))


def _open(**more) -> Q:
    """The partial indexes' condition: items still awaited (lifecycle.OPEN_STATUSES)."""
    return Q(status__in=list(lifecycle.OPEN_STATUSES), **more)


class Item(models.Model):
    # The vocabulary and the moves between statuses live in timeline/lifecycle.py.
    Kind = lifecycle.Kind
    EditorialState = lifecycle.EditorialState
    Status = lifecycle.Status
    OPEN_STATUSES = lifecycle.OPEN_STATUSES

    objects = ItemQuerySet.as_manager()

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, editable=False)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    storylines = models.ManyToManyField(Storyline, related_name="items", blank=True)
    actors = models.ManyToManyField(Actor, related_name="items", blank=True)
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    editorial_state = models.CharField(
        max_length=20, choices=EditorialState.choices, default=EditorialState.DRAFT
    )

    # The When, as reported and as understood.
    when_text = models.CharField("when (as reported)", max_length=200, blank=True)
    when_as_of = models.DateField("as of", null=True, blank=True, help_text="The date the words were read against.")
    when_start = models.DateTimeField(null=True, blank=True)
    when_end = models.DateTimeField(null=True, blank=True, help_text="Exclusive.")
    when_precision = models.CharField(max_length=10, choices=PRECISION_CHOICES, default=UNDATED)
    when_approximate = models.BooleanField(default=False)
    when_tz = models.CharField("time zone", max_length=64, default="UTC")
    when_edtf = models.CharField("EDTF", max_length=64, blank=True)
    sort_key = models.DateTimeField(default=UNDATED_SORT_KEY, editable=False)

    # Every write bumps revision (the API's ETag, the guard of every
    # transition); changes of When, status or editorial state also bump
    # schedule_version (reminder keys, the calendar SEQUENCE).
    revision = models.PositiveIntegerField(default=1, editable=False)
    schedule_version = models.PositiveIntegerField(default=1, editable=False)
    # Set by the overdue sweep so each overdue spell is noticed once; cleared
    # when the When moves.
    overdue_noticed_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(editable=False)
    updated_at = models.DateTimeField(editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )
    # Who on the desk watches this item: they get its reminders and its
    # "due now, needs a verdict" notice (desk.services.assign keeps a watch
    # subscription in step). Set only through services.item_assign.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_items", editable=False,
    )

    class Meta:
        ordering = ["sort_key", "public_id"]
        indexes = [
            models.Index(fields=["sort_key", "public_id"], name="item_timeline_order"),
            models.Index(fields=["kind", "editorial_state", "sort_key"], name="item_kind_state_order"),
            # What is coming: open items by window start.
            models.Index(fields=["when_start"], condition=_open(), name="item_open_by_start"),
            # The overdue sweep: open items past their window, not yet noticed.
            models.Index(fields=["when_end"], condition=_open(overdue_noticed_at__isnull=True),
                         name="item_overdue_unnoticed"),
            # The grace rule and "overdue" lists: open items by window end.
            models.Index(fields=["when_end"], condition=_open(), name="item_open_by_end"),
        ]

    def __str__(self):
        return self.title

    @property
    def when(self) -> When:
        return When(
            text=self.when_text, start=self.when_start, end=self.when_end,
            precision=self.when_precision, approximate=self.when_approximate,
            tz=self.when_tz, edtf=self.when_edtf,
        )

    # Derived states (timeline/derived.py): each agrees with the queryset
    # method of the same meaning on Item.objects.
    @property
    def is_published(self) -> bool:
        return derived.is_public(self)

    @property
    def is_open(self) -> bool:
        return self.status in lifecycle.OPEN_STATUSES

    def is_overdue(self, now: datetime) -> bool:
        return derived.is_overdue(self, now)

    def is_upcoming(self, now: datetime, within) -> bool:
        return derived.is_upcoming(self, now, within)

    def needs_verdict(self, now: datetime) -> bool:
        return derived.is_needing_verdict(self, now)

    def specific(self) -> Event | Milestone | Expectation:
        """The Event, Milestone or Expectation row behind this Item."""
        return getattr(self, self.kind)


class Event(Item):
    """Something that happened."""


class Milestone(Item):
    """Something scheduled or announced."""

    postponed_count = models.PositiveIntegerField(default=0, editable=False)
    happened_event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="milestones_shown", editable=False
    )
    cancel_reason = models.TextField(blank=True, editable=False)

    @property
    def actual_when(self) -> When | None:
        """When it happened (the event that shows it), for a happened
        milestone; its planned When stays in `when`."""
        if self.status == Item.Status.HAPPENED and self.happened_event_id:
            return self.happened_event.when
        return None


class Expectation(Item):
    class ExpectationType(models.TextChoices):
        FORECAST = "forecast"
        PROMISE = "promise"
        PLAN = "plan"
        THREAT = "threat"
        CONDITIONAL = "conditional"

    class TargetKind(models.TextChoices):
        BY = "by", "by a deadline"
        ON = "on", "on a date"
        DURING = "during", "during a window"

    class DecidedBy(models.TextChoices):
        EDITOR = "editor"
        SYSTEM = "system"

    expectation_type = models.CharField(max_length=20, choices=ExpectationType.choices, default=ExpectationType.FORECAST)
    holder = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="expectations_held")
    # An anonymous holder ("two senior U.S. officials") is the attribution of
    # the citation that reported the claim; holder_citation ties them.
    holder_citation = models.ForeignKey(
        "Citation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    criteria = models.TextField(blank=True, help_text="What must happen for the expectation to be met.")
    target_kind = models.CharField(max_length=10, choices=TargetKind.choices, default=TargetKind.DURING)
    about_milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="expectations",
        help_text="The milestone this expectation is about; its outcome settles the expectation.",
    )
    probability = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    grace_period = models.DurationField(null=True, blank=True)

    # Conditionals: dormant until an editor records the trigger.
    condition = models.TextField(blank=True)
    trigger_deadline = models.DurationField(
        null=True, blank=True, help_text="Deadline counted from the trigger (e.g. 90 days); empty for none."
    )
    triggered_at = models.DateTimeField(null=True, blank=True, editable=False)
    trigger_event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False)

    # The current verdict. History of verdicts lives in the change log.
    decided_by = models.CharField(max_length=10, choices=DecidedBy.choices, blank=True, editable=False)
    decided_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    evidence_event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False)
    evidence_citation = models.ForeignKey(
        "Citation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    verdict_note = models.TextField(blank=True, editable=False)
    # An editor looked at the system's verdict and let it stand.
    verdict_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Why the verdict rules could not decide (a fuzzy actual date straddling
    # the deadline); non-empty lists the expectation for an editor.
    undecided_reason = models.TextField(blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["decided_by"], condition=Q(decided_by="system", verdict_reviewed_at__isnull=True),
                         name="expectation_system_unreviewed"),
        ]

    @property
    def holder_display(self) -> str:
        if self.holder_id:
            return str(self.holder)
        if self.holder_citation_id and self.holder_citation.attribution:
            return self.holder_citation.attribution
        return "the outlet's own reporting"
