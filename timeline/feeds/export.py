"""A whole storyline as one JSON document: its items with their Whens (EDTF
and the window), their citations and sources, the storylines and actors they
name, and their full history (every change row, in order).

What loads it back (timeline/feeds/load.py) replays the history through the
services, so the document carries the history rather than a dump of rows:
each item's state is what its changes made of it. Items outside the
storyline that its items point at (the event that shows a milestone
happened, evidence, a trigger, the milestone an expectation is about) come
along, or the history could not be replayed.
"""

from __future__ import annotations

from datetime import datetime, timezone

from ..models import Change, Citation, Item, Storyline
from ..selectors import items_in_storyline

FORMAT = "forecast-watch/storyline"
VERSION = 1
# Item columns that point at other items, reached from the child rows.
LINKS = ("milestone__happened_event_id", "expectation__about_milestone_id", "expectation__evidence_event_id",
         "expectation__trigger_event_id")


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat() if moment else None


def _closure(storyline: Storyline) -> list[int]:
    """The storyline's items and every item they point at, transitively."""
    wanted = set(items_in_storyline(storyline).values_list("pk", flat=True))
    frontier = set(wanted)
    while frontier:
        found = set()
        for row in Item.objects.filter(pk__in=frontier).values_list(*LINKS):
            found.update(pk for pk in row if pk)
        frontier = found - wanted
        wanted |= frontier
    return sorted(wanted)


def _reference(obj, fields) -> dict:
    first = obj.history.order_by("at", "id").first()
    return {
        "pk": obj.pk, **{name: getattr(obj, name) for name in fields},
        "created": {"by": first.by_label, "at": _iso(first.at)} if first else None,
        "slugs": sorted({row.before.get("slug") for row in obj.history.all() if row.before.get("slug")}),
    }


def storyline_export(storyline: Storyline) -> dict:
    pks = _closure(storyline)
    items = list(Item.objects.filter(pk__in=pks).select_related("milestone", "expectation")
                 .prefetch_related("storylines", "actors").order_by("pk"))
    citations = list(Citation.objects.filter(item_id__in=pks).select_related("source__outlet").order_by("pk"))
    sources = {c.source_id: c.source for c in citations}
    storylines = {s.pk: s for item in items for s in item.storylines.all()} | {storyline.pk: storyline}
    actors = {a.pk: a for item in items for a in item.actors.all()}
    for item in items:
        if item.kind == Item.Kind.EXPECTATION and item.expectation.holder_id:
            actors.setdefault(item.expectation.holder_id, item.expectation.holder)
    changes = Change.objects.filter(item_id__in=pks).order_by("id")
    public_id = {item.pk: str(item.public_id) for item in items}
    return {
        "format": FORMAT,
        "version": VERSION,
        "storyline": storyline.slug,
        "storylines": [
            {**_reference(s, ("slug", "name", "description")),
             "grace_period": s.grace_period.total_seconds() if s.grace_period else None}
            for s in sorted(storylines.values(), key=lambda s: s.pk)
        ],
        "actors": [_reference(a, ("slug", "name", "kind", "aliases", "description"))
                   for a in sorted(actors.values(), key=lambda a: a.pk)],
        "outlets": [{"slug": o.slug, "name": o.name, "url": o.url}
                    for o in sorted({s.outlet for s in sources.values()}, key=lambda o: o.pk)],
        "sources": [{"outlet": s.outlet.slug, "title": s.title, "url": s.url, "published_at": _iso(s.published_at)}
                    for s in sorted(sources.values(), key=lambda s: s.pk)],
        "items": [_item(item) for item in items],
        "citations": [{"pk": c.pk, "item": public_id[c.item_id], "source": c.source.url, "role": c.role,
                       "attribution": c.attribution, "quote": c.quote} for c in citations],
        "changes": [
            {"item": public_id[c.item_id], "kind": c.kind, "by": c.by_label, "at": _iso(c.at), "before": c.before,
             "after": c.after, "reason": c.reason, "public_note": c.public_note, "public": c.public,
             "revision": c.revision, "schedule_version": c.schedule_version}
            for c in changes
        ],
    }


def _item(item: Item) -> dict:
    """An item as it stands: what the replay must arrive at, and the EDTF
    readers of the file use."""
    when = item.when.as_dict()
    return {
        "pk": item.pk, "public_id": str(item.public_id), "kind": item.kind, "title": item.title,
        "status": item.status, "editorial_state": item.editorial_state, "when": when, "edtf": when["edtf"],
        "as_of": item.when_as_of.isoformat() if item.when_as_of else None,
        "storylines": sorted(s.slug for s in item.storylines.all()),
        "actors": sorted(a.slug for a in item.actors.all()),
        "revision": item.revision, "schedule_version": item.schedule_version,
    }
