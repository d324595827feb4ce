"""Forms of the editors' admin.

Nothing here writes. These forms read what an editor typed, turn a date
phrase into a When through the parser, and hand clean values to
timeline.services, which do every write (see timeline/admin/).

A When is entered as the editor reads it in the source: the phrase ("on Jan.
23"), the date of the source it is read against (as of) and the zone of the
place. Every form that takes a When uses the same three field names, so one
helper (`resolve_when`) reads them all.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AdminSplitDateTime, AutocompleteSelect
from django.utils import timezone

from core.zones import zone_names

from .exceptions import InvalidInput, StaleRevision, TimelineError, WhenParseError
from .models import Actor, Citation, Event, Expectation, Item, Milestone, Outlet, Source, Storyline
from .services.items import COMMON_FIELDS, KIND_FIELDS, STATUSES_BY_KIND
from .services.verdicts import VERDICTS
from .when import When, zone
from .whenparse import parse_when

WHEN_FIELDS = ("when_phrase", "when_as_of", "when_tz")

# Where a service's field name differs from the form's, its errors go here.
SERVICE_FIELD_TO_FORM_FIELD = {
    "when": "when_phrase",
    "actual": "when_phrase",
    "as_of": "when_as_of",
    "tz": "when_tz",
}


# -- Reporting what a service refused ---------------------------------------

def add_refusal(form: forms.BaseForm, error: TimelineError) -> None:
    """Put a service's refusal on the form: each field error on its field
    when the form has it, everything else (and the message itself when no
    field took it) at the top of the form."""
    placed = False
    for name, messages in (error.fields or {}).items():
        target = SERVICE_FIELD_TO_FORM_FIELD.get(name, name)
        if target in form.fields and not form.fields[target].widget.is_hidden:
            for message in messages:
                form.add_error(target, message)
            placed = True
        elif name != "non_field_errors":
            for message in messages:
                form.add_error(None, f"{name.replace('_', ' ').capitalize()}: {message}")
        else:
            for message in messages:
                form.add_error(None, message)
    if not placed:
        form.add_error(None, refusal_message(error))


def refusal_message(error: TimelineError) -> str:
    """The editor-facing sentence for a refusal; a stale revision says what to do next."""
    if isinstance(error, StaleRevision):
        return (
            f"Someone changed this item since you opened it (you had revision {error.expected}, "
            f"it is now {error.current}). Reload the page to see their change, then make yours again."
        )
    return error.message


# -- The When as an editor enters it -----------------------------------------

class ZoneInput(forms.TextInput):
    """A text box that suggests IANA zone names as the editor types."""

    template_name = "timeline/admin/zone_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id")
        if widget_id:
            context["datalist_id"] = f"{widget_id}_zones"
            context["widget"]["attrs"]["list"] = context["datalist_id"]
            context["zone_names"] = zone_names()
        return context


class ZoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("help_text", "The zone of the place, as an IANA name: Europe/Zurich, America/New_York, UTC.")
        kwargs.setdefault("initial", "UTC")
        kwargs.setdefault("max_length", 64)
        super().__init__(widget=ZoneInput, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value:
            try:
                zone(value)
            except InvalidInput:
                raise forms.ValidationError(f"Unknown time zone {value!r}: give an IANA name such as Europe/Zurich.")


def phrase_field(**kwargs) -> forms.CharField:
    kwargs.setdefault("label", "When (as reported)")
    kwargs.setdefault("required", False)
    return forms.CharField(max_length=200, **kwargs)


def as_of_field(**kwargs) -> forms.DateField:
    kwargs.setdefault("label", "As of")
    kwargs.setdefault("help_text", "The date of the source: relative words (“on Monday”, “in June”) are read against it.")
    kwargs.setdefault("required", False)
    return forms.DateField(widget=AdminDateWidget, **kwargs)


def resolve_when(form: forms.BaseForm, *, kind: str, blank: str) -> When | None:
    """Read the form's phrase, as-of date and zone into a When.

    `blank` says what an empty phrase means: "undated" (the editor left it
    empty on purpose), or "unchanged" (the form may leave the When alone: the
    result is None). Problems become errors on the field they concern; the
    result is then None.
    """
    data = form.cleaned_data
    phrase = (data.get("when_phrase") or "").strip()
    as_of = data.get("when_as_of")
    tz = data.get("when_tz")
    if "when_tz" in form.errors or "when_as_of" in form.errors:
        return None
    tz = tz or "UTC"
    if not phrase:
        return When.undated(tz=tz) if blank == "undated" else None
    if as_of is None:
        form.add_error("when_as_of", "Give the date the phrase was read against (the date of the source).")
        return None
    try:
        return parse_when(phrase, as_of=as_of, tz=tz, kind=kind)
    except WhenParseError as error:
        form.add_error("when_phrase", error.message)
    except InvalidInput as error:
        add_refusal(form, error)
    return None


def describe_window(when: When) -> str:
    """One line for messages: what the phrase was read as."""
    if not when.is_dated:
        return "undated"
    local = when.zoneinfo
    parts = [
        when.display(),
        f"from {when.start.astimezone(local):%Y-%m-%d %H:%M} to {when.end.astimezone(local):%Y-%m-%d %H:%M} "
        f"{when.tz} (end exclusive)",
        f"precision {when.precision}{', approximate' if when.approximate else ''}",
    ]
    if when.edtf:
        parts.append(f"EDTF {when.edtf}")
    return "; ".join(parts)


# -- Items ---------------------------------------------------------------------

class ItemAdminForm(forms.ModelForm):
    """An item's add and change form. The When is entered as a phrase; the
    lifecycle (status, editorial state after creation, verdicts) is read-only
    here and moves through the transition pages."""

    kind: str = ""  # the parser reads relative words by the kind of item
    starting_statuses: tuple[str, ...] = ()  # offered on the add page, when the kind has a choice

    when_phrase = phrase_field(
        help_text="The words of the source: “in January”, “on Jan. 23”, “early 2026”, or EDTF. "
                  "Leave empty for an undated item."
    )
    when_as_of = as_of_field()
    when_tz = ZoneField()
    # The revision the editor loaded: an edit made against an older one is
    # refused instead of silently overwriting someone else's change.
    expected_revision = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1,
        error_messages={"required": "This page lost track of the revision it showed; reload it and make your change again."},
    )
    change_reason = forms.CharField(
        label="Why", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional; kept in the change log with this edit.",
    )

    class Meta:
        model = Item
        fields = (*COMMON_FIELDS, "storylines", "actors")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.instance
        if item.pk:
            self.initial.setdefault("when_phrase", item.when_text)
            self.initial.setdefault("when_as_of", item.when_as_of)
            self.initial.setdefault("when_tz", item.when_tz)
            self.initial.setdefault("expected_revision", item.revision)
            self.fields["expected_revision"].required = True
        else:
            self.initial.setdefault("when_as_of", timezone.localdate())
            self.initial.setdefault("when_tz", "UTC")
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

    def when_changed(self) -> bool:
        return not self.instance.pk or any(name in self.changed_data for name in WHEN_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if self.when_changed():
            when = resolve_when(self, kind=self.kind, blank="undated")
            if when is not None:
                cleaned["when"] = when
        return cleaned

    def service_fields(self, *, only_changed: bool) -> dict:
        """The plain fields the item services accept, from this form."""
        editable = (*COMMON_FIELDS, *KIND_FIELDS[self.kind])
        names = [n for n in editable if n in self.cleaned_data and (not only_changed or n in self.changed_data)]
        return {name: self.cleaned_data[name] for name in names}


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


class CitationAdminForm(forms.ModelForm):
    class Meta:
        model = Citation
        fields = ("item", "source", "role", "attribution", "quote")


# -- Reference data ------------------------------------------------------------

class LinesField(forms.CharField):
    """A list of short strings, one per line (an actor's aliases)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return [str(v).strip() for v in value if str(v).strip()]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return self.to_python(initial or []) != self.to_python(data)


class ActorAdminForm(forms.ModelForm):
    aliases = LinesField(required=False, help_text="Other names the sources use, one per line (IRGC, Revolutionary Guards).")

    class Meta:
        model = Actor
        fields = ("name", "slug", "kind", "aliases", "description")


class StorylineAdminForm(forms.ModelForm):
    class Meta:
        model = Storyline
        fields = ("name", "slug", "description", "grace_period")


class OutletAdminForm(forms.ModelForm):
    url = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Outlet
        fields = ("name", "slug", "url")


class SourceAdminForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = Source
        fields = ("outlet", "title", "url", "published_at")


# -- Transitions ---------------------------------------------------------------
# One form per transition that needs input. Each is built for the items it
# applies to (one, from the item's page, or several, from a bulk action) and
# the admin site, so event pickers can search through the admin.

def event_picker(source_field, *, admin_site, label: str, help_text: str = "") -> forms.ModelChoiceField:
    """An event chosen by searching, as on the change forms."""
    return forms.ModelChoiceField(
        queryset=Event.objects.all(), required=False, label=label, help_text=help_text,
        widget=AutocompleteSelect(source_field, admin_site),
    )


class TransitionForm(forms.Form):
    """Base: what every transition form knows about its items."""

    def __init__(self, *args, items, admin_site=admin.site, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.admin_site = admin_site
        self.kind = kind or (self.items[0].kind if self.items else "")


def reason_field(*, required: bool, label: str = "Reason", help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=help_text or ("Kept in the change log." if not required else "Required; kept in the change log."),
    )


class NoteOnlyForm(TransitionForm):
    """Confirm and publish: nothing to give but, optionally, why."""

    reason = reason_field(required=False)


class ReviewForm(TransitionForm):
    reason = reason_field(required=False, label="Note", help_text="Optional: why the system's verdict stands.")


class ReasonRequiredForm(TransitionForm):
    """Cancel and retract: a reason is required."""

    reason = reason_field(required=True)


class PostponeForm(TransitionForm):
    when_phrase = phrase_field(label="New When (as reported)", help_text="“in March”, “on Feb. 2”, “later this year”.")
    undated = forms.BooleanField(
        label="No new date", required=False,
        help_text="Tick to postpone without a date (undated), instead of giving a phrase.",
    )
    when_as_of = as_of_field(initial=timezone.localdate)
    when_tz = ZoneField()
    reason = reason_field(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if len(self.items) == 1:
            self.fields["when_tz"].initial = self.items[0].when_tz

    def clean(self):
        cleaned = super().clean()
        phrase = (cleaned.get("when_phrase") or "").strip()
        if cleaned.get("undated") and phrase:
            self.add_error("undated", "Either give a new When or tick “No new date”, not both.")
        elif not cleaned.get("undated") and not phrase:
            self.add_error("when_phrase", "Give the new When, or tick “No new date” to postpone without one.")
        else:
            when = resolve_when(self, kind=Item.Kind.MILESTONE, blank="undated")
            if when is not None:
                cleaned["when"] = when
        return cleaned


class HappenedForm(TransitionForm):
    when_phrase = phrase_field(
        label="Or: when it happened (as reported)",
        help_text="Without an event, one is recorded from this actual When: “on Jan. 23”, “yesterday”.",
    )
    when_as_of = as_of_field(initial=timezone.localdate)
    when_tz = ZoneField()
    reason = reason_field(required=False)

    field_order = ("event", "when_phrase", "when_as_of", "when_tz", "reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"] = event_picker(
            Milestone._meta.get_field("happened_event"), admin_site=self.admin_site,
            label="The event that shows it happened",
        )
        self.order_fields(self.field_order)
        if len(self.items) == 1:
            self.fields["when_tz"].initial = self.items[0].when_tz

    def clean(self):
        cleaned = super().clean()
        phrase = (cleaned.get("when_phrase") or "").strip()
        if cleaned.get("event") and phrase:
            self.add_error(None, "Give the event that shows it happened, or when it happened, not both.")
        elif not cleaned.get("event") and not phrase:
            self.add_error(None, "Give the event that shows it happened, or when it happened.")
        elif phrase:
            # What happened lies in the past: relative words read as an event's.
            actual = resolve_when(self, kind=Item.Kind.EVENT, blank="unchanged")
            if actual is not None:
                cleaned["actual"] = actual
        return cleaned


class CorrectForm(TransitionForm):
    """A correction: the explicit way out of a final state, or any fix that
    must stand on the record as one."""

    status = forms.ChoiceField(label="Status", required=False)
    editorial_state = forms.ChoiceField(
        label="Editorial state", required=False,
        choices=[("", "(unchanged)"), *Item.EditorialState.choices],
    )
    when_phrase = phrase_field(label="When (as reported)", help_text="Leave empty to keep the When as it is.")
    undated = forms.BooleanField(label="Make it undated", required=False)
    when_as_of = as_of_field(initial=timezone.localdate)
    when_tz = ZoneField()
    reason = reason_field(required=True, help_text="Required: say what was wrong.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = STATUSES_BY_KIND.get(self.kind, Item.Status.values)
        self.fields["status"].choices = [("", "(unchanged)"), *[(s, Item.Status(s).label) for s in statuses]]
        if len(self.items) == 1:
            self.fields["when_tz"].initial = self.items[0].when_tz

    def clean(self):
        cleaned = super().clean()
        phrase = (cleaned.get("when_phrase") or "").strip()
        if cleaned.get("undated") and phrase:
            self.add_error("undated", "Either give a new When or tick “Make it undated”, not both.")
        elif cleaned.get("undated"):
            cleaned["when"] = When.undated(tz=cleaned.get("when_tz") or "UTC")
        elif phrase:
            when = resolve_when(self, kind=self.kind, blank="unchanged")
            if when is not None:
                cleaned["when"] = when
        return cleaned


class VerdictForm(TransitionForm):
    """Settle and overturn: a verdict, how it was reached, and its evidence."""

    status = forms.ChoiceField(label="Verdict")
    note = reason_field(required=True, label="Note", help_text="Required: how the verdict was reached.")
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
        self.order_fields(("status", "evidence_event", "evidence_citation", "note"))


class SettleForm(VerdictForm):
    statuses = VERDICTS


class OverturnForm(VerdictForm):
    # Open withdraws the verdict and reopens the expectation.
    statuses = (*VERDICTS, Item.Status.OPEN)


class TriggerForm(TransitionForm):
    triggered_at = forms.SplitDateTimeField(
        label="Triggered at", required=False, widget=AdminSplitDateTime,
        help_text="In UTC. Empty: the trigger event's start, or now.",
    )
    reason = reason_field(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trigger_event"] = event_picker(
            Expectation._meta.get_field("trigger_event"), admin_site=self.admin_site,
            label="The event that triggered it",
        )
        self.order_fields(("triggered_at", "trigger_event", "reason"))
