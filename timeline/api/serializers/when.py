"""The When on the wire.

Written as the words reported, read against a date and a zone:

    {"text": "in January", "as_of": "2025-12-30", "tz": "Europe/Zurich"}

or as EDTF, which also needs a zone:

    {"edtf": "2026-01", "tz": "Europe/Zurich"}

and read back with the window the words mean: start and end (exclusive) as
UTC instants, precision, approximate, tz, edtf and how people see it
(`display`). "undated", "TBD" or an empty EDTF make an undated When.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.timezone import localtime
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from core.clock import request_now
from timeline.exceptions import InvalidInput, WhenParseError
from timeline.when import PRECISIONS, When, zone
from timeline.whenparse import parse_when, when_from_edtf

from .reference import INSTANT, instant


@dataclass(frozen=True)
class WrittenWhen:
    """A When read from input, with the date its words were read against."""

    when: When
    as_of: date | None


@extend_schema_serializer(examples=[
    OpenApiExample("Words as reported", value={"text": "on Jan. 23", "as_of": "2025-12-30", "tz": "Europe/Zurich"},
                   request_only=True),
    OpenApiExample("EDTF", value={"edtf": "2026-01", "tz": "Europe/Zurich"}, request_only=True),
])
class WhenIn(serializers.Serializer):
    """A When as written by a client: `text` (with `as_of`) or `edtf`, and always `tz`.

    The words are read for the kind of item (an event's "in June" is the last
    June, a milestone's the coming one): the kind comes from the field's
    `kind` argument or the serializer context's `when_kind`.
    """

    text = serializers.CharField(
        required=False, allow_blank=False, max_length=200, trim_whitespace=True,
        help_text='The words as reported: "in January", "on Jan. 23", "early 2026", "by the end of the year", '
                  '"~March", "undated".',
    )
    as_of = serializers.DateField(
        required=False,
        help_text="The date the words are read against (the source's publication date). Default: today in `tz`.",
    )
    edtf = serializers.CharField(
        required=False, allow_blank=True, max_length=64, trim_whitespace=True,
        help_text='An EDTF value instead of words: "2026-01", "2026-01-23", "2026-01-01/2026-01-31", "2026~", '
                  '"2026-21" (spring). Empty means undated.',
    )
    tz = serializers.CharField(
        max_length=64, help_text='The IANA time zone of the place, e.g. "Europe/Zurich"; required with either form.',
    )

    def __init__(self, *args, kind: str | None = None, **kwargs):
        self.item_kind = kind
        super().__init__(*args, **kwargs)

    def validate_tz(self, value: str) -> str:
        try:
            zone(value)
        except InvalidInput as exc:
            raise serializers.ValidationError(exc.fields.get("tz", [exc.message])) from None
        return value

    def validate(self, attrs: dict) -> WrittenWhen:
        has_text, has_edtf = "text" in attrs, "edtf" in attrs
        if has_text == has_edtf:
            raise serializers.ValidationError(
                {"non_field_errors": ["Give the words as reported (`text`) or an EDTF value (`edtf`), not both."]}
            )
        tz = attrs["tz"]
        kind = self.item_kind or self.context.get("when_kind") or "milestone"
        as_of = attrs.get("as_of")
        try:
            if has_text:
                if as_of is None:
                    as_of = localtime(request_now(self.context["request"]), zone(tz)).date() \
                        if "request" in self.context else None
                    if as_of is None:
                        raise serializers.ValidationError({"as_of": ["Give the date the words are read against."]})
                when = parse_when(attrs["text"], as_of=as_of, tz=tz, kind=kind)
            else:
                when = when_from_edtf(attrs["edtf"], tz=tz)
        except WhenParseError as exc:
            raise serializers.ValidationError({"text" if has_text else "edtf": [exc.message]}) from None
        except InvalidInput as exc:
            raise serializers.ValidationError(exc.fields or {"non_field_errors": [exc.message]}) from None
        return WrittenWhen(when=when, as_of=as_of)


class WhenOut(serializers.Serializer):
    """An item's When: the words, and the window they mean."""

    text = serializers.CharField(source="when_text", help_text="The words as reported.")
    as_of = serializers.DateField(source="when_as_of", allow_null=True,
                                  help_text="The date the words were read against.")
    start = serializers.DateTimeField(source="when_start", allow_null=True, **INSTANT,
                                      help_text="Start of the window (inclusive); null when undated.")
    end = serializers.DateTimeField(source="when_end", allow_null=True, **INSTANT,
                                    help_text="End of the window (exclusive); null when undated.")
    precision = serializers.ChoiceField(source="when_precision", choices=PRECISIONS)
    approximate = serializers.BooleanField(source="when_approximate")
    tz = serializers.CharField(source="when_tz", help_text="The time zone of the place.")
    edtf = serializers.CharField(source="when_edtf", help_text="The window in EDTF; empty when undated.")
    display = serializers.SerializerMethodField(help_text='How people see it: "January 2026", "23 Jan 2026".')

    def get_display(self, item) -> str:
        return item.when.display()

    def to_representation(self, item) -> dict:
        # Rendered for every item of a list (and its actual When), so written
        # out rather than walked field by field: the fields above are the
        # schema and format the dates; tests/api/test_when_out.py checks that
        # this gives what DRF's own walk gives.
        fields = self.fields
        as_of, start, end = item.when_as_of, item.when_start, item.when_end
        return {
            "text": item.when_text,
            "as_of": None if as_of is None else fields["as_of"].to_representation(as_of),
            "start": None if start is None else instant(start),
            "end": None if end is None else instant(end),
            "precision": item.when_precision,
            "approximate": item.when_approximate,
            "tz": item.when_tz,
            "edtf": item.when_edtf,
            "display": self.get_display(item),
        }


class WhenPreviewOut(serializers.Serializer):
    """A When read from input, before anything is saved (POST /when/parse/)."""

    text = serializers.CharField()
    as_of = serializers.DateField(allow_null=True)
    start = serializers.DateTimeField(allow_null=True)
    end = serializers.DateTimeField(allow_null=True)
    precision = serializers.ChoiceField(choices=PRECISIONS)
    approximate = serializers.BooleanField()
    tz = serializers.CharField()
    edtf = serializers.CharField()
    display = serializers.CharField()

    def to_representation(self, written: WrittenWhen) -> dict:
        when = written.when
        return super().to_representation({
            "text": when.text, "as_of": written.as_of, "start": when.start, "end": when.end,
            "precision": when.precision, "approximate": when.approximate, "tz": when.tz, "edtf": when.edtf,
            "display": when.display(),
        })
