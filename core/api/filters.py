"""Filters every list of the API may use (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms


class StrictBooleanField(forms.NullBooleanField):
    """true or false, and a 400 for anything else (django-filter's default
    quietly ignores an unknown value, which reads as "no filter")."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        lowered = str(value).strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise forms.ValidationError("Either true or false.", code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField
