"""Lists of related items on a change page: the expectations about a
milestone, the items of a storyline. Read-only; each line links to its page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html, format_html_join


def linked_items(queryset, *, empty: str, limit: int = 100):
    """A list of items, each linked to its admin page with its state and When."""
    rows = list(queryset[: limit + 1])
    if not rows:
        return empty
    lines = format_html_join("", '<li><a href="{}">{}</a> · {} · {}</li>', (
        (reverse(f"admin:timeline_{item.kind}_change", args=[item.pk]), item.title, item.get_status_display(),
         item.when.display()) for item in rows[:limit]
    ))
    more = format_html("<p>… and more: filter the list by this.</p>") if len(rows) > limit else ""
    return format_html("<ul class=\"fw-related\">{}</ul>{}", lines, more)
