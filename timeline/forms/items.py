"""An item's add and change forms, and its citations."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from ..models import Citation, Event, Expectation, Item, Milestone
from ..services.items import COMMON_FIELDS, KIND_FIELDS
from .refusals import RefusableForm
from .when import WhenField, WhenTyped, read_when


class ItemAdminForm(RefusableForm, forms.ModelForm):
    """An item's add and change form. The When is entered as a phrase; the
    lifecycle (status, editorial state after creation, verdicts) is read-only
    here and moves through the transition pages."""

    kind: str = ""  # the parser reads relative words by the kind of item
    starting_statuses: tuple[str, ...] = ()  # offered on the add page, when the kind has a choice

    when = WhenField(
        phrase_help="The words of the source: “in January”, “on Jan. 23”, “early 2026”, or EDTF. "
                    "Leave empty for an undated item.",
    )
    # The revision the editor loaded, handed to the service as is: an edit
    # made against an older one is refused instead of silently overwriting
    # someone else's change.
    expected_revision = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1,
        error_messages={"required": "This page lost track of the revision it showed; reload it and make your change again."},
    )
    change_reason = forms.CharField(
        label="Internal note (change log only)", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: why you made this edit. Editors see it in the change log; subscribers never do.",
    )

    class Meta:
        model = Item
        fields = (*COMMON_FIELDS, "storylines", "actors")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.instance
        widget = self.fields["when"].widget  # this form's own copy
        widget.kind, widget.default_tz = self.kind or Item.Kind.MILESTONE, item.when_tz if item.pk else "UTC"
        if item.pk:
            self.initial.setdefault("when", WhenTyped.of(item))
            self.initial.setdefault("expected_revision", item.revision)
            self.fields["expected_revision"].required = True
        else:
            self.initial.setdefault("when", WhenTyped(as_of=timezone.localdate(), tz="UTC"))
        if "editorial_state" in self.fields:
            # A new item starts as a draft, a proposal or published; later
            # moves are publish and retract.
            self.fields["editorial_state"].choices = [
                (value, label) for value, label in Item.EditorialState.choices if value != Item.EditorialState.RETRACTED
            ]
        if "status" in self.fields and self.starting_statuses:
            # Which statuses a new item may start in is the service's rule;
            # offering only those saves the editor a round trip.
            self.fields["status"].choices = [(s, Item.Status(s).label) for s in self.starting_statuses]
            self.fields["status"].initial = self.starting_statuses[0]
        if "holder_citation" in self.fields:
            self.fields["holder_citation"].queryset = (
                Citation.objects.filter(item_id=item.pk).select_related("source__outlet") if item.pk
                else Citation.objects.none()
            )

    def clean(self):
        cleaned = super().clean()
        typed = cleaned.get("when")
        self.when_read = None  # the When to save, when the editor gave a new one
        if typed is not None and (not self.instance.pk or "when" in self.changed_data):
            # An empty zone: the item's own, or UTC for a new one.
            zone = self.instance.when_tz if self.instance.pk else "UTC"
            self.when_read = read_when(self, typed, kind=self.kind, zone=zone, blank="undated")
        return cleaned

    def service_fields(self) -> dict:
        """The plain fields the item services accept, as the form holds them
        (the service leaves alone those that did not change)."""
        editable = (*COMMON_FIELDS, *KIND_FIELDS[self.kind])
        return {name: self.cleaned_data[name] for name in editable if name in self.cleaned_data}


class EventAdminForm(ItemAdminForm):
    kind = Item.Kind.EVENT

    class Meta(ItemAdminForm.Meta):
        model = Event


class MilestoneAdminForm(ItemAdminForm):
    kind = Item.Kind.MILESTONE
    starting_statuses = (Item.Status.SCHEDULED, Item.Status.CONFIRMED)

    class Meta(ItemAdminForm.Meta):
        model = Milestone


class ExpectationAdminForm(ItemAdminForm):
    kind = Item.Kind.EXPECTATION

    class Meta(ItemAdminForm.Meta):
        model = Expectation
        fields = (*ItemAdminForm.Meta.fields, *KIND_FIELDS[Item.Kind.EXPECTATION])


class CitationInlineForm(forms.ModelForm):
    """A citation on an item's page. One already made is shown as it is:
    there is no service to edit a citation, so to fix one the editor removes
    it and adds the right one, each a logged edit of the item."""

    class Meta:
        model = Citation
        fields = ("source", "role", "attribution", "quote")
        widgets = {"quote": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for field in self.fields.values():
                field.disabled = True


class CitationAdminForm(RefusableForm, forms.ModelForm):
    class Meta:
        model = Citation
        fields = ("item", "source", "role", "attribution", "quote")
