"""A record of any size in a few statements, for the query-count tests.

Writing 1,000 items through the services takes minutes; these tests only need
rows shaped like the services' (every relation a page reads: storylines,
actors, citations with source and outlet, a holder and its citation, the
milestone an expectation is about, evidence, a happened event, postponements
in the change log), so they are inserted in bulk. Django refuses bulk_create
for multi-table children; their own rows go in through QuerySet._insert, the
statement bulk_create itself issues, with the child's local columns only.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from tests.builders import day_when
from timeline.models import (
    SYSTEM, Actor, Change, Citation, Event, Expectation, Item, Milestone, Outlet, Source, Storyline,
)
from timeline.services._core import when_columns

S = Item.Status
# Expectations cycle through every state a scoreboard shows.
EXPECTATION_STATES = [
    (S.OPEN, +30), (S.OPEN, -3), (S.MET, -40), (S.MET_LATE, -50), (S.MISSED, -60), (S.PARTLY_MET, -70),
    (S.VOID, -80), (S.DORMANT, +200),
]


class BulkWorld:
    def __init__(self):
        self.now = timezone.now()
        self.storyline = Storyline.objects.create(slug="bulk", name="Bulk storyline")
        self.other = Storyline.objects.create(slug="other", name="Another storyline")
        self.actor = Actor.objects.create(slug="bulk-actor", name="Bulk Actor", aliases=["Bulky"])
        self.outlet = Outlet.objects.create(slug="bulk-outlet", name="Bulk Outlet")
        self.sources = itertools.count()
        self.made = 0
        self.milestone: Milestone | None = None  # the one every expectation is about
        self.expectation: Expectation | None = None
        self.event: Event | None = None  # shows every happened milestone, so its page lists them all

    def deadline_year(self, status: str) -> int:
        """The year of the deadline of the expectations in `status`."""
        days = dict(EXPECTATION_STATES)[status]
        return (self.now + timedelta(days=days)).year

    def grow_to(self, n: int) -> None:
        """Add items until there are `n`: a quarter events, a quarter
        milestones, half expectations."""
        todo = n - self.made
        if todo <= 0:
            return
        events = self._items(Item.Kind.EVENT, todo // 4, lambda i: (S.RECORDED, -100 - i))
        milestones = self._items(Item.Kind.MILESTONE, todo // 4, lambda i: (S.HAPPENED if i % 2 else S.SCHEDULED,
                                                                            (-20 if i % 2 else 10) - i))
        expectations = self._items(Item.Kind.EXPECTATION, todo - len(events) - len(milestones),
                                   lambda i: EXPECTATION_STATES[i % len(EXPECTATION_STATES)])
        Event.objects._insert([Event(item_ptr_id=i.pk) for i in events], fields=Event._meta.local_concrete_fields)
        if self.event is None:
            self.event = Event.objects.get(pk=events[0].pk)
        Milestone.objects._insert(
            [Milestone(item_ptr_id=m.pk, postponed_count=2 if k % 2 == 0 else 0,
                       happened_event_id=self.event.pk if m.status == S.HAPPENED else None)
             for k, m in enumerate(milestones)],
            fields=Milestone._meta.local_concrete_fields,
        )
        if self.milestone is None:
            self.milestone = Milestone.objects.get(pk=next(m.pk for m in milestones if m.status == S.SCHEDULED))
        citations = self._citations(expectations + milestones)
        claim_of = {c.item_id: c for c in citations}
        Expectation.objects._insert([self._expectation(e, k, claim_of[e.pk], events) for k, e in enumerate(expectations)],
                                    fields=Expectation._meta.local_concrete_fields)
        if self.expectation is None:
            self.expectation = Expectation.objects.get(pk=expectations[0].pk)
        self._postponements([m for k, m in enumerate(milestones) if k % 2 == 0])
        self.made = Item.objects.count()

    def _items(self, kind: str, count: int, state_and_offset) -> list[Item]:
        rows = []
        for i in range(count):
            status, days = state_and_offset(i)
            when = day_when((self.now + timedelta(days=days)).date())
            rows.append(Item(kind=kind, title=f"{kind} {self.made + len(rows)}", status=status,
                             editorial_state=Item.EditorialState.PUBLISHED, created_at=self.now, updated_at=self.now,
                             **when_columns(when)))
        rows = Item.objects.bulk_create(rows)
        Item.storylines.through.objects.bulk_create(
            [Item.storylines.through(item_id=i.pk, storyline_id=self.storyline.pk) for i in rows]
            + [Item.storylines.through(item_id=i.pk, storyline_id=self.other.pk) for i in rows[::3]])
        Item.actors.through.objects.bulk_create([Item.actors.through(item_id=i.pk, actor_id=self.actor.pk) for i in rows])
        Change.objects.bulk_create([
            Change(item_id=i.pk, kind=Change.Kind.CREATED, by_label=SYSTEM, at=self.now, revision=1,
                   schedule_version=1, public=True, reason="INTERNAL bulk", public_note="Recorded in bulk.")
            for i in rows])
        return rows

    def _citations(self, items: list[Item]) -> list[Citation]:
        source = Source.objects.create(outlet=self.outlet, title=f"Bulk article {next(self.sources)}",
                                       url=f"https://bulk.example.org/{next(self.sources)}", published_at=self.now)
        return Citation.objects.bulk_create([
            Citation(item_id=i.pk, source=source, role=Citation.Role.REPORTS_CLAIM, attribution="an official",
                     quote="it will happen") for i in items])

    def _expectation(self, item: Item, n: int, claim: Citation, events: list[Item]) -> Expectation:
        decided = item.status in (S.MET, S.MET_LATE, S.MISSED, S.PARTLY_MET, S.VOID)
        return Expectation(
            item_ptr_id=item.pk, holder_id=self.actor.pk if n % 2 else None, holder_citation_id=claim.pk,
            about_milestone_id=self.milestone.pk, target_kind="by" if n % 3 == 0 else "during",
            expectation_type="conditional" if item.status == S.DORMANT else "forecast",
            condition="if it rains" if item.status == S.DORMANT else "",
            decided_by=("system" if item.status == S.MISSED else "editor") if decided else "",
            decided_at=self.now if decided else None, verdict_note="Because." if decided else "",
            evidence_event_id=events[n % len(events)].pk if item.status == S.MET else None,
            evidence_citation_id=claim.pk if item.status == S.MET_LATE else None,
        )

    def _postponements(self, milestones: list[Item]) -> None:
        first = day_when((self.now - timedelta(days=400)).date()).as_dict()
        Change.objects.bulk_create([
            Change(item_id=m.pk, kind=Change.Kind.POSTPONED, by_label="editor", at=self.now, revision=2,
                   schedule_version=2, public=True, before={"when": first}, after={"when": first},
                   reason="INTERNAL moved", public_note="Moved in bulk.")
            for m in milestones for _ in range(2)])
