"""The change log, as editors read it: on each item's page, and as its own
read-only list."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

from ..exceptions import InvalidInput
from ..models import Change, Citation, Expectation, Item, Milestone
from ..selectors import change_history
from ..when import When

EMPTY = "—"


@dataclass(frozen=True)
class Difference:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ChangeLine:
    """One change row, ready for a template."""

    change: Change
    differences: list[Difference]

    @property
    def who(self) -> str:
        return self.change.by_label


def readable(value) -> str:
    """A value from a change row's before/after (JSON) as a person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if "precision" in value:  # a When
            try:
                when = When.from_dict(value)
            except (InvalidInput, TypeError, ValueError):
                return str(value)
            shown = when.display()
            if when.text and when.text != shown:
                shown = f"{shown} (“{when.text}”)"
            return shown
        if "repr" in value:  # a related row
            return str(value["repr"])
        if "source" in value:  # a citation added or removed
            parts = [str(value["source"]), str(value.get("role", ""))]
            if value.get("attribution"):
                parts.append(str(value["attribution"]))
            return ", ".join(p for p in parts if p)
        return ", ".join(f"{k}: {readable(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(readable(v) for v in value) or EMPTY
    return str(value)


# Fields a change row logs as the id of another row (services._core.snapshot
# keeps `attname`), and the model each points at: shown by name, with a link.
REFERENCE_FIELDS = {
    field.name: field.related_model
    for model in (Item, Milestone, Expectation)
    for field in model._meta.concrete_fields
    if field.is_relation and field.many_to_one and field.name not in ("item_ptr",)
}


class References:
    """The rows that change rows name by id, read in one query per model."""

    def __init__(self, changes):
        wanted: dict[type, set[int]] = defaultdict(set)
        for change in changes:
            for values in (change.before or {}, change.after or {}):
                for name, model in REFERENCE_FIELDS.items():
                    value = values.get(name)
                    if isinstance(value, int) and not isinstance(value, bool):
                        wanted[model].add(value)
        self.rows: dict[tuple[type, int], object] = {}
        for model, ids in wanted.items():
            qs = model.objects.filter(pk__in=ids)
            if model is Citation:
                qs = qs.select_related("source")
            for row in qs:
                self.rows[(model, row.pk)] = row

    def show(self, name: str, value):
        """A logged id as a name with a link to its admin page (a removed row says so)."""
        model = REFERENCE_FIELDS[name]
        row = self.rows.get((model, value))
        if row is None:
            return f"#{value} (no longer on record)"
        label = row.get_username() if model is get_user_model() else str(row)
        url = admin_url(row)
        return format_html('<a href="{}">{}</a>', url, label) if url else label


def admin_url(row) -> str:
    opts = row._meta
    if isinstance(row, Item) and type(row) is Item:
        name = f"timeline_{row.kind}_change"
    else:
        name = f"{opts.app_label}_{opts.model_name}_change"
    try:
        return reverse(f"admin:{name}", args=[row.pk])
    except NoReverseMatch:
        return ""


def _value(name: str, value, references: References | None):
    if references is not None and name in REFERENCE_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return references.show(name, value)
    return readable(value)


def differences(change: Change, references: References | None = None) -> list[Difference]:
    """The fields a change moved, before → after, in the order it logged them.
    A creation lists what the item started with. With `references`, a field
    logged as another row's id shows that row's name and a link."""
    before, after = change.before or {}, change.after or {}
    out = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if name in before and old == new:
            continue
        if name not in before and readable(new) in ("", EMPTY):
            continue  # a creation lists what the item started with, not what it left empty
        out.append(Difference(
            name.replace("_", " "), _value(name, old, references) if name in before else EMPTY,
            _value(name, new, references),
        ))
    return out


def shortened(note: str, length: int = 80) -> str:
    note = note or ""
    return note if len(note) <= length else note[: length - 1] + "…"


def change_log(item) -> list[ChangeLine]:
    changes = list(change_history(item))
    references = References(changes)
    return [ChangeLine(change, differences(change, references)) for change in changes]


class ProcessedFilter(admin.SimpleListFilter):
    title = "processed by watch"
    parameter_name = "processed"

    def lookups(self, request, model_admin):
        return [("yes", "Processed"), ("no", "Waiting")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(processed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(processed_at__isnull=True)
        return None


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """The change log is written by the services alone: here it is only read."""

    list_display = ("at", "item_link", "kind", "by_label", "short_public_note", "short_reason", "public", "processed_at")
    list_filter = ("kind", "public", ProcessedFilter)
    search_fields = ("item__title",)
    list_select_related = ("item",)
    date_hierarchy = "at"
    ordering = ("-at", "-id")  # newest first
    fields = (
        "item_link", "kind", "by_label", "at", "public_note", "reason", "difference", "revision", "schedule_version",
        "public", "processed_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="item", ordering="item__title")
    def item_link(self, change: Change):
        item = change.item
        url = reverse(f"admin:timeline_{item.kind}_change", args=[item.pk])
        return format_html('<a href="{}">{}</a>', url, item.title)

    @admin.display(description="public note (subscribers, the item's page)")
    def short_public_note(self, change: Change) -> str:
        return shortened(change.public_note)

    @admin.display(description="internal note (change log only)")
    def short_reason(self, change: Change) -> str:
        return shortened(change.reason)

    @admin.display(description="before → after")
    def difference(self, change: Change):
        rows = differences(change, References([change]))
        if not rows:
            return EMPTY
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join("", "<tr><th>{}</th><td>{}</td><td>→</td><td>{}</td></tr>",
                             ((d.field, d.before, d.after) for d in rows)),
        )
