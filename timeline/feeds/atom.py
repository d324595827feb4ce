"""Atom feeds of the record's news (Django's syndication framework): per
storyline, per actor, and everything.

An entry is one public change row of a kind readers follow: a new item, a
reschedule, a confirmation, a cancellation or retraction, a milestone that
happened, a verdict. Its id is the change row's, as a tag URI
(`tag:<host>,2025:change/<id>`), so it never changes and a reader never
shows the same news twice; its text is the change's public note (the
internal `reason` never leaves the change log), or, where the editor gave
none, what moved.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .. import selectors
from ..when import When
from ..models import Change, Item
from . import ical
from .entries import item_url
from .selectors import items_with_actor

ENTRIES = 50
TAG_DATE = "2025"  # the tag URI's date: fixed forever, as RFC 4151 wants

# The change kinds that are news here, and how an entry's title starts.
HEADLINES = {
    Change.Kind.CREATED: "New",
    Change.Kind.PUBLISHED: "New",
    Change.Kind.POSTPONED: "Moved",
    Change.Kind.CONFIRMED: "Confirmed",
    Change.Kind.CANCELLED: "Cancelled",
    Change.Kind.RETRACTED: "Withdrawn",
    Change.Kind.HAPPENED: "Happened",
    Change.Kind.SETTLED: "Verdict",
    Change.Kind.OVERTURNED: "Verdict changed",
    Change.Kind.TRIGGERED: "Triggered",
    Change.Kind.EDITED: "Date corrected",
    Change.Kind.CORRECTION: "Corrected",
}
VERDICT_WORDS = {"met": "Met", "met_late": "Met late", "missed": "Missed", "partly_met": "Partly met",
                 "void": "Void", "open": "Reopened"}
_ALWAYS_NEWS = [kind for kind in HEADLINES if kind not in (Change.Kind.EDITED, Change.Kind.CORRECTION)]


def news_changes(scope: QuerySet) -> QuerySet:
    """Public change rows about items of `scope` that are news, newest first.
    An edit is news only when it moved the When; a correction when it moved
    the When, the status or the editorial state (what a reader plans by)."""
    # Edits and corrections that touched none of those keys are left out in
    # SQL; whether the value really changed is checked per row (is_news).
    plain_edit = Q(kind=Change.Kind.EDITED) & ~Q(after__has_key="when")
    plain_correction = Q(kind=Change.Kind.CORRECTION) & ~Q(after__has_any_keys=["when", "status", "editorial_state"])
    return (
        Change.objects.filter(public=True, kind__in=list(HEADLINES))
        .exclude(plain_edit | plain_correction)
        .filter(Exists(scope.filter(pk=OuterRef("item_id"))))
        .select_related("item")
        .order_by("-at", "-id")
    )


def _moved(change: Change) -> bool:
    fields = ("when",) if change.kind == Change.Kind.EDITED else ("when", "status", "editorial_state")
    return any(name in change.after and change.before.get(name) != change.after.get(name) for name in fields)


def is_news(change: Change) -> bool:
    return change.kind in _ALWAYS_NEWS or _moved(change)


def headline(change: Change) -> str:
    prefix = HEADLINES[change.kind]
    if change.kind in (Change.Kind.SETTLED, Change.Kind.OVERTURNED):
        status = change.after.get("status", "")
        prefix = VERDICT_WORDS.get(status, prefix) if change.kind == Change.Kind.SETTLED else \
            f"{prefix}: {VERDICT_WORDS.get(status, status)}"
    return f"{prefix}: {change.item.title}"


def _display(when_dict) -> str:
    try:
        return When.from_dict(when_dict).display() if when_dict else "undated"
    except Exception:  # an old row that no longer reads is no reason to drop the entry
        return (when_dict or {}).get("text") or "a date we cannot show"


def body(change: Change) -> str:
    note = (change.public_note or "").strip()
    parts = []
    if "when" in change.after and change.before.get("when") not in (None, change.after.get("when")):
        parts.append(f"Was {_display(change.before['when'])}; now {_display(change.after['when'])}.")
    if change.kind in (Change.Kind.CREATED, Change.Kind.PUBLISHED) and not note:
        when = change.item.when
        parts.append(change.item.summary or (f"Expected {when.display()}." if when.is_dated else "No date yet."))
    if note:
        parts.append(note)
    return " ".join(parts)


class NewsFeed(Feed):
    feed_type = Atom1Feed
    description_template = None

    def scope(self, obj) -> QuerySet:
        raise NotImplementedError

    def items(self, obj):
        changes = [change for change in news_changes(self.scope(obj))[: ENTRIES * 2] if is_news(change)]
        return changes[:ENTRIES]

    def item_title(self, change):
        return headline(change)

    def item_description(self, change):
        return body(change)

    def item_link(self, change):
        return item_url(change.item)

    def item_guid(self, change):
        return f"tag:{ical.site_host()},{TAG_DATE}:change/{change.pk}"

    def item_pubdate(self, change):
        return change.at

    def item_updateddate(self, change):
        return change.at

    def item_categories(self, change):
        return (change.get_kind_display(),)


class StorylineAtom(NewsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(selectors.storylines(), slug=slug)

    def scope(self, storyline):
        return selectors.items_in_storyline(storyline)

    def title(self, storyline):
        return f"{storyline.name} · Forecast Watch"

    def subtitle(self, storyline):
        return storyline.description or f"What is coming, what moved and what came true in {storyline.name}."

    def link(self, storyline):
        return settings.SITE_URL + reverse("pages:storyline", kwargs={"slug": storyline.slug})


class ActorAtom(NewsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(selectors.actors(), slug=slug)

    def scope(self, actor):
        return items_with_actor(actor)

    def title(self, actor):
        return f"{actor.name} · Forecast Watch"

    def subtitle(self, actor):
        return f"What {actor.name} announced, promised or was expected to do, and how it turned out."

    def link(self, actor):
        return settings.SITE_URL + reverse("pages:actor", kwargs={"slug": actor.slug})


class AllAtom(NewsFeed):
    def scope(self, obj):
        return Item.objects.all()

    def title(self):
        return "Forecast Watch"

    def subtitle(self):
        return "New items, reschedules, cancellations and verdicts across the record."

    def link(self):
        return settings.SITE_URL + reverse("pages:home")
