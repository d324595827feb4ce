"""One form per transition that needs input.

Each is built for the items it applies to (one, from the item's page, or
several, from a bulk action) and the admin site, so event pickers can search
through the admin. Field names are the service's arguments, so the admin
hands them on as they are; labels say who reads each note:

- a public note is shown to subscribers and on the item's page;
- an internal note stays in the change log;
- cancel and retract take a public reason (the item says why), and the
  verdicts' note is public (it explains the verdict).
"""

from __future__ import annotations

from dataclasses import replace

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect
from django.utils import timezone

from ..lifecycle import STATUSES_BY_KIND, VERDICTS
from ..models import Citation, Event, Expectation, Item, Milestone
from ..when import When
from .when import WhenField, WhenTyped, read_for_items

PUBLIC = "shown to subscribers and on the item's page"


def note_field(*, public: bool, required: bool = False, label: str = "", help_text: str = "") -> forms.CharField:
    if not label:
        label = f"Public note ({PUBLIC})" if public else "Internal note (change log only)"
    if not help_text:
        help_text = (
            "What readers are told about this change." if public
            else "For editors: why you did it. Subscribers never see it."
        )
    if required:
        help_text = f"Required. {help_text}"
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


def event_picker(source_field, *, admin_site, label: str, help_text: str = "") -> forms.ModelChoiceField:
    """An event chosen by searching, as on the change forms."""
    return forms.ModelChoiceField(
        queryset=Event.objects.all(), required=False, label=label, help_text=help_text,
        widget=AutocompleteSelect(source_field, admin_site),
    )


class TransitionForm(forms.Form):
    """Base: what every transition form knows about its items."""

    reads_as_event = False  # the When typed is when something happened

    def __init__(self, *args, items, admin_site=admin.site, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.admin_site = admin_site
        self.kind = kind or (self.items[0].kind if self.items else "")
        if "when" in self.fields:
            self._start_when()

    def _start_when(self):
        # One item: its own zone, to read or change. Several: empty, which
        # keeps each item's own zone unless the editor names one.
        zone = self.items[0].when_tz if len(self.items) == 1 else ""
        self.fields["when"].initial = WhenTyped(as_of=timezone.localdate(), tz=zone)
        # The preview reads the words as the form will (what happened is an event's past).
        self.fields["when"].widget.kind = Item.Kind.EVENT if self.reads_as_event else (self.kind or Item.Kind.MILESTONE)
        self.fields["when"].widget.default_tz = zone
        if len(self.items) > 1:
            widget = self.fields["when"].widget  # this form's own copy
            widget.parts = (*widget.parts[:2], replace(
                widget.parts[2], help_text="Leave empty to keep each item's own zone; a zone given here applies "
                                           "to all of them.",
            ))

    def read_whens(self, *, kind: str, blank: str = "undated") -> dict[int, When] | None:
        return read_for_items(self, self.cleaned_data["when"], self.items, kind=kind, blank=blank)

    def undated_for_each(self) -> dict[int, When]:
        typed = self.cleaned_data.get("when") or WhenTyped()
        return {item.pk: When.undated(tz=typed.tz or item.when_tz) for item in self.items}


class NotesForm(TransitionForm):
    """Confirm, publish and trigger's notes; the base of those that take a When."""

    public_note = note_field(public=True)
    reason = note_field(public=False)


class PublishForm(NotesForm):
    """Publish: the record is sourced, so an item without a citation needs
    the editor's reason for publishing it anyway (services.item_publish)."""

    uncited_reason = forms.CharField(
        label="Published without a citation because (internal, kept in the change log)", required=False,
        help_text="Only if the item has no citation yet. Better: add the source on the item's page first.",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )


class ReviewForm(TransitionForm):
    note = note_field(public=False, help_text="Optional: why the system's verdict stands.")


class PublicReasonForm(TransitionForm):
    """Cancel and retract: the item shows why, so the reason is public and required."""

    reason = note_field(public=True, required=True, label=f"Reason (public: {PUBLIC})",
                        help_text="Why it will not happen, or why it leaves public view.")
    internal_note = note_field(public=False)


def read_new_when(form, cleaned: dict, *, kind: str, undated_label: str, missing: str = "") -> dict:
    """A When field beside an "undated" box: the phrase, or the box, not both.
    `missing` is the error when neither is given (empty: neither keeps the When)."""
    typed = cleaned.get("when")
    if typed is None:
        return cleaned
    if cleaned.get("undated") and typed.phrase:
        form.add_error("undated", f"Either give a new When or tick “{undated_label}”, not both.")
    elif cleaned.get("undated"):
        cleaned["whens"] = form.undated_for_each()
    elif typed.phrase:
        whens = form.read_whens(kind=kind)
        if whens is not None:
            cleaned["whens"] = whens
    elif missing:
        form.add_error("when", missing)
    return cleaned


class PostponeForm(NotesForm):
    when = WhenField(label="New When", phrase_help="“in March”, “on Feb. 2”, “later this year”.")
    undated = forms.BooleanField(
        label="No new date", required=False,
        help_text="Tick to postpone without a date (undated), instead of giving a phrase.",
    )
    field_order = ("when", "undated", "public_note", "reason")

    def clean(self):
        return read_new_when(self, super().clean(), kind=Item.Kind.MILESTONE, undated_label="No new date",
                             missing="Give the new When, or tick “No new date” to postpone without one.")


class HappenedForm(NotesForm):
    reads_as_event = True
    when = WhenField(
        label="Or: when it happened",
        phrase_help="Without an event, one is recorded from this actual When: “on Jan. 23”, “yesterday”.",
    )
    field_order = ("event", "when", "public_note", "reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"] = event_picker(
            Milestone._meta.get_field("happened_event"), admin_site=self.admin_site,
            label="The event that shows it happened",
        )
        self.order_fields(self.field_order)

    def clean(self):
        cleaned = super().clean()
        typed = cleaned.get("when")
        if typed is None:
            return cleaned
        if cleaned.get("event") and typed.phrase:
            self.add_error(None, "Give the event that shows it happened, or when it happened, not both.")
        elif not cleaned.get("event") and not typed.phrase:
            self.add_error(None, "Give the event that shows it happened, or when it happened.")
        elif typed.phrase:
            # What happened lies in the past: relative words read as an event's.
            actuals = self.read_whens(kind=Item.Kind.EVENT)
            if actuals is not None:
                cleaned["actuals"] = actuals
        return cleaned


class CorrectForm(TransitionForm):
    """A correction: the explicit way out of a final state, or any fix that
    must stand on the record as one."""

    status = forms.ChoiceField(label="Status", required=False)
    editorial_state = forms.ChoiceField(
        label="Editorial state", required=False,
        choices=[("", "(unchanged)"), *Item.EditorialState.choices],
    )
    when = WhenField(label="When", phrase_help="Leave empty to keep the When as it is.")
    undated = forms.BooleanField(label="Make it undated", required=False)
    public_note = note_field(public=True, help_text="What readers are told was wrong, if they should be.")
    reason = note_field(public=False, required=True, help_text="Say what was wrong.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = STATUSES_BY_KIND.get(self.kind, Item.Status.values)
        self.fields["status"].choices = [("", "(unchanged)"), *[(s, Item.Status(s).label) for s in statuses]]

    def clean(self):
        return read_new_when(self, super().clean(), kind=self.kind, undated_label="Make it undated")


class VerdictForm(TransitionForm):
    """Settle and overturn: a verdict, how it was reached, and its evidence."""

    status = forms.ChoiceField(label="Verdict")
    note = note_field(public=True, required=True, label=f"Note (public: {PUBLIC})",
                      help_text="How the verdict was reached: it explains the verdict to readers.")
    internal_note = note_field(public=False)
    evidence_citation = forms.ModelChoiceField(
        queryset=Citation.objects.none(), required=False, label="Evidence: a citation",
        help_text="One of the item's citations.",
    )
    statuses: tuple[str, ...] = VERDICTS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Item.Status(s).label) for s in self.statuses]
        self.fields["evidence_event"] = event_picker(
            Expectation._meta.get_field("evidence_event"), admin_site=self.admin_site,
            label="Evidence: an event",
        )
        self.fields["evidence_citation"].queryset = (
            Citation.objects.filter(item__in=[item.pk for item in self.items]).select_related("source__outlet")
        )
        self.order_fields(("status", "evidence_event", "evidence_citation", "note", "internal_note"))


class SettleForm(VerdictForm):
    statuses = VERDICTS


class OverturnForm(VerdictForm):
    # Open withdraws the verdict and reopens the expectation.
    statuses = (*VERDICTS, Item.Status.OPEN)


class TriggerForm(NotesForm):
    triggered_at = forms.SplitDateTimeField(
        label="Triggered at", required=False, widget=AdminSplitDateTime,
        help_text="In UTC. Empty: the trigger event's start, or now.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trigger_event"] = event_picker(
            Expectation._meta.get_field("trigger_event"), admin_site=self.admin_site,
            label="The event that triggered it",
        )
        self.order_fields(("triggered_at", "trigger_event", "public_note", "reason"))
