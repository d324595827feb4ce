"""Reading articles, for editors: the "Read an article" page, the review
queue of what readings proposed, and the list of readings.

Every write goes through a service: read_article for the page; item_publish
and item_retract (timeline.services) for proposed items; the reading
services for proposed postponements. "Edit then publish" is the item's own
admin page (timeline's), where the editor fixes the title, When or holder
and presses Publish. A refusal (a stale revision, a retract without a
reason, a change already decided) comes back as a message on the queue, the
bad input of the reading form as errors at its fields; never a 500.

Editors reach these pages with the record's permission (core.roles
user_is_editor), not a permission of this app, so the editors group needs
nothing new.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html

from core.clock import request_now
from core.errors import ServiceError
from core.roles import user_is_editor
from core.zones import is_zone_name
from timeline import services as timeline_services
from timeline.models import Citation, Item, Outlet, Storyline

from . import services
from .models import ArticleReading, ProposedChange


class ReadForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 18, "cols": 100}),
                           help_text="The article as published; paragraphs as they come.")
    published = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}),
                                help_text="Relative words (“on Monday”, “in January”) are read against this date.")
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.all(), required=False,
                                    help_text="Empty: an unknown outlet.")
    url = forms.URLField(label="URL", required=False, max_length=500, assume_scheme="https",
                         help_text="With the text, what makes reading it again a repeat that writes nothing.")
    title = forms.CharField(required=False, max_length=300, help_text="Empty: the article's first line.")
    storyline = forms.ModelChoiceField(queryset=Storyline.objects.all(), required=False,
                                       help_text="Proposals join it, and are matched to its items only.")
    zone = forms.CharField(label="Time zone", initial="UTC", max_length=64,
                           help_text="Where dates are read when a sentence names no known place.")

    def clean_zone(self):
        zone = self.cleaned_data["zone"].strip()
        if not is_zone_name(zone):
            raise forms.ValidationError(f"Unknown time zone {zone!r}.")
        return zone


def _require_editor(request) -> None:
    if not user_is_editor(request.user):
        raise PermissionDenied


@admin.register(ArticleReading)
class ArticleReadingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "published", "source_outlet", "proposed", "read_by_label", "read_at")
    list_select_related = ("source__outlet",)
    search_fields = ("title", "url", "source__title")
    date_hierarchy = "read_at"
    fields = ("title", "url", "published", "source", "storyline", "zone", "read_by_label", "read_at", "what_it_did")
    readonly_fields = fields
    change_list_template = "admin/reading/articlereading/change_list.html"

    def has_module_permission(self, request):
        return user_is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return user_is_editor(request.user)

    def has_add_permission(self, request):
        return False  # the "Read an article" page adds readings

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Outlet")
    def source_outlet(self, reading):
        return reading.source.outlet.name

    @admin.display(description="What it did")
    def proposed(self, reading):
        actions = [entry["action"] for entry in reading.outcome]
        return (f"{actions.count('created')} proposed, {actions.count('cited')} cited, "
                f"{actions.count('postponement')} postponement(s)")

    @admin.display(description="Proposals")
    def what_it_did(self, reading):
        url = reverse("admin:reading_review") + f"?reading={reading.pk}"
        return format_html('{} — <a href="{}">review them</a>', self.proposed(reading), url)

    def get_urls(self):
        return [
            path("read/", self.admin_site.admin_view(self.read_view), name="reading_read"),
            path("review/", self.admin_site.admin_view(self.review_view), name="reading_review"),
            *super().get_urls(),
        ]

    # -- Read an article ---------------------------------------------------------

    def read_view(self, request):
        _require_editor(request)
        form = ReadForm(request.POST or None)
        reading = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                reading = services.read_article(
                    text=data["text"], published=data["published"], outlet=data["outlet"], url=data["url"] or None,
                    title=data["title"] or None, storyline=data["storyline"], by=request.user,
                    now=request_now(request), zone=data["zone"],
                )
            except ServiceError as refusal:
                for name, problems in (refusal.fields or {"__all__": [refusal.message]}).items():
                    for problem in problems:
                        form.add_error(name if name in form.fields else None, problem)
            else:
                level = messages.INFO if reading.already_read else messages.SUCCESS
                self.message_user(request, f"Read: {reading.summary()}.", level)
        return render(request, "admin/reading/read.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "form": form, "reading": reading,
            "title": "Read an article",
            "review_url": reverse("admin:reading_review") + (f"?reading={reading.article.pk}" if reading else ""),
        })

    # -- the review queue --------------------------------------------------------

    def review_view(self, request):
        _require_editor(request)
        if request.method == "POST":
            self._decide(request)
            return HttpResponseRedirect(request.get_full_path())
        reading = None
        items = Item.objects.filter(editorial_state=Item.EditorialState.PROPOSED)
        changes = ProposedChange.objects.filter(state=ProposedChange.State.PENDING)
        if request.GET.get("reading", "").isdigit():
            reading = ArticleReading.objects.filter(pk=int(request.GET["reading"])).select_related("source").first()
        if reading is not None:
            items = items.filter(citations__source=reading.source).distinct()
            changes = changes.filter(reading=reading)
        items = items.select_related("event", "milestone", "expectation__holder",
                                     "expectation__holder_citation").prefetch_related(
            "actors", "storylines",
            Prefetch("citations", queryset=Citation.objects.select_related("source__outlet").order_by("pk")),
        ).order_by("sort_key", "public_id")
        changes = changes.select_related("item", "reading__source__outlet")
        return render(request, "admin/reading/review.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": "Review proposals",
            "items": [_row(item) for item in items], "changes": list(changes), "reading": reading,
        })

    def _decide(self, request) -> None:
        """One editor's decision on one proposal, through its service."""
        action = request.POST.get("action", "")
        now = request_now(request)
        try:
            if action in ("publish", "retract"):
                item = Item.objects.filter(pk=_int(request.POST.get("item"))).first()
                if item is None:
                    raise ServiceError("That proposal no longer exists.")
                revision = _int(request.POST.get("revision"))
                if action == "publish":
                    timeline_services.item_publish(item=item, by=request.user, now=now, expected_revision=revision,
                                                   reason="Published from the review of proposals.")
                    self.message_user(request, f"Published “{item.title}”.", messages.SUCCESS)
                else:
                    timeline_services.item_retract(item=item, by=request.user, now=now, expected_revision=revision,
                                                   reason=request.POST.get("reason", ""))
                    self.message_user(request, f"Retracted “{item.title}”.", messages.SUCCESS)
            elif action in ("accept", "reject"):
                change = ProposedChange.objects.filter(pk=_int(request.POST.get("change"))).first()
                if change is None:
                    raise ServiceError("That proposed change no longer exists.")
                decide = services.proposed_change_accept if action == "accept" else services.proposed_change_reject
                decide(change=change, by=request.user, now=now, note=request.POST.get("note", ""))
                self.message_user(request, f"{'Accepted' if action == 'accept' else 'Rejected'}: {change}.",
                                  messages.SUCCESS)
            else:
                raise ServiceError("Unknown action.")
        except ServiceError as refusal:
            details = " ".join(m for problems in refusal.fields.values() for m in problems)
            self.message_user(request, f"{refusal.message} {details}".strip(), messages.ERROR)


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _row(item: Item) -> dict:
    """What the queue shows of one proposal: the record's own fields and derived display."""
    specific = item.specific()
    citation = next(iter(item.citations.all()), None)
    holder = specific.holder_display if item.kind == Item.Kind.EXPECTATION else ""
    return {
        "item": item, "when": item.when.display() if item.when.is_dated else "undated",
        "citation": citation, "holder": holder,
        "edit_url": reverse(f"admin:timeline_{item.kind}_change", args=[item.pk]),
        "actors": ", ".join(a.name for a in item.actors.all()),
        "storylines": ", ".join(s.name for s in item.storylines.all()),
        "expectation_type": getattr(specific, "expectation_type", ""),
        "condition": getattr(specific, "condition", ""),
    }


@admin.register(ProposedChange)
class ProposedChangeAdmin(admin.ModelAdmin):
    """The list of proposed changes, with accept and reject as bulk actions."""

    list_display = ("__str__", "new_when_display", "state", "proposed_at", "decided_by_label")
    list_filter = ("state", "kind")
    list_select_related = ("item",)
    actions = ("accept", "reject")
    fields = ("item", "kind", "new_when_display", "quote", "reading", "state", "decided_by_label", "decided_at",
              "note")
    readonly_fields = fields

    def has_module_permission(self, request):
        return user_is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return user_is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return user_is_editor(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="New When")
    def new_when_display(self, change):
        return change.new_when.display()

    def _decide(self, request, queryset, decide, done):
        now = request_now(request)
        decided = 0
        for change in queryset:
            try:
                decide(change=change, by=request.user, now=now)
                decided += 1
            except ServiceError as refusal:
                self.message_user(request, f"{change}: {refusal.message}", messages.ERROR)
        self.message_user(request, f"{done} {decided} proposed change(s).", messages.SUCCESS)

    @admin.action(description="Accept: postpone the item to the reported When")
    def accept(self, request, queryset):
        self._decide(request, queryset, services.proposed_change_accept, "Accepted")

    @admin.action(description="Reject: leave the item as it is")
    def reject(self, request, queryset):
        self._decide(request, queryset, services.proposed_change_reject, "Rejected")
