"""Forms of the reference data: storylines, actors, outlets and sources."""

from __future__ import annotations

from django import forms

from ..models import Actor, Outlet, Source, Storyline
from .refusals import RefusableForm


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


class ActorAdminForm(RefusableForm, forms.ModelForm):
    aliases = LinesField(required=False, help_text="Other names the sources use, one per line (IRGC, Revolutionary Guards).")

    class Meta:
        model = Actor
        fields = ("name", "slug", "kind", "aliases", "description")


class StorylineAdminForm(RefusableForm, forms.ModelForm):
    class Meta:
        model = Storyline
        fields = ("name", "slug", "description", "grace_period")


class OutletAdminForm(RefusableForm, forms.ModelForm):
    url = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Outlet
        fields = ("name", "slug", "url")


class SourceAdminForm(RefusableForm, forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = Source
        fields = ("outlet", "title", "url", "published_at")
