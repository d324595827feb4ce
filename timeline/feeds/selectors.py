"""Which items a calendar feed holds, and the feed's validators (ETag,
Last-Modified), computed from the rows without building the calendar.

A feed holds the dated milestones and expectations of its scope that are
published, plus those that left it (cancelled, void, missed, or retracted
after having been public) within settings.FW_FEED_KEEP_CANCELLED: long
enough for every subscribed calendar to fetch the CANCELLED entry and remove
it, after which the feed forgets them. Dormant conditionals have no date to
keep yet, and events are the record of what happened, not appointments.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet

from ..models import Change, Citation, Item, Outlet, ReferenceChange
from . import ical

# Bump when what an entry says changes shape, so no client keeps a 304 for
# bytes this code no longer writes.
FORMAT_VERSION = "1"

CALENDAR_KINDS = (Item.Kind.MILESTONE, Item.Kind.EXPECTATION)


def items_with_actor(actor) -> QuerySet:
    """An EXISTS, like items_in_storyline: each item once."""
    return Item.objects.filter(Exists(Item.actors.through.objects.filter(item_id=OuterRef("pk"), actor=actor)))


def _leaving() -> Q:
    return Q(status__in=list(ical.CANCELLED_STATUSES)) | Q(editorial_state=Item.EditorialState.RETRACTED)


def calendar_items(scope: QuerySet, *, now: datetime) -> QuerySet:
    """The items of `scope` that a feed shows at `now`."""
    keep_from = now - settings.FW_FEED_KEEP_CANCELLED
    was_public = Exists(Change.objects.filter(item_id=OuterRef("pk"), public=True))
    return (
        scope.filter(kind__in=CALENDAR_KINDS, when_start__isnull=False)
        .exclude(status=Item.Status.DORMANT)
        .filter(Q(editorial_state=Item.EditorialState.PUBLISHED)
                | (Q(editorial_state=Item.EditorialState.RETRACTED) & was_public))
        .exclude(_leaving() & Q(updated_at__lt=keep_from))
    )


def with_entry_relations(items: QuerySet) -> QuerySet:
    """What item_entry reads, in a fixed number of queries whatever the count."""
    return items.select_related(
        "milestone", "expectation", "expectation__holder", "expectation__holder_citation",
    ).prefetch_related(
        "storylines",
        Prefetch("citations", queryset=Citation.objects.select_related("source__outlet").order_by("pk")),
    ).order_by("sort_key", "public_id")


@dataclass(frozen=True)
class Validators:
    etag: str  # quoted, strong
    last_modified: datetime | None


def feed_validators(scope: QuerySet, *, now: datetime, params: tuple = ()) -> Validators:
    """A strong ETag from exactly what the feed's bytes depend on: the held
    items and their revisions (every write bumps one), the names of
    storylines, actors and outlets the entries quote, and `params` (the
    feed's name, a subscription's lead times...). Last-Modified is the newest
    of those writes, or the moment the last item left the feed, if later:
    a client that sends only If-Modified-Since must still see it go."""
    held = list(calendar_items(scope, now=now).order_by("pk").values_list("pk", "revision", "updated_at"))
    references = ReferenceChange.objects.aggregate(id=Max("id"), at=Max("at"))
    outlets = list(Outlet.objects.order_by("pk").values_list("pk", "name"))
    digest = hashlib.sha256(repr((
        FORMAT_VERSION, settings.SITE_URL, settings.FW_FEED_KEEP_CANCELLED, settings.FW_FEED_REFRESH, params,
        [(pk, revision) for pk, revision, _ in held], references["id"], outlets,
    )).encode()).hexdigest()[:40]

    moments = [updated_at for _, _, updated_at in held]
    if references["at"] is not None:
        moments.append(references["at"])
    keep = settings.FW_FEED_KEEP_CANCELLED
    gone = (scope.filter(kind__in=CALENDAR_KINDS).filter(_leaving() & Q(updated_at__lt=now - keep))
            .aggregate(at=Max("updated_at"))["at"])
    if gone is not None:
        moments.append(gone + keep)
    return Validators(etag=f'"{digest}"', last_modified=max(moments) if moments else None)
