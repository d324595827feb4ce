"""The admin of the reference data items point at: storylines, actors,
outlets, sources, and citations.

Creates and updates go through timeline.services; a storyline's or an
actor's page lists its history (who changed what, and when), which those
services write. None of these is deleted
from the admin: no service deletes them, and a storyline or actor removed
under its items would rewrite their history without a change row. A
citation is removed through citation_remove, which logs it on its item.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from datetime import timedelta

from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.durations import describe

from .. import forms as fw_forms
from .. import services
from ..exceptions import InvalidInput, TimelineError
from ..models import Actor, Citation, Outlet, ReferenceChange, Source, Storyline
from .base import AliasSearchMixin, ServiceBackedAdmin, request_now
from .history import EMPTY, readable
from .related import linked_items


class ReferenceAdmin(ServiceBackedAdmin):
    """Create and update through a service; never delete."""

    # Storylines and actors keep a history (ReferenceChange); their change
    # page shows it below the form.
    shows_history = False

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "change_history") if self.shows_history and obj is not None else fields

    @admin.display(description="history")
    def change_history(self, obj):
        rows = [
            (f"{change.at:%Y-%m-%d %H:%M} UTC", change.by_label, change.get_kind_display(), _difference(change),
             change.reason or EMPTY)
            for change in obj.history.all()  # ordered by time: the model's Meta
        ]
        if not rows:
            return "No recorded changes."
        return format_html(
            "<table><thead><tr><th>when</th><th>who</th><th>what</th><th>fields</th><th>reason</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if change:
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            if changed:
                self.update(request, self.model.objects.get(pk=obj.pk), changed)
            obj.refresh_from_db()
        else:
            self.adopt(obj, self.create(request, form.cleaned_data))

    def save_related(self, request, form, formsets, change):
        pass  # no many-to-many, no inline: nothing besides the row the service wrote

    def create(self, request, data: dict):
        raise NotImplementedError

    def update(self, request, obj, changed: dict):
        raise NotImplementedError


def _difference(change: ReferenceChange):
    """The fields a history row moved, one per line: before → after."""
    before = change.before or {}
    created = change.kind == ReferenceChange.Kind.CREATED
    lines = []
    for name, after in (change.after or {}).items():
        if created and readable(after) == EMPTY:
            continue  # a creation lists what it started with, not what it left empty
        old = EMPTY if created else _readable(name, before.get(name))
        lines.append((name.replace("_", " "), old, _readable(name, after)))
    if not lines:
        return EMPTY
    return format_html_join(mark_safe("<br>"), "{}: {} → {}", lines)


def _readable(name: str, value) -> str:
    if name == "grace_period" and isinstance(value, (int, float)):
        return describe(timedelta(seconds=value))  # stored in seconds; read as "7 days"
    return readable(value)


@admin.register(Storyline)
class StorylineAdmin(ReferenceAdmin):
    form = fw_forms.StorylineAdminForm
    shows_history = True
    list_display = ("name", "slug", "item_count", "grace_period")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description="items", ordering="item_count")
    def item_count(self, storyline):
        return storyline.item_count

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "items_on_record") if obj is not None else fields

    @admin.display(description="its items")
    def items_on_record(self, storyline):
        return linked_items(storyline.items.order_by("sort_key", "public_id"), empty="No item in this storyline yet.")

    def create(self, request, data):
        return services.storyline_create(
            by=request.user, now=request_now(request),
            name=data["name"], slug=data["slug"], description=data["description"], grace_period=data["grace_period"],
        )

    def update(self, request, obj, changed):
        return services.storyline_update(storyline=obj, by=request.user, now=request_now(request), **changed)


@admin.register(Actor)
class ActorAdmin(AliasSearchMixin, ReferenceAdmin):
    form = fw_forms.ActorAdminForm
    shows_history = True
    list_display = ("name", "kind", "alias_list", "slug")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "aliases__icontains")
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description="aliases")
    def alias_list(self, actor):
        return ", ".join(actor.aliases or [])

    def create(self, request, data):
        return services.actor_create(
            by=request.user, now=request_now(request),
            name=data["name"], slug=data["slug"], kind=data["kind"], aliases=data["aliases"],
            description=data["description"],
        )

    def update(self, request, obj, changed):
        return services.actor_update(actor=obj, by=request.user, now=request_now(request), **changed)


@admin.register(Outlet)
class OutletAdmin(ReferenceAdmin):
    form = fw_forms.OutletAdminForm
    list_display = ("name", "slug", "url")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def create(self, request, data):
        return services.outlet_create(name=data["name"], slug=data["slug"], url=data["url"])

    def update(self, request, obj, changed):
        return services.outlet_update(outlet=obj, **changed)


@admin.register(Source)
class SourceAdmin(ReferenceAdmin):
    form = fw_forms.SourceAdminForm
    list_display = ("title", "outlet", "published_at", "url")
    list_filter = ("outlet",)
    list_select_related = ("outlet",)
    search_fields = ("title", "url", "outlet__name")
    autocomplete_fields = ("outlet",)
    date_hierarchy = "published_at"
    ordering = ("-published_at", "-pk")  # newest first

    def create(self, request, data):
        return services.source_create(
            outlet=data["outlet"], title=data["title"], url=data["url"], published_at=data["published_at"]
        )

    def update(self, request, obj, changed):
        return services.source_update(source=obj, **changed)


@admin.register(Citation)
class CitationAdmin(ServiceBackedAdmin):
    """Citations are mostly added on their item's page; this list finds them
    across items. Adding and removing go through the services, which log each
    as an edit of the item; a citation is never edited in place."""

    form = fw_forms.CitationAdminForm
    list_display = ("source", "item_link", "role", "attribution")
    list_filter = ("role",)
    list_select_related = ("source__outlet", "item")
    search_fields = ("item__title", "source__title", "attribution")
    autocomplete_fields = ("item", "source")

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one by one, each a logged edit of its item
        return actions

    @admin.display(description="item", ordering="item__title")
    def item_link(self, citation):
        item = citation.item
        return format_html('<a href="{}">{}</a>', reverse(f"admin:timeline_{item.kind}_change", args=[item.pk]), item)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        citation = services.citation_add(
            item=data["item"], source=data["source"], role=data["role"], attribution=data["attribution"],
            quote=data["quote"], by=request.user, now=request_now(request),
        )
        self.adopt(obj, citation)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except TimelineError as refusal:
            # The admin's transaction rolled back: the citation is still there.
            self.message_user(request, fw_forms.refusal_message(refusal), messages.ERROR)
            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:timeline_citation_change", args=[unquote(object_id)])
            )

    def delete_model(self, request, obj):
        services.citation_remove(citation=obj, by=request.user, now=request_now(request))

    def delete_queryset(self, request, queryset):
        for citation in queryset:
            self.delete_model(request, citation)
