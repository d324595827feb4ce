"""Followed feeds in the admin: add a feed, see how its polls went (the last
error in words), mute it or a kind of proposal from it; and the articles it
brought, read-only.

Saves go through follow.services (timeline's ServiceBackedAdmin: a refusal
after the form validated comes back as form errors, never a 500). Who may:
editors (core.roles), as for the record itself. Nothing is fetched here:
the worker's sweep does that.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from core.clock import request_now
from core.durations import format_compact
from core.errors import ServiceError
from core.roles import user_is_editor
from timeline.admin.base import ServiceBackedAdmin
from timeline.forms import RefusableForm
from timeline.lifecycle import Kind

from . import services
from .models import POLL_INTERVAL, Article, FollowedFeed


class EditorsOnly:
    def has_module_permission(self, request):
        return user_is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return user_is_editor(request.user)

    def has_add_permission(self, request, obj=None):
        return user_is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return user_is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is deleted: mute a feed instead


class FollowedFeedForm(RefusableForm, forms.ModelForm):
    url = forms.URLField(max_length=2048, assume_scheme="https", help_text="The RSS or Atom feed's address.")
    interval = forms.CharField(initial="15m", help_text="How often it may be asked: 15m, 1h, 1d (1 minute to 7 days).")
    keywords = forms.CharField(required=False, help_text="Comma-separated; empty: every article.")
    muted_kinds = forms.MultipleChoiceField(choices=Kind.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple,
                                            help_text="Kinds of proposal not wanted from this feed.")

    class Meta:
        model = FollowedFeed
        fields = ("url", "outlet", "storylines", "keywords", "actors", "interval", "muted", "muted_kinds")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["interval"] = format_compact(self.instance.interval)
            self.initial["keywords"] = ", ".join(self.instance.keywords)

    def clean_interval(self):
        try:
            return POLL_INTERVAL.parse(self.cleaned_data["interval"], field="interval")
        except ServiceError as exc:
            raise forms.ValidationError(exc.fields.get("interval", [exc.message])) from None

    def clean_keywords(self):
        return [k.strip() for k in (self.cleaned_data.get("keywords") or "").split(",") if k.strip()]


@admin.register(FollowedFeed)
class FollowedFeedAdmin(EditorsOnly, ServiceBackedAdmin):
    form = FollowedFeedForm
    list_display = ("url", "outlet", "interval_shown", "state", "last_polled_at", "next_poll_at", "error_count",
                    "last_error_shown")
    list_filter = ("muted", "last_outcome", "outlet")
    search_fields = ("url", "outlet__name", "last_error")
    readonly_fields = ("next_poll_at", "last_polled_at", "last_outcome", "error_count", "last_error",
                       "last_error_at", "etag", "last_modified", "created_at", "created_by")
    actions = ("mute", "unmute", "poll_now")
    filter_horizontal = ("storylines", "actors")

    @admin.display(description="interval")
    def interval_shown(self, feed):
        return format_compact(feed.interval)

    @admin.display(description="state")
    def state(self, feed):
        if feed.muted:
            return "muted"
        mutes = f" (mutes {', '.join(sorted(feed.mutes))})" if feed.mutes else ""
        return (feed.last_outcome or "not polled yet").replace("_", " ") + mutes

    @admin.display(description="last error")
    def last_error_shown(self, feed):
        if not feed.last_error:
            return "—"
        return format_html('<span title="{}">{}</span>', feed.last_error, feed.last_error[:120])

    def save_model(self, request, obj, form, change):
        data = dict(form.cleaned_data)
        if change:
            changed = {name: data[name] for name in form.changed_data}
            if changed:
                services.feed_update(feed=FollowedFeed.objects.get(pk=obj.pk), **changed)
            obj.refresh_from_db()
        else:
            muted, muted_kinds = data.pop("muted"), data.pop("muted_kinds")
            feed = services.feed_follow(now=request_now(request), by=request.user, **data)
            if muted or muted_kinds:
                feed = services.feed_update(feed=feed, muted=muted, muted_kinds=muted_kinds)
            self.adopt(obj, feed)

    def save_related(self, request, form, formsets, change):
        pass  # the service set the storylines and actors

    @admin.action(description="Mute the selected feeds (no more polls)")
    def mute(self, request, queryset):
        for feed in queryset:
            services.feed_mute(feed=feed)
        self.message_user(request, f"Muted {queryset.count()} feed(s).", messages.SUCCESS)

    @admin.action(description="Unmute the selected feeds (polled from the next sweep)")
    def unmute(self, request, queryset):
        for feed in queryset:
            services.feed_unmute(feed=feed, now=request_now(request))
        self.message_user(request, f"Unmuted {queryset.count()} feed(s).", messages.SUCCESS)

    @admin.action(description="Poll at the next sweep (the worker fetches them, not this page)")
    def poll_now(self, request, queryset):
        count = services.feeds_poll_soon(feeds=queryset, now=request_now(request))
        self.message_user(request, f"{count} feed(s) will be polled at the next sweep.", messages.SUCCESS)


@admin.register(Article)
class ArticleAdmin(EditorsOnly, admin.ModelAdmin):
    list_display = ("title", "outlet", "state", "proposals", "published_at", "published_from", "seen_at", "note")
    list_filter = ("state", "outlet", "published_from")
    search_fields = ("title", "url", "note")
    readonly_fields = [f.name for f in Article._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
