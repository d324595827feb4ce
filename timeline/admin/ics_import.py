"""Calendars in, for editors: the upload page, and the list of imported
events with the conflicts to resolve.

A conflict is an incoming change to a milestone that an editor changed here
since the last import. The editor keeps ours (the incoming version is
recorded as seen, so the next import of the same file changes nothing) or
takes theirs (the calendar's version goes through the services, as an import
would have). Both are bulk actions, and buttons on a link's page.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html

from core.errors import ServiceError
from core.zones import is_zone_name

from ..feeds.ics_in import ImportReport, conflict_keep_ours, conflict_take_theirs, import_documents
from ..feeds.ics_in.fetch import Document
from ..feeds.ics_in.read import Incoming
from ..models import CalendarLink, Storyline
from .base import request_now


class UploadForm(forms.Form):
    calendar = forms.FileField(help_text="An .ics file exported from Google Calendar, Outlook or Apple Calendar.")
    storyline = forms.ModelChoiceField(queryset=Storyline.objects.all())
    tz = forms.CharField(
        label="Time zone", required=False,
        help_text="Where all-day and floating times are read. Empty: the file's own (X-WR-TIMEZONE), "
                  "else the storyline's.",
    )
    publish = forms.BooleanField(required=False, help_text="Publish new milestones at once (else: proposed).")

    def clean_tz(self):
        tz = self.cleaned_data["tz"].strip()
        if tz and not is_zone_name(tz):
            raise forms.ValidationError(f"Unknown time zone {tz!r}.")
        return tz

    def clean_calendar(self):
        upload = self.cleaned_data["calendar"]
        if upload.size > settings.FW_ICS_IMPORT_MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {settings.FW_ICS_IMPORT_MAX_BYTES} bytes.")
        return upload


class ConflictFilter(admin.SimpleListFilter):
    title = "conflict"
    parameter_name = "conflict"

    def lookups(self, request, model_admin):
        return (("yes", "Waiting for an editor"), ("no", "None"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pending_since__isnull=False)
        if self.value() == "no":
            return queryset.filter(pending_since__isnull=True)
        return queryset


@admin.register(CalendarLink)
class CalendarLinkAdmin(admin.ModelAdmin):
    list_display = ("uid_column", "milestone_link", "storyline", "sequence", "conflict_column", "imported_at")
    list_filter = (ConflictFilter, "storyline")
    list_select_related = ("milestone", "storyline")
    search_fields = ("uid", "milestone__title")
    ordering = ("-pending_since", "-imported_at")
    actions = ("keep_ours", "take_theirs")
    fields = ("uid", "recurrence", "storyline", "milestone_link", "sequence", "source", "imported_at", "incoming")
    readonly_fields = fields
    change_list_template = "admin/timeline/calendarlink/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="UID", ordering="uid")
    def uid_column(self, link):
        return str(link)

    @admin.display(description="Milestone")
    def milestone_link(self, link):
        url = reverse("admin:timeline_milestone_change", args=[link.milestone_id])
        return format_html('<a href="{}">{}</a>', url, link.milestone.title)

    @admin.display(description="Conflict", ordering="pending_since")
    def conflict_column(self, link):
        if link.pending is None:
            return "—"
        return f"Waiting since {link.pending_since:%Y-%m-%d %H:%M}"

    @admin.display(description="Incoming change waiting")
    def incoming(self, link):
        if link.pending is None:
            return "None: the milestone is as the last import left it, or an editor resolved the conflict."
        theirs = Incoming.from_dict({k: v for k, v in link.pending.items() if k not in ("fingerprint", "source")})
        ours = link.milestone
        return format_html(
            "<table><tr><th></th><th>Here (ours)</th><th>Calendar (theirs)</th></tr>"
            "<tr><th>Title</th><td>{}</td><td>{}</td></tr>"
            "<tr><th>When</th><td>{}</td><td>{}</td></tr>"
            "<tr><th>Status</th><td>{}</td><td>{}</td></tr>"
            "<tr><th>Description</th><td>{}</td><td>{}</td></tr></table>"
            "<p>From {}, SEQUENCE {}.</p>",
            ours.title, theirs.title, ours.when.display(), theirs.when.display(), ours.status, theirs.status,
            ours.summary or "—", theirs.summary or "—", link.pending.get("source", ""), theirs.sequence,
        )

    def _resolve(self, request, queryset, resolve, done: str):
        if not self.has_change_permission(request):
            raise PermissionDenied
        now = request_now(request)
        resolved = 0
        for link in queryset.filter(pending_since__isnull=False):
            try:
                resolve(link=link, by=request.user, now=now)
                resolved += 1
            except ServiceError as refusal:
                self.message_user(request, f"{link}: {refusal.message}", messages.ERROR)
        self.message_user(request, f"{done} for {resolved} conflict(s).", messages.SUCCESS)

    @admin.action(description="Keep ours: leave the milestone as edited here", permissions=["change"])
    def keep_ours(self, request, queryset):
        self._resolve(request, queryset, conflict_keep_ours, "Kept ours")

    @admin.action(description="Take theirs: apply the calendar's version", permissions=["change"])
    def take_theirs(self, request, queryset):
        self._resolve(request, queryset, conflict_take_theirs, "Took theirs")

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="timeline_calendarlink_upload"),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        if not request.user.has_perm("timeline.add_milestone"):
            raise PermissionDenied
        report: ImportReport | None = None
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["calendar"]
            report = import_documents(
                [Document(upload.name, upload.read())], storyline=form.cleaned_data["storyline"], by=request.user,
                now=request_now(request), tz=form.cleaned_data["tz"] or None, publish=form.cleaned_data["publish"],
            )
            if report.conflicts:
                self.message_user(request, f"{len(report.conflicts)} conflict(s) wait for an editor below.",
                                  messages.WARNING)
            if request.POST.get("_then") == "list":
                return HttpResponseRedirect(reverse("admin:timeline_calendarlink_changelist"))
        return render(request, "admin/timeline/calendarlink/upload.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "form": form, "report": report,
            "title": "Import a calendar",
        })
