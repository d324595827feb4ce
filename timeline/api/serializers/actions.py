"""Inputs of the lifecycle actions. Each names exactly the arguments of its
service; the service decides what is allowed (and says why in a 409)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from timeline.models import Citation, Event, Item

from .items import VERDICT_STATUSES, item_ref
from .when import WhenIn

Status = Item.Status


INTERNAL_NOTE = "Internal note: kept in the change log only; subscribers and the public pages never see it."
PUBLIC_NOTE = "Public note: shown to subscribers and on the item's public history."


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, help_text=INTERNAL_NOTE)
    public_note = serializers.CharField(required=False, allow_blank=True, help_text=PUBLIC_NOTE)


class PublishIn(ReasonIn):
    uncited_reason = serializers.CharField(
        required=False, allow_blank=True,
        help_text="Needed only when the item has no citation: why it is published without one (change log only).",
    )


class RequiredReasonIn(serializers.Serializer):
    """Cancel and retract: the reason is public (the item says why it was
    cancelled or retracted)."""

    reason = serializers.CharField(help_text="Why; public: shown to subscribers and on the item's page.")
    internal_note = serializers.CharField(required=False, allow_blank=True, help_text=INTERNAL_NOTE)


@extend_schema_serializer(examples=[
    OpenApiExample("To February", value={
        "when": {"text": "in February", "as_of": "2026-01-20", "tz": "Europe/Zurich"},
        "reason": "The White House moved the announcement.",
    }, request_only=True),
    OpenApiExample("Undated", value={"when": {"text": "undated", "tz": "UTC"}, "reason": "No new date given."},
                   request_only=True),
])
class PostponeIn(ReasonIn):
    when = WhenIn(kind=Item.Kind.MILESTONE, help_text="The new When; may be undated.")


@extend_schema_serializer(examples=[
    OpenApiExample("With the event that shows it", value={"event": "7c4a2f57-2f4e-4b4e-8a3c-1f9a5d3e2b10"},
                   request_only=True),
    OpenApiExample("With the actual When", value={
        "actual": {"text": "on Jan. 23", "as_of": "2026-01-24", "tz": "Europe/Zurich"},
    }, request_only=True),
])
class HappenedIn(ReasonIn):
    event = item_ref(Event, "The event that shows it happened (its public id).")
    actual = WhenIn(kind=Item.Kind.EVENT, required=False,
                    help_text="When it actually happened; an event is recorded from it. Give this or `event`.")


@extend_schema_serializer(examples=[
    OpenApiExample("Met, with evidence", value={
        "status": "met", "note": "Announced on 14 January.", "evidence_event": "7c4a2f57-2f4e-4b4e-8a3c-1f9a5d3e2b10",
    }, request_only=True),
])
class SettleIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=VERDICT_STATUSES, help_text="The verdict.")
    note = serializers.CharField(help_text="How the verdict was reached; public, like the verdict.")
    internal_note = serializers.CharField(required=False, allow_blank=True, help_text=INTERNAL_NOTE)
    evidence_event = item_ref(Event, "An event that shows the outcome (its public id).")
    evidence_citation = serializers.PrimaryKeyRelatedField(
        queryset=Citation.objects.all(), required=False, allow_null=True,
        help_text="A citation that shows the outcome (its id).",
    )


class OverturnIn(SettleIn):
    status = serializers.ChoiceField(choices=[*VERDICT_STATUSES, Status.OPEN],
                                     help_text="The new verdict, or `open` to withdraw the verdict.")


class ReviewIn(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, help_text="Why the system's verdict stands.")


class TriggerIn(ReasonIn):
    triggered_at = serializers.DateTimeField(
        required=False, help_text="When the condition came about; default the trigger event's start, else now.",
    )
    trigger_event = item_ref(Event, "The event that triggered it (its public id).")


@extend_schema_serializer(examples=[
    OpenApiExample("Undo a wrong cancellation", value={
        "status": "scheduled", "reason": "Cancelled by mistake: the meeting still takes place.",
    }, request_only=True),
])
class CorrectIn(serializers.Serializer):
    """A correction: the explicit way out of a final state, or any fix that
    must be on the record as one. Give the reason and at least one change."""

    reason = serializers.CharField(help_text="What was wrong. " + INTERNAL_NOTE)
    public_note = serializers.CharField(required=False, allow_blank=True, help_text=PUBLIC_NOTE)
    status = serializers.ChoiceField(choices=Item.Status.choices, required=False,
                                     help_text="A status of the item's kind.")
    editorial_state = serializers.ChoiceField(choices=Item.EditorialState.choices, required=False)
    when = WhenIn(required=False, help_text="The When, read for the item's kind.")
    title = serializers.CharField(max_length=300, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)


class WhenParseIn(WhenIn):
    """A When to preview, read for the given kind of item."""

    kind = serializers.ChoiceField(
        choices=Item.Kind.choices, required=False,
        help_text="How relative words resolve: an event's \"in June\" is the last June, a milestone's the coming one. "
                  "Default milestone.",
    )

    def validate(self, attrs):
        self.item_kind = attrs.pop("kind", None)
        return super().validate(attrs)
