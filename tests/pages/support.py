"""A hand-built record for the page tests, written through the services, with
the pages' clock in mind: pages read the real clock (request_now), so every
date here is relative to the moment the test runs.

Internal notes carry INTERNAL so a test can prove none reaches a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from tests.builders import day_when, make_actor, make_event, make_expectation, make_milestone, make_storyline
from timeline import services
from timeline.models import SYSTEM, Citation, Event, Expectation, Milestone, Outlet, Source, Storyline

INTERNAL = "INTERNAL-do-not-publish"


@dataclass
class Record:
    now: datetime
    storyline: Storyline
    outlet: Outlet
    source: Source
    evidence_source: Source
    moved: Milestone  # planned, moved twice, then happened
    planned_first: object  # the When first planned
    happened_on: object  # the actual When
    by_rules: Expectation  # about `moved`: settled by the verdict rules when it happened
    met: Expectation  # met by an editor, with a citation as evidence
    reviewed: Expectation  # missed by the system, reviewed by an editor
    soon: Milestone  # opens in a few days
    retracted: Event
    draft: Event
    proposal: Milestone
    evidence: Citation


def build_record(editor) -> Record:
    now = timezone.now()
    storyline = make_storyline("Harbour reopening", slug="harbour")
    holder = make_actor("Port Authority", slug="port-authority", kind="organisation", aliases=["PA", "the harbour board"])
    outlet = services.outlet_create(name="Coast Herald", slug="coast-herald", url="https://herald.example.org")
    source = services.source_create(outlet=outlet, title="The harbour will reopen in spring",
                                    url="https://herald.example.org/harbour", published_at=now - timedelta(days=90))
    wire = services.outlet_create(name="Wire Service", slug="wire")
    evidence_source = services.source_create(outlet=wire, title="Harbour reopens to ships",
                                             url="https://wire.example.org/harbour-open",
                                             published_at=now - timedelta(days=9))
    past = now - timedelta(days=400)

    planned_first = day_when((now - timedelta(days=60)).date())
    moved = make_milestone(now=past, when=planned_first, title="The harbour reopens", storylines=[storyline],
                           actors=[holder])
    services.citation_add(item=moved, source=source, by=SYSTEM, now=past, role="sets_date",
                          quote="the harbour will reopen")
    services.milestone_postpone(milestone=moved, by=editor, now=past, when=day_when((now - timedelta(days=40)).date()),
                                reason=f"{INTERNAL}: the works ran late", public_note="Repairs to the quay ran late.")
    services.milestone_postpone(milestone=moved, by=editor, now=past, when=day_when((now - timedelta(days=20)).date()),
                                reason=f"{INTERNAL}: the dredger broke", public_note="Dredging took longer.")
    happened_on = day_when((now - timedelta(days=10)).date())

    by_rules = make_expectation(now=past, when=day_when((now - timedelta(days=5)).date()),
                                title="The harbour reopens within weeks", storylines=[storyline], actors=[holder],
                                holder=holder, target_kind="by", about_milestone=moved)
    services.citation_add(item=by_rules, source=source, by=SYSTEM, now=past, quote="within weeks")
    met = make_expectation(now=past, when=day_when((now - timedelta(days=5)).date()),
                           title="Fishing boats return before the deadline", storylines=[storyline], actors=[holder],
                           holder=holder, target_kind="by")
    services.citation_add(item=met, source=source, by=SYSTEM, now=past, quote="the boats will be back")
    evidence = services.citation_add(item=met, source=evidence_source, by=SYSTEM, now=past, role="evidence")

    # The milestone happens: the verdict rules settle by_rules (decided by the system, the event as evidence).
    services.milestone_mark_happened(milestone=moved, by=editor, now=now - timedelta(days=9), actual=happened_on,
                                     reason=f"{INTERNAL}: checked with the port", public_note="Ships are back.")
    services.expectation_settle(expectation=met, by=editor, now=now - timedelta(days=8), status="met",
                                note="The boats were back before the deadline.", evidence_citation=evidence,
                                internal_note=f"{INTERNAL}: call the port to confirm")

    reviewed = make_expectation(now=past, when=day_when((now - timedelta(days=100)).date()),
                                title="Ferries run again", storylines=[storyline], holder=holder, actors=[holder])
    services.citation_add(item=reviewed, source=source, by=SYSTEM, now=past, attribution="two port officials",
                          quote="ferries will run")
    services.sweep_overdue(now=now - timedelta(days=50))
    reviewed.refresh_from_db()
    services.expectation_review(expectation=reviewed, by=editor, now=now - timedelta(days=45),
                                note=f"{INTERNAL}: agreed, no ferries")

    soon = make_milestone(now=past, when=day_when((now + timedelta(days=5)).date()), title="Cruise terminal opens",
                          storylines=[storyline])
    retracted = make_event(now=past, when=day_when((now - timedelta(days=30)).date()), title="Harbour master resigns",
                           storylines=[storyline])
    services.item_retract(item=retracted, by=editor, now=now - timedelta(days=29),
                          reason="The report was wrong: he did not resign.",
                          internal_note=f"{INTERNAL}: source misheard")
    draft = make_event(now=past, when=day_when((now - timedelta(days=3)).date()), title="Secret draft event",
                       storylines=[storyline], actors=[holder], published=False)
    proposal = services.item_create(kind="milestone", by=SYSTEM, now=past, when=day_when((now + timedelta(days=3)).date()),
                                    title="Proposed milestone nobody reviewed", storylines=[storyline],
                                    editorial_state="proposed")
    for item in (by_rules, met, moved):
        item.refresh_from_db()
    return Record(now=now, storyline=storyline, outlet=outlet, source=source, evidence_source=evidence_source,
                  moved=moved, planned_first=planned_first, happened_on=happened_on, by_rules=by_rules, met=met, reviewed=reviewed,
                  soon=soon, retracted=retracted, draft=draft, proposal=proposal, evidence=evidence)
