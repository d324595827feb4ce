"""Loading a storyline export (timeline/feeds/export.py) into a database
that does not hold it yet, by replaying its history through the services.

Each change row of the export, in the order it was written, becomes the
service call that wrote it, at its time and by its author: created is
item_create, postponed milestone_postpone, settled expectation_settle, an
overdue notice the sweep at that moment, and so on. What a call writes
besides its own row (the verdicts a milestone's outcome settles, an
expectation re-settled after a correction) is matched against the export's
next rows of the same item, kind and time, which then need no call. The load
is one transaction: if the replayed history differs from the exported one in
any row, nothing is loaded, and the error names the row.

Two things are restored, not replayed: each item's public id (the identity
its URLs and calendar UIDs carry, which item_create would draw afresh), and
the authors' accounts, which an empty database does not have; those are
created inactive, without a password, to carry the history's names.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from core.errors import InvalidInput

from .. import services
from ..models import SYSTEM, Actor, Change, Citation, Item, Outlet, Source, Storyline
from ..services.items import COMMON_FIELDS, KIND_FIELDS
from ..when import When
from .export import FORMAT, VERSION

OBJECT_FIELDS = {
    "holder": "actor", "holder_citation": "citation", "about_milestone": "item", "evidence_event": "item",
    "evidence_citation": "citation", "trigger_event": "item", "happened_event": "item",
}
DURATIONS = ("grace_period", "trigger_deadline")
CREATED_KEYS = ("title", "status", "editorial_state", "when", "storylines", "actors")


class LoadRefused(InvalidInput):
    """The export cannot be loaded here; nothing was."""


ROW_IDS = {*OBJECT_FIELDS, "decided_by_user"}


def comparable(snapshot: Any) -> Any:
    """A change's before or after with row ids reduced to whether there was
    one: a loaded row has new ids (what they point at is checked by the
    replay itself, which passes the loaded rows)."""
    if isinstance(snapshot, dict):
        return {key: (value is not None if key in ROW_IDS else comparable(value))
                for key, value in snapshot.items() if key != "id"}
    if isinstance(snapshot, list):
        return [comparable(value) for value in snapshot]
    return snapshot


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


class Replay:
    def __init__(self, document: dict):
        if document.get("format") != FORMAT or document.get("version") != VERSION:
            raise LoadRefused(f"Not a storyline export of version {VERSION} ({FORMAT}).")
        self.doc = document
        self.items: dict[str, Item] = {}  # public id -> loaded item
        self.by_pk: dict[str, dict[int, Any]] = {"item": {}, "actor": {}, "citation": {}}
        self.slugs: dict[str, dict[str, Any]] = {"storylines": {}, "actors": {}}
        self.users: dict[str, Any] = {}
        self.exported = {row["public_id"]: row for row in document["items"]}
        self.citations = {row["pk"]: row for row in document["citations"]}
        self.unmatched: list[Change] = []  # rows a call wrote beyond its own, waiting for their export row

    # -- who and what ------------------------------------------------------------------

    def by(self, label: str):
        if label == SYSTEM:
            return SYSTEM
        if label not in self.users:
            User = get_user_model()
            user = User.objects.filter(username=label).first()
            if user is None:
                user = User.objects.create_user(username=label, password=None, is_active=False)
            self.users[label] = user
        return self.users[label]

    def value(self, name: str, value: Any) -> Any:
        """A snapshot's value as the service takes it."""
        if name in OBJECT_FIELDS:  # a snapshot keeps the row's id
            return None if not value else self.by_pk[OBJECT_FIELDS[name]][value]
        if name in DURATIONS:
            return None if value is None else timedelta(seconds=value)
        if name == "probability":
            return None if value is None else Decimal(str(value))
        if name == "when":
            return When.from_dict(value)
        if name in ("storylines", "actors"):
            return [self.slugs[name][slug] for slug in value]
        return value

    # -- reference data ----------------------------------------------------------------

    def load_reference(self) -> None:
        for row in self.doc["storylines"]:
            created = row["created"] or {"by": SYSTEM, "at": None}
            if Storyline.objects.filter(slug=row["slug"]).exists():
                raise LoadRefused(f"A storyline {row['slug']!r} exists already: load into a database without it.")
            storyline = services.storyline_create(
                by=self.by(created["by"]), now=_at(created["at"]) if created["at"] else _at(self.doc["changes"][0]["at"]),
                name=row["name"], slug=row["slug"], description=row["description"],
                grace_period=timedelta(seconds=row["grace_period"]) if row["grace_period"] else None,
            )
            for slug in (row["slug"], *row["slugs"]):
                self.slugs["storylines"][slug] = storyline
        for row in self.doc["actors"]:
            actor = Actor.objects.filter(slug=row["slug"]).first()
            if actor is None:
                created = row["created"] or {"by": SYSTEM, "at": self.doc["changes"][0]["at"]}
                actor = services.actor_create(by=self.by(created["by"]), now=_at(created["at"]), name=row["name"],
                                              slug=row["slug"], kind=row["kind"], aliases=row["aliases"],
                                              description=row["description"])
            for slug in (row["slug"], *row["slugs"]):
                self.slugs["actors"][slug] = actor
            self.by_pk["actor"][row["pk"]] = actor
        outlets = {}
        for row in self.doc["outlets"]:
            outlets[row["slug"]] = (Outlet.objects.filter(slug=row["slug"]).first()
                                    or services.outlet_create(name=row["name"], slug=row["slug"], url=row["url"]))
        self.sources = {}
        for row in self.doc["sources"]:
            self.sources[row["url"]] = (Source.objects.filter(url=row["url"]).first() or services.source_create(
                outlet=outlets[row["outlet"]], title=row["title"], url=row["url"], published_at=_at(row["published_at"])))

    # -- the history -------------------------------------------------------------------

    def load_history(self) -> None:
        for number, row in enumerate(self.doc["changes"], start=1):
            if self._matched_earlier(row):
                continue
            watermark = Change.objects.order_by("-id").values_list("id", flat=True).first() or 0
            self.call(row)
            written = list(Change.objects.filter(id__gt=watermark).order_by("id"))
            own = next((c for c in written if self._same(c, row)), None)
            if own is None:
                raise LoadRefused(f"Change {number} ({row['kind']} of {row['item']}) did not replay as exported.")
            self._check(own, row, number)
            self.unmatched.extend(c for c in written if c is not own)
        if self.unmatched:
            extra = self.unmatched[0]
            raise LoadRefused(f"The replay wrote a change the export does not have: {extra.kind} of "
                              f"{extra.item.public_id} at {extra.at.isoformat()}.")

    def _same(self, change: Change, row: dict) -> bool:
        item = self.items.get(row["item"])
        return (item is not None and change.item_id == item.pk and change.kind == row["kind"]
                and change.at == _at(row["at"]))

    def _matched_earlier(self, row: dict) -> bool:
        for change in self.unmatched:
            if self._same(change, row):
                self.unmatched.remove(change)
                self._check(change, row, None)
                return True
        return False

    def _check(self, change: Change, row: dict, number: int | None) -> None:
        mine = (change.by_label, change.reason, change.public_note, change.public, change.revision,
                change.schedule_version, comparable(change.before), comparable(change.after))
        theirs = (row["by"], row["reason"], row["public_note"], row["public"], row["revision"],
                  row["schedule_version"], comparable(row["before"]), comparable(row["after"]))
        if mine != theirs:
            raise LoadRefused(f"Change {number or ''} ({row['kind']} of {row['item']}) replayed as {mine}, "
                              f"exported as {theirs}.")

    def _item(self, row: dict) -> Item:
        return self.items[row["item"]]

    def call(self, row: dict) -> None:
        kind, after, before = row["kind"], row["after"], row["before"]
        by, now = self.by(row["by"]), _at(row["at"])
        notes = {"reason": row["reason"], "public_note": row["public_note"]}
        # Where the service takes the public text as `reason` and the internal one apart.
        split = {"reason": row["public_note"], "internal_note": "" if row["reason"] == row["public_note"] else row["reason"]}
        if kind == "created":
            self._create(row, by, now)
            return
        # Read afresh: the previous call may have written this item as a side effect.
        item = Item.objects.get(pk=self._item(row).pk).specific()
        if kind == "edited":
            self._edit(item, row, by, now)
        elif kind == "published":
            # Replayed as it was written; a publication from before the citation rule keeps its place.
            services.item_publish(item=item, by=by, now=now, **notes,
                                  uncited_reason=after.get("uncited_reason") or "Replayed from an export.")
        elif kind == "retracted":
            services.item_retract(item=item, by=by, now=now, **split)
        elif kind == "confirmed":
            services.milestone_confirm(milestone=item, by=by, now=now, **notes)
        elif kind == "postponed":
            services.milestone_postpone(milestone=item, by=by, now=now, when=self.value("when", after["when"]), **notes)
        elif kind == "happened":
            services.milestone_mark_happened(milestone=item, by=by, now=now, **notes,
                                             event=self.value("happened_event", after["happened_event"]))
        elif kind == "cancelled":
            services.milestone_cancel(milestone=item, by=by, now=now, **split)
        elif kind in ("settled", "overturned"):
            settle = services.expectation_settle if kind == "settled" else services.expectation_overturn
            settle(expectation=item, by=by, now=now, status=after["status"], note=row["public_note"],
                   internal_note="" if row["reason"] == row["public_note"] else row["reason"],
                   evidence_event=self.value("evidence_event", after.get("evidence_event")),
                   evidence_citation=self.value("evidence_citation", after.get("evidence_citation")))
        elif kind == "reviewed":
            services.expectation_review(expectation=item, by=by, now=now, note=row["reason"])
        elif kind == "triggered":
            services.expectation_trigger(expectation=item, by=by, now=now, triggered_at=_at(after["triggered_at"]),
                                         trigger_event=self.value("trigger_event", after.get("trigger_event")),
                                         **notes)
        elif kind == "correction":
            fields = self._changed(item, before, after)
            fields.pop("storylines", None), fields.pop("actors", None)  # a correction never moves them
            services.item_correct(item=item, by=by, now=now, **notes, **fields)
        elif kind == "overdue_noticed":
            services.items_notice_overdue(now=now)
        else:
            raise LoadRefused(f"Unknown change kind {kind!r}.")

    def _changed(self, item: Item, before: dict, after: dict) -> dict:
        """What an edit or a correction was asked to change. Fields a status
        correction clears by itself (the happened event, a verdict) are in
        its snapshot but are not the caller's to pass."""
        settable = {*COMMON_FIELDS, *KIND_FIELDS[item.kind], "when", "storylines", "actors", "status",
                    "editorial_state"}
        return {name: self.value(name, value) for name, value in after.items()
                if before.get(name) != value and name in settable}

    def _create(self, row: dict, by, now) -> None:
        exported = self.exported[row["item"]]
        after = row["after"]
        fields = {name: self.value(name, value) for name, value in after.items() if name not in CREATED_KEYS}
        item = services.item_create(
            kind=exported["kind"], by=by, now=now, title=after["title"], when=self.value("when", after["when"]),
            as_of=datetime.fromisoformat(exported["as_of"]).date() if exported["as_of"] else None,
            storylines=self.value("storylines", after["storylines"]), actors=self.value("actors", after["actors"]),
            editorial_state=after["editorial_state"], status=after["status"], reason=row["reason"], **fields,
        )
        # The identity URLs and calendar UIDs carry; item_create would draw a new one.
        Item.objects.filter(pk=item.pk).update(public_id=row["item"])
        item.refresh_from_db()
        self.items[row["item"]] = item
        self.by_pk["item"][exported["pk"]] = item

    def _edit(self, item: Item, row: dict, by, now) -> None:
        after = row["after"]
        if "citation_added" in after:
            added = after["citation_added"]
            exported = self.citations.get(added["id"], {})
            citation = services.citation_add(item=item, source=self.sources[added["source"]], by=by, now=now,
                                             role=added["role"], attribution=added["attribution"],
                                             quote=exported.get("quote", ""))
            self.by_pk["citation"][added["id"]] = citation
            return
        if "citation_removed" in after:
            removed = after["citation_removed"]
            services.citation_remove(citation=Citation.objects.get(pk=self.by_pk["citation"][removed["id"]].pk),
                                     by=by, now=now, reason=row["reason"])
            return
        services.item_edit(item=item, by=by, now=now, reason=row["reason"], public_note=row["public_note"],
                           **self._changed(item, row["before"], after))


def storyline_load(document: dict) -> dict[str, int]:
    """Load an export; returns what was loaded. Raises LoadRefused (nothing loaded)."""
    existing = Item.objects.filter(public_id__in=[row["public_id"] for row in document.get("items", [])])
    if existing.exists():
        raise LoadRefused(f"The item {existing.first().public_id} exists already: load into a database without it.")
    replay = Replay(document)
    with transaction.atomic():
        replay.load_reference()
        replay.load_history()
    return {"items": len(replay.items), "changes": len(document["changes"])}
