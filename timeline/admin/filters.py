"""List filters of the item admins."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin

from .. import selectors
from ..models import Item
from ..services.items import STATUSES_BY_KIND
from ..when import UNDATED
from .base import request_now


class StatusFilter(admin.SimpleListFilter):
    """The lifecycle statuses the admin's kind of item can hold (a milestone
    is never `dormant`), rather than every value of the shared column."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        kind = getattr(model_admin, "item_kind", None)
        statuses = STATUSES_BY_KIND[kind] if kind else Item.Status.values
        return [(status, Item.Status(status).label) for status in statuses]

    def queryset(self, request, queryset):
        if self.value() in Item.Status.values:
            return queryset.filter(status=self.value())
        return None


class DueWindowFilter(admin.SimpleListFilter):
    """What is due, by the same selectors as the `due` command and the API,
    against the request's clock."""

    title = "due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("7d", "Due in 7 days"),
            ("30d", "Due in 30 days"),
            ("undated", "Undated"),
        ]

    def queryset(self, request, queryset):
        now = request_now(request)
        value = self.value()
        if value == "overdue":
            return selectors.items_overdue(now=now, queryset=queryset)
        if value == "7d":
            return selectors.items_upcoming(now=now, within=timedelta(days=7), queryset=queryset)
        if value == "30d":
            return selectors.items_upcoming(now=now, within=timedelta(days=30), queryset=queryset)
        if value == "undated":
            return queryset.filter(when_precision=UNDATED)
        return None
