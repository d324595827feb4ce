"""The subscribe and manage forms of the subscriber pages.

Forms only read and check what a person typed; the writes go through
watch.services, whose InvalidInput messages are filed back under the field
they name, so a rule lives in one place however many forms show it.
"""

from __future__ import annotations

from django import forms
from django.conf import settings

from core.durations import LEAD_TIME, format_compact
from core.errors import InvalidInput
from core.zones import is_zone_name

from .models import Subscription

NEWS_CHOICES = [
    (Subscription.REMINDERS, "Reminders before a date"),
    (Subscription.MOVES, "Moves and cancellations"),
    (Subscription.VERDICTS, "Verdicts on expectations"),
    (Subscription.NEW_ITEMS, "New items"),
]
LEAD_CHOICES = [
    ("30d", "30 days before"),
    ("7d", "7 days before"),
    ("1d", "1 day before"),
    ("1h", "1 hour before"),
]
CADENCE_CHOICES = [
    (Subscription.Cadence.IMMEDIATE, "Immediately, one email per piece of news"),
    (Subscription.Cadence.DIGEST, "A daily digest"),
]
HOUR_CHOICES = [(h, f"{h:02d}:00") for h in range(24)]
FOLLOW_KINDS = [(t.value, t.label) for t in Subscription.Target]

# Names from the form's fields to the services' error fields, so an
# InvalidInput from a service lands at the field the person can fix.
SERVICE_FIELDS = {"tz": "zone", "digest_hour": "hour"}


class LeadTimesField(forms.MultipleChoiceField):
    """Checkboxes of common lead times, each checked by core.durations.LEAD_TIME
    rather than against the list: a value sent by hand is accepted if it is a
    lead time at all, and refused with the same words the API uses if not."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value):
        return True

    def validate(self, value):
        super().validate(value)
        for one in value:
            try:
                LEAD_TIME.parse(one, field="Lead time")
            except InvalidInput as exc:
                raise forms.ValidationError(exc.message) from None

    def clean(self, value):
        leads = super().clean(value)
        # Normalised, so "168h" and "7d" are one lead time and the page shows it checked.
        return sorted({format_compact(LEAD_TIME.parse(v, field="Lead time")) for v in leads},
                      key=lambda v: -LEAD_TIME.parse(v, field="Lead time").total_seconds())


class PreferencesForm(forms.Form):
    """Which news, how often and how long ahead: shared by subscribe and manage."""

    news = forms.MultipleChoiceField(
        label="Which news", choices=NEWS_CHOICES, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of news."},
    )
    cadence = forms.ChoiceField(label="How often", choices=CADENCE_CHOICES, widget=forms.RadioSelect,
                                initial=Subscription.Cadence.IMMEDIATE)
    hour = forms.TypedChoiceField(label="Hour of the digest", choices=HOUR_CHOICES, coerce=int, initial=8,
                                  help_text="In your time zone.")
    zone = forms.CharField(
        label="Your time zone", max_length=64, initial="UTC",
        help_text="A name such as Europe/London or America/New_York. Exact times and the digest's hour use it.",
    )
    lead_times = LeadTimesField(label="Remind me", choices=LEAD_CHOICES, required=False,
                                help_text="Before the date of a milestone or deadline.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "subscribe-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["news"].initial = [c for c, _ in NEWS_CHOICES]
        self.fields["lead_times"].initial = list(settings.WATCH_DEFAULT_LEAD_TIMES)

    def clean_zone(self):
        name = self.cleaned_data["zone"].strip()
        if not is_zone_name(name):
            raise forms.ValidationError(f"Enter a time zone by its name, such as Europe/London; "
                                        f"{name!r} is not one.")
        return name

    def clean(self):
        data = super().clean()
        if Subscription.REMINDERS in data.get("news", []) and "lead_times" in data and not data["lead_times"]:
            self.add_error("lead_times", "Choose when to be reminded, or untick reminders.")
        return data

    def add_service_errors(self, exc: InvalidInput) -> None:
        fields = exc.fields or {"__all__": [exc.message]}
        for name, messages in fields.items():
            field = SERVICE_FIELDS.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class SubscribeForm(PreferencesForm):
    field_order = ["email", "news", "cadence", "hour", "zone", "lead_times"]

    email = forms.EmailField(
        label="Your email address", max_length=254,
        error_messages={"required": "Enter your email address.",
                        "invalid": "Enter an email address like name@example.com."},
    )
    follow_kind = forms.ChoiceField(choices=FOLLOW_KINDS, widget=forms.HiddenInput)
    follow_key = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    # The honeypot: hidden from people (off-screen, out of the tab order, no
    # autofill), filled in by bots that complete every input they find.
    website = forms.CharField(
        required=False, label="Leave this empty", max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})

    def clean(self):
        data = super().clean()
        kind, key = data.get("follow_kind"), data.get("follow_key", "")
        if kind and kind != Subscription.Target.EVERYTHING and not key:
            self.add_error(None, "Choose what to follow from its page.")
        return data

    def target(self) -> dict:
        """The follow as subscription_create takes it."""
        kind, key = self.cleaned_data["follow_kind"], self.cleaned_data.get("follow_key", "")
        if kind == Subscription.Target.EVERYTHING:
            return {"everything": True}
        return {kind: key}

    def add_service_errors(self, exc: InvalidInput) -> None:
        # What to follow is not a field a person can fix on this form: the
        # storyline, actor or item it names is gone, or never was.
        fields = dict(exc.fields or {})
        for name in ("storyline", "actor", "item", "target"):
            for message in fields.pop(name, []):
                self.add_error(None, message)
        if fields or not exc.fields:
            super().add_service_errors(InvalidInput(exc.message, fields=fields))

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get(self.add_prefix("website")) or "").strip())


class ManageForm(PreferencesForm):
    """One subscription's settings, with the version the page was read at:
    a page left open while something else changed is refused, not applied."""

    subscription = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        # One form per subscription on the manage page: its prefix keeps the ids apart.
        kwargs.setdefault("auto_id", "manage-%s")
        super().__init__(*args, **kwargs)

    @classmethod
    def of(cls, subscription: Subscription, data=None) -> ManageForm:
        """The form of one subscription, filled in with what it is now."""
        subscriber = subscription.subscriber
        initial = {
            "subscription": subscription.pk, "version": subscription.version,
            "news": [n for n in Subscription.NEWS if subscription.wants(n)],
            "cadence": subscription.cadence, "hour": subscriber.digest_hour, "zone": subscriber.tz,
            "lead_times": [format_compact(lead) for lead in subscription.leads],
        }
        form = cls(data, initial=initial, prefix=f"s{subscription.pk}")
        # Lead times set elsewhere (the API, the command) show as boxes of their own.
        known = {value for value, _ in LEAD_CHOICES}
        extra = [(v, f"{v} before") for v in initial["lead_times"] if v not in known]
        if extra:
            form.fields["lead_times"].choices = LEAD_CHOICES + extra
        return form
