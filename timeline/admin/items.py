"""The admin of events, milestones and expectations, and the list of all items.

Every save goes through timeline.services: a new item through item_create,
an edit through item_edit (storylines and actors included, so the admin
never saves a many-to-many itself), a citation added or removed on the
item's page through citation_add / citation_remove. Lifecycle moves are the
transitions (see transitions.py). Nothing is deleted: an item is retracted.
"""

from __future__ import annotations

from datetime import timezone as dt_timezone

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .. import derived, services
from .. import forms as fw_forms
from ..models import Citation, Event, Expectation, Item, Milestone
from .base import AliasSearchMixin, ServiceBackedAdmin, request_now
from .filters import DueWindowFilter, StatusFilter
from .history import change_log
from .related import linked_items
from .transitions import TransitionsMixin, revision_input

# Shown on every item's page, read-only: what the services alone may set.
# Where it stands comes first; the bookkeeping is folded away.
STATE_FIELDS = ("status", "editorial_state", "overdue_now", "assignee_link")
INTERNAL_FIELDS = (
    "public_id", "revision", "schedule_version", "created_at", "created_by", "updated_at", "overdue_noticed_at",
)


def as_of_text(as_of) -> str:
    """An as-of date no reader can misread: 2 Dec 2026, never 02/12/2026."""
    return f"{as_of.day} {as_of:%b %Y}" if as_of else "—"


def overdue_annotation(now):
    """Overdue (timeline/derived.py) as a column computed with the request's
    clock, so the list can show and sort it."""
    return derived.overdue_flag(now)


class ItemColumnsMixin:
    """List columns and read-only lines shared by the kind admins and the all-items list."""

    def get_queryset(self, request):
        return (
            super().get_queryset(request)
            .prefetch_related("storylines")
            .annotate(overdue_flag=overdue_annotation(request_now(request)))
        )

    @admin.display(description="When", ordering="sort_key")
    def when_column(self, item):
        # A happened milestone stands at its actual date, its plan beside it.
        milestone = item if isinstance(item, Milestone) else (
            item.milestone if item.kind == Item.Kind.MILESTONE else None
        )
        actual = milestone.actual_when if milestone is not None else None
        if actual is not None:
            return f"happened {actual.display()} (planned {item.when.display()})"
        return item.when.display()

    @admin.display(description="overdue", ordering="overdue_flag")
    def overdue(self, item):
        # A warning, not Django's green tick (which reads as "fine").
        if item.overdue_flag:
            return format_html('<span class="fw-overdue" title="{}">⚠ overdue</span>',
                               "The window has ended and no outcome is recorded.")
        return ""

    @admin.display(description="storylines")
    def storyline_names(self, item):
        return ", ".join(storyline.name for storyline in item.storylines.all())


class CitationInline(admin.TabularInline):
    """Citations on the item's page. Adding or removing one is an edit of the
    item, logged by the service (see ItemAdminBase.save_formset)."""

    model = Citation
    form = fw_forms.CitationInlineForm
    fk_name = "item"
    extra = 0
    autocomplete_fields = ("source",)
    fields = ("source", "role", "attribution", "quote")
    verbose_name_plural = "citations (to fix one, remove it and add the right one)"


class ItemAdminBase(AliasSearchMixin, ItemColumnsMixin, TransitionsMixin, ServiceBackedAdmin):
    item_kind: str = ""
    kind_fieldsets: tuple = ()
    kind_state_fields: tuple = ()
    starting_fields: tuple = ("editorial_state",)

    change_form_template = "admin/timeline/item_change_form.html"
    inlines = (CitationInline,)
    list_display = (
        "title", "status", "editorial_state", "when_column", "overdue", "storyline_names", "revision_seen",
    )
    list_filter = ("storylines", StatusFilter, "editorial_state", "when_precision", DueWindowFilter)
    # Alias search: Actor.aliases is a JSON list; `icontains` on a JSONField
    # matches within its JSON text (AliasSearchMixin adds the escaped spelling
    # SQLite stores for non-ASCII letters).
    search_fields = ("title", "actors__name", "actors__aliases__icontains")
    autocomplete_fields = ("storylines", "actors")
    list_per_page = 50
    ordering = ("-created_at", "-pk")  # newest first
    # Read-only lines of the item's page below its form (expectations about a milestone).
    related_fields: tuple = ()

    class Media:
        css = {"all": ["timeline/admin/items.css"]}

    # -- The form ------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        main = (None, {"fields": ("title", "summary", "storylines", "actors", "place", "expected_revision")})
        when = ("When", {"fields": ("when", "resolved_window") if obj is not None else ("when",)})
        why = ("Why", {"fields": ("change_reason",)})
        if obj is None:
            return (main, when, *self.kind_fieldsets, ("Start as", {"fields": self.starting_fields}), why)
        # State and verdict first: what an editor opens the page to see.
        state = ("Where it stands (changes through the buttons above)",
                 {"fields": STATE_FIELDS + self.kind_state_fields})
        related = (("Related", {"fields": self.related_fields}),) if self.related_fields else ()
        internals = ("Internals", {"fields": INTERNAL_FIELDS + self.kind_internal_fields, "classes": ("collapse",)})
        return (state, main, when, *self.kind_fieldsets, *related, why, internals)

    kind_internal_fields: tuple = ()

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*STATE_FIELDS, *self.kind_state_fields, *INTERNAL_FIELDS, *self.kind_internal_fields,
                *self.related_fields, "resolved_window")

    @admin.display(description="watched by")
    def assignee_link(self, item):
        if not item.assignee_id:
            return format_html('nobody · <a href="{}">assign on the desk</a>',
                               reverse("desk:assign", args=[item.public_id]))
        return format_html('{} · <a href="{}">change on the desk</a>', item.assignee.get_username(),
                           reverse("desk:assign", args=[item.public_id]))

    def history_view(self, request, object_id, extra_context=None):
        """HISTORY shows the change log the services write (every write, with
        who, why and what moved), not Django's LogEntry, which the services bypass."""
        item = self.get_object(request, unquote(object_id))
        if item is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, item):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change log: {item}", "subtitle": None, "object": item, "opts": self.opts,
            "change_log": change_log(item), **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/timeline/item_history.html", context)

    @admin.display(description="Resolved window")
    def resolved_window(self, item):
        when = item.when
        if not when.is_dated:
            return "Undated"
        local, utc = when.zoneinfo, dt_timezone.utc
        return format_html(
            "<strong>{}</strong><br>start {} ({} UTC)<br>end {} ({} UTC), exclusive<br>"
            "precision {}{} · EDTF {} · zone {} · read as of {}",
            when.display(),
            f"{when.start.astimezone(local):%Y-%m-%d %H:%M %Z}", f"{when.start.astimezone(utc):%Y-%m-%d %H:%M}",
            f"{when.end.astimezone(local):%Y-%m-%d %H:%M %Z}", f"{when.end.astimezone(utc):%Y-%m-%d %H:%M}",
            when.precision, ", approximate" if when.approximate else "", when.edtf or "—", when.tz,
            as_of_text(item.when_as_of),
        )

    @admin.display(description="overdue now")
    def overdue_now(self, item):
        overdue = getattr(item, "overdue_flag", None)  # computed by get_queryset with the request's clock
        if overdue is None:
            overdue = item.is_overdue(timezone.now())
        if not overdue:
            return "no"
        return f"yes: the window ended {item.when_end:%Y-%m-%d %H:%M} UTC and no outcome is recorded"

    @admin.display(description="Rev.")
    def revision_seen(self, item):
        # The hidden input rides in the list's form, so a bulk action knows
        # which revision the editor saw (see transitions.py).
        return format_html("{}{}", item.revision, revision_input(item))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            context["transition_links"] = self.transition_links(request, obj)
            context["change_log"] = change_log(obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # -- Saving: through the services --------------------------------------------
    # The revision the editor saw goes, once, to the first service call of the
    # save (item_edit checks it even when the edit changes nothing). What
    # follows in the same save (the citations) is guarded by the services'
    # own conditional UPDATE, inside the admin's one transaction.

    def save_model(self, request, obj, form, change):
        now = request_now(request)
        data = form.cleaned_data
        when = form.when_read
        if not change:
            fields = form.service_fields()
            fields.pop("title", None)
            created = services.item_create(
                kind=self.item_kind, by=request.user, now=now, title=data["title"], when=when,
                as_of=data["when"].as_of, storylines=data.get("storylines") or (), actors=data.get("actors") or (),
                editorial_state=data.get("editorial_state") or Item.EditorialState.DRAFT,
                status=data.get("status") or None, reason=data.get("change_reason", ""), **fields,
            )
            self.adopt(obj, created)
            return
        # The admin's obj already carries the form's values (the ModelForm
        # wrote them onto it); the service compares with the row as stored,
        # so that it writes, and logs as `before`, only what changed.
        stored = self.model.objects.get(pk=obj.pk)
        edits = {**form.service_fields(), "storylines": data["storylines"], "actors": data["actors"]}
        if when is not None:
            edits.update(when=when, as_of=data["when"].as_of)
        services.item_edit(
            item=stored, by=request.user, now=now, expected_revision=data["expected_revision"],
            reason=data.get("change_reason", ""), **edits,
        )
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Storylines and actors went to the service with the item; the admin's
        # own form.save_m2m() would write them without a change row.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Citation:
            raise NotImplementedError(f"No service saves {formset.model.__name__} rows from an item's page.")
        item = form.instance
        now = request_now(request)
        # Additions first: citation_add moves `item` to the revision it wrote,
        # and citation_remove reads its own copy of the item, so neither works
        # from a stale one.
        added = [
            services.citation_add(
                item=item, source=row.cleaned_data["source"], role=row.cleaned_data["role"],
                attribution=row.cleaned_data.get("attribution", ""), quote=row.cleaned_data.get("quote", ""),
                by=request.user, now=now,
            )
            for row in formset.extra_forms if row.has_changed() and row not in formset.deleted_forms
        ]
        removed = [row.instance for row in formset.deleted_forms if row.instance.pk is not None]
        for citation in removed:
            services.citation_remove(citation=citation, by=request.user, now=now)
        # What Django's change message reads (formset.save() would set these).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = added, [], removed

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, f"When: {fw_forms.describe_window(obj.when)}.", messages.INFO)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self.message_user(request, f"When: {fw_forms.describe_window(obj.when)}.", messages.INFO)
        return super().response_change(request, obj)

    # -- Nothing is deleted ---------------------------------------------------------

    def has_delete_permission(self, request, obj=None):
        return False

    def delete_view(self, request, object_id, extra_context=None):
        # Reached only by a typed or bookmarked URL: lead to retracting, which
        # keeps the item and records why.
        item = self.get_object(request, unquote(object_id))
        if item is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        self.message_user(request, "Items are never deleted: retract it instead, with a reason.", messages.WARNING)
        return HttpResponseRedirect(self.transition_url(item, self.transition("retract")))

    def delete_model(self, request, obj):
        raise PermissionDenied("Items are retracted, never deleted.")

    def delete_queryset(self, request, queryset):
        raise PermissionDenied("Items are retracted, never deleted.")


@admin.register(Event)
class EventAdmin(ItemAdminBase):
    item_kind = Item.Kind.EVENT
    form = fw_forms.EventAdminForm
    # An event is recorded, never due: status and due filters would be empty.
    list_filter = ("storylines", "editorial_state", "when_precision")
    list_display = ("title", "editorial_state", "when_column", "storyline_names", "revision_seen")


@admin.register(Milestone)
class MilestoneAdmin(ItemAdminBase):
    item_kind = Item.Kind.MILESTONE
    form = fw_forms.MilestoneAdminForm
    starting_fields = ("editorial_state", "status")
    kind_state_fields = ("happened_event", "cancel_reason", "postponed_count")
    related_fields = ("expectations_about_it",)
    list_select_related = ("happened_event",)
    list_display = (
        "title", "status", "editorial_state", "when_column", "overdue", "postponed_count", "storyline_names",
        "revision_seen",
    )


    @admin.display(description="expectations about it")
    def expectations_about_it(self, milestone):
        return linked_items(milestone.expectations.order_by("sort_key", "pk"), empty="No expectation is about it.")


@admin.register(Expectation)
class ExpectationAdmin(ItemAdminBase):
    item_kind = Item.Kind.EXPECTATION
    form = fw_forms.ExpectationAdminForm
    kind_fieldsets = (
        ("The claim", {"fields": (
            "expectation_type", "holder", "holder_citation", "criteria", "target_kind", "about_milestone",
            "probability", "grace_period",
        )}),
        ("Conditional", {"fields": ("condition", "trigger_deadline"), "classes": ("collapse",)}),
    )
    # The verdict and its reason first; the trigger's facts after.
    kind_state_fields = (
        "decided_by", "verdict_note", "undecided_reason", "decided_by_user", "decided_at", "verdict_reviewed_at",
        "evidence_event", "evidence_citation", "triggered_at", "trigger_event",
    )
    autocomplete_fields = ("storylines", "actors", "holder", "about_milestone")
    list_display = (
        "title", "expectation_type", "status", "editorial_state", "when_column", "overdue", "storyline_names",
        "revision_seen",
    )
    list_filter = (
        "storylines", StatusFilter, "editorial_state", "expectation_type", "decided_by", "when_precision",
        DueWindowFilter,
    )


@admin.register(Item)
class ItemAdmin(AliasSearchMixin, ItemColumnsMixin, admin.ModelAdmin):
    """Every item in one list, read-only: each row leads to its own admin."""

    ordering = ("-created_at", "-pk")  # newest first
    list_display = ("title_link", "kind", "status", "editorial_state", "when_column", "overdue", "storyline_names")
    list_select_related = ("milestone__happened_event",)
    list_display_links = None
    list_filter = ("kind", "storylines", StatusFilter, "editorial_state", "when_precision", DueWindowFilter)
    search_fields = ItemAdminBase.search_fields
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="title", ordering="title")
    def title_link(self, item):
        return format_html('<a href="{}">{}</a>', reverse(f"admin:timeline_{item.kind}_change", args=[item.pk]), item)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = self.get_object(request, unquote(object_id))
        if item is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return HttpResponseRedirect(reverse(f"{self.admin_site.name}:timeline_{item.kind}_change", args=[item.pk]))
