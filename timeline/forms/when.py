"""The When as an editor enters it: one field, three parts.

A When is typed as the editor reads it in the source: the phrase ("on Jan.
23"), the date of the source it is read against (as of) and the zone of the
place. `WhenField` takes the three on every form that takes a When (an
item's add and change pages, postpone, mark happened, correct); it cleans to
a `WhenTyped`, which is read into a When only once the form knows the kind
of item and which zone an empty zone stands for (`read_when`, `read_for_items`).

The posted names are `<field>_phrase`, `<field>_as_of` and `<field>_tz`, and
each part has its own id and label (`id_when_phrase`...).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.urls import reverse

from core.zones import is_zone_name, zone_names

from ..exceptions import InvalidInput, WhenParseError
from ..when import When
from ..whenparse import parse_when
from .refusals import add_refusal

# -- The zone: an IANA name, found from a city as well ------------------------


def _city(name: str) -> str:
    return name.rsplit("/", 1)[-1]


@lru_cache(maxsize=1)
def _zones_by_city() -> dict[str, tuple[str, ...]]:
    by_city = defaultdict(list)
    for name in zone_names():
        by_city[_city(name).casefold()].append(name)
    return {city: tuple(names) for city, names in by_city.items()}


def zone_label(name: str) -> str:
    """What the zone list shows beside a name, the city first, so that a
    browser matching what is typed against the start of the label finds
    Asia/Jerusalem from "Jerus"."""
    city = _city(name).replace("_", " ")
    region = name.rpartition("/")[0].replace("_", " ")
    return f"{city} ({region})" if region else city


@lru_cache(maxsize=1)
def zone_options() -> tuple[tuple[str, str], ...]:
    return tuple((name, zone_label(name)) for name in zone_names())


def find_zone(text: str) -> str:
    """The IANA name the editor meant: the name itself in any case
    ("europe/zurich"), or the city part of exactly one name ("Jerusalem",
    "new york"). Anything else is a ValidationError naming the candidates."""
    text = (text or "").strip()
    if is_zone_name(text):
        return text
    key = text.replace(" ", "_").casefold()
    exact = [name for name in zone_names() if name.casefold() == key]
    if exact:
        return exact[0]
    by_city = _zones_by_city().get(key, ())
    if len(by_city) == 1:
        return by_city[0]
    if by_city:
        raise forms.ValidationError(
            f"“{text}” is the city of several time zones: {', '.join(by_city)}. Give the full name of one."
        )
    close = difflib.get_close_matches(text, zone_names(), n=3, cutoff=0.8) or [
        _zones_by_city()[city][0] for city in difflib.get_close_matches(key, _zones_by_city(), n=3, cutoff=0.8)
    ]
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    raise forms.ValidationError(
        f"Unknown time zone {text!r}: give an IANA name such as Europe/Zurich, or its city (Zurich).{hint}"
    )


class ZoneInput(forms.TextInput):
    """A text box that suggests zones as the editor types, by name or by city."""

    template_name = "timeline/admin/zone_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id")
        if widget_id:
            # In the widget's own context, so that it renders inside a MultiWidget too.
            context["widget"]["datalist_id"] = f"{widget_id}_zones"
            context["widget"]["attrs"]["list"] = context["widget"]["datalist_id"]
            context["widget"]["zone_options"] = zone_options()
        return context


class ZoneField(forms.CharField):
    """An IANA zone name; a city that names one zone is accepted for it."""

    widget = ZoneInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return find_zone(value) if value else ""


# -- The When field ------------------------------------------------------------


@dataclass(frozen=True)
class WhenTyped:
    """A When as typed, not yet read: reading needs the kind of item, and an
    empty zone stands for the item's own (or UTC on a new item)."""

    phrase: str = ""
    as_of: date | None = None
    tz: str = ""

    @classmethod
    def of(cls, item) -> WhenTyped:
        return cls(item.when_text, item.when_as_of, item.when_tz)


@dataclass(frozen=True)
class Part:
    key: str  # the suffix of the posted name and of the id
    label: str
    help_text: str = ""


class WhenWidget(forms.MultiWidget):
    """Phrase, as of and zone, with a live preview of the window they mean
    (when_preview.js asks /api/v1/when/parse/; without it the field works
    the same). The as-of date is typed and shown as ISO, with its day in
    words beside it (2 Dec 2026), never in a locale's 02/12/2026."""

    template_name = "timeline/admin/when_widget.html"
    # How relative words read (an event's "in June" is the past June), and
    # the zone an empty zone box stands for ("" for several items: each its own).
    kind: str = "milestone"
    default_tz: str = "UTC"

    class Media:
        css = {"all": ["timeline/admin/when.css", "timeline/admin/items.css"]}
        js = ["timeline/admin/when_preview.js"]

    def __init__(self, parts: tuple[Part, Part, Part], attrs=None):
        self.parts = parts
        super().__init__(
            {parts[0].key: forms.TextInput(attrs={"size": 40}), parts[1].key: AdminDateWidget(format="%Y-%m-%d"),
             parts[2].key: ZoneInput(attrs={"size": 30})},
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, WhenTyped):
            return [value.phrase, value.as_of, value.tz]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        rendered = []
        for part, widget, sub in zip(self.parts, self.widgets, context["widget"]["subwidgets"]):
            if id_:
                # Ids named for the part, not numbered, so a label (and a
                # test) can point at "the zone" rather than "the third box".
                sub_attrs = {**sub["attrs"], "id": f"{id_}_{part.key}"}
                if part.help_text:
                    sub_attrs["aria-describedby"] = f"{id_}_{part.key}_helptext"
                sub = widget.get_context(sub["name"], sub["value"], sub_attrs)["widget"]
            rendered.append({**sub, "part": part})
        context["widget"]["subwidgets"] = rendered
        context["widget"]["preview_url"] = reverse("api-v1:when-parse")
        context["widget"]["kind"] = self.kind
        context["widget"]["default_tz"] = self.default_tz
        as_of = value.as_of if isinstance(value, WhenTyped) else None
        context["widget"]["as_of_text"] = f"({as_of.day} {as_of:%b %Y})" if isinstance(as_of, date) else ""
        return context


class WhenField(forms.MultiValueField):
    """Phrase, as-of date and zone, cleaned to a WhenTyped."""

    def __init__(self, *, label="When", phrase_label="As reported", phrase_help="", zone_help="", **kwargs):
        parts = (
            Part("phrase", phrase_label, phrase_help),
            Part("as_of", "As of", "The date of the source: relative words (“on Monday”, “in June”) are read "
                                    "against it."),
            Part("tz", "Time zone", zone_help or "The zone of the place: an IANA name (Europe/Zurich) or its "
                                                 "city (Zurich, Jerusalem)."),
        )
        fields = (
            forms.CharField(max_length=200, required=False),
            forms.DateField(required=False, error_messages={"invalid": "As of: enter a date such as 2025-12-30."}),
            ZoneField(required=False),
        )
        kwargs.setdefault("required", False)
        super().__init__(fields, widget=WhenWidget(parts), label=label, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        phrase, as_of, tz = (list(data_list) + ["", None, ""])[:3] if data_list else ("", None, "")
        return WhenTyped((phrase or "").strip(), as_of, tz or "")


def read_when(form: forms.BaseForm, typed: WhenTyped, *, kind: str, zone: str, blank: str = "undated",
              field: str = "when") -> When | None:
    """Read what was typed into a When of `kind`, in the typed zone or else
    `zone`. An empty phrase is undated (`blank="undated"`) or None
    (`blank="unchanged"`). Problems become errors on `field`; the result is
    then None."""
    tz = typed.tz or zone
    if not typed.phrase:
        return When.undated(tz=tz) if blank == "undated" else None
    if typed.as_of is None:
        form.add_error(field, "Give the date the phrase was read against (the date of the source).")
        return None
    try:
        return parse_when(typed.phrase, as_of=typed.as_of, tz=tz, kind=kind)
    except WhenParseError as error:
        form.add_error(field, error.message)
    except InvalidInput as error:
        add_refusal(form, error)
    return None


def read_for_items(form: forms.BaseForm, typed: WhenTyped, items, *, kind: str, blank: str = "undated",
                   field: str = "when") -> dict[int, When] | None:
    """The When for each item, where an empty zone means each item's own (a
    bulk postpone must not move a Zurich milestone to UTC). Read once per
    zone; None at the first that fails (its errors are on the form, once:
    the same words fail the same way in every zone)."""
    by_zone: dict[str, When] = {}
    for item in items:
        zone = typed.tz or item.when_tz
        if zone not in by_zone:
            when = read_when(form, typed, kind=kind, zone=zone, blank=blank, field=field)
            if when is None:
                return None
            by_zone[zone] = when
    return {item.pk: by_zone[typed.tz or item.when_tz] for item in items}


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
