"""A record with every shape of item the output serializers render: each
kind and status, every reference an item can make (to a visible item and to
a draft one), verdicts by an editor and by the system, with and without
evidence, durations, a probability, an anonymous holder, undated and
postponed milestones, drafts and a retraction.

Written through the services only, at fixed instants around `clock`, so two
readers of it see the same rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from tests.builders import day_when, make_actor, make_event, make_expectation, make_milestone, make_storyline
from timeline import services
from timeline.models import SYSTEM, Storyline
from timeline.when import When


def build_varied_record(clock: datetime, *, editor, slug: str = "varied") -> Storyline:
    storyline = make_storyline("Varied", slug=slug)
    other = make_storyline("Other", slug=f"{slug}-other")
    lines = [storyline, other]
    actor = make_actor("Varied actor", slug=f"{slug}-actor")
    outlet = services.outlet_create(name=f"{slug} outlet", slug=f"{slug}-outlet")

    def source(n: int):
        return services.source_create(outlet=outlet, title=f"{slug} article {n}",
                                      url=f"https://example.org/{slug}/{n}", published_at=clock)

    past = day_when((clock - timedelta(days=20)).date(), tz="Europe/Zurich", text="on the 20th")
    soon = day_when((clock + timedelta(days=3)).date(), tz="Asia/Tehran")
    later = day_when((clock + timedelta(days=40)).date())

    event = make_event(now=clock, when=past, storylines=lines, actors=[actor], summary="It happened.", place="Davos")
    draft_event = make_event(now=clock, when=past, storylines=lines, published=False)
    make_event(now=clock, when=When.undated("TBD"), storylines=[storyline])

    happened = make_milestone(now=clock, when=past, storylines=lines, actors=[actor])
    services.milestone_mark_happened(milestone=happened, by=SYSTEM, now=clock, event=event)
    happened_hidden = make_milestone(now=clock, when=past, storylines=[storyline])
    services.milestone_mark_happened(milestone=happened_hidden, by=SYSTEM, now=clock, event=draft_event)
    postponed = make_milestone(now=clock, when=soon, storylines=[storyline])
    services.milestone_postpone(milestone=postponed, by=editor, now=clock, when=later, reason="Moved.")
    cancelled = make_milestone(now=clock, when=soon, storylines=[storyline])
    services.milestone_cancel(milestone=cancelled, by=editor, now=clock, reason="Called off.")
    make_milestone(now=clock, when=When.undated("TBD"), storylines=[storyline])
    overdue = make_milestone(now=clock, when=past, storylines=[storyline])
    draft_milestone = make_milestone(now=clock, when=soon, storylines=[storyline], published=False)
    retracted = make_milestone(now=clock, when=soon, storylines=[storyline])
    services.item_retract(item=retracted, by=editor, now=clock, reason="Wrong.")

    about_visible = make_expectation(now=clock, when=soon, storylines=lines, holder=actor, about_milestone=overdue,
                                     probability=Decimal("0.7"), grace_period=timedelta(days=14),
                                     criteria="It happens.", expectation_type="promise", target_kind="by")
    make_expectation(now=clock, when=soon, storylines=[storyline], about_milestone=draft_milestone)
    anonymous = make_expectation(now=clock, when=later, storylines=[storyline])
    citation = services.citation_add(item=anonymous, source=source(1), by=SYSTEM, now=clock,
                                     attribution="two senior officials", quote="It will.")
    services.item_edit(item=anonymous, by=SYSTEM, now=clock, holder_citation=citation)

    met = make_expectation(now=clock, when=past, storylines=[storyline], holder=actor)
    evidence = services.citation_add(item=met, source=source(2), by=SYSTEM, now=clock)
    services.expectation_settle(expectation=met, by=editor, now=clock, status="met", note="It did.",
                                evidence_event=event, evidence_citation=evidence)
    met_hidden = make_expectation(now=clock, when=past, storylines=[storyline])
    services.expectation_settle(expectation=met_hidden, by=editor, now=clock, status="met", note="Quietly.",
                                evidence_event=draft_event)
    missed = make_expectation(now=clock, when=past, storylines=[storyline])
    services.expectation_settle(expectation=missed, by=SYSTEM, now=clock, status="missed", note="It did not.")

    dormant = make_expectation(now=clock, when=later, storylines=[storyline], expectation_type="conditional",
                               condition="If talks start.", trigger_deadline=timedelta(days=90), status="dormant")
    triggered = make_expectation(now=clock, when=later, storylines=[storyline], expectation_type="conditional",
                                 condition="If it happens.", trigger_deadline=timedelta(days=90), status="dormant")
    services.expectation_trigger(expectation=triggered, by=editor, now=clock, trigger_event=event)
    del dormant
    make_expectation(now=clock, when=past, storylines=[storyline], published=False, holder=actor)
    return storyline
