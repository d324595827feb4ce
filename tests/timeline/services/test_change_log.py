"""The change log: one row per transition, with who, when, kind, before, after
and reason; `public` only for news; `schedule_version` only for moves of the
When, the lifecycle status or the editorial state; `revision` on every write.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

import pytest

from tests.builders import day_when, make_event, make_expectation, make_milestone
from timeline import services
from timeline.models import Change, Item
from timeline.selectors import change_history
from timeline.when import When

from .helpers import changes_of, month_when, reload

pytestmark = pytest.mark.django_db


@dataclass
class Transition:
    kind: str  # the change row it writes
    moves_schedule: bool
    make: Callable  # (now, editor, published) -> item, ready for the transition
    run: Callable  # (item, editor, now) -> None
    reason: str = ""

    def __str__(self):
        return self.kind


def future_milestone(now, editor, published):
    return make_milestone(now=now, when=day_when(date(2026, 12, 28)), published=published)


def open_expectation(now, editor, published):
    return make_expectation(now=now, when=month_when(2027, 1), published=published)


def dormant_conditional(now, editor, published):
    return make_expectation(now=now, when=When.undated(), published=published, expectation_type="conditional",
                            condition="If Iran rebuilds")


def system_missed(now, editor, published):
    expectation = make_expectation(now=now - timedelta(days=90), when=month_when(2026, 9), published=published)
    services.expectations_apply_grace(now=now)
    return reload(expectation)


def editor_missed(now, editor, published):
    expectation = open_expectation(now, editor, published)
    services.expectation_settle(expectation=expectation, by=editor, now=now, status="missed", note="No.")
    return reload(expectation)


TRANSITIONS = [
    Transition("edited", False, future_milestone,
               lambda m, by, now: services.item_edit(item=m, by=by, now=now, title="New title", reason="why")),
    Transition("edited", True, future_milestone,
               lambda m, by, now: services.item_edit(item=m, by=by, now=now, when=day_when(date(2026, 12, 29)),
                                                     reason="why")),
    Transition("confirmed", True, future_milestone,
               lambda m, by, now: services.milestone_confirm(milestone=m, by=by, now=now, reason="why")),
    Transition("postponed", True, future_milestone,
               lambda m, by, now: services.milestone_postpone(milestone=m, by=by, now=now, when=month_when(2027, 2),
                                                              reason="why")),
    Transition("happened", True, future_milestone,
               lambda m, by, now: services.milestone_mark_happened(milestone=m, by=by, now=now,
                                                                   actual=day_when(date(2026, 12, 28)), reason="why")),
    Transition("cancelled", True, future_milestone,
               lambda m, by, now: services.milestone_cancel(milestone=m, by=by, now=now, reason="why")),
    Transition("settled", True, open_expectation,
               lambda e, by, now: services.expectation_settle(expectation=e, by=by, now=now, status="missed",
                                                              note="why")),
    Transition("triggered", True, dormant_conditional,
               lambda e, by, now: services.expectation_trigger(expectation=e, by=by, now=now, reason="why")),
    Transition("overturned", True, editor_missed,
               lambda e, by, now: services.expectation_overturn(expectation=e, by=by, now=now, status="void",
                                                                note="why")),
    Transition("reviewed", False, system_missed,
               lambda e, by, now: services.expectation_review(expectation=e, by=by, now=now, note="why")),
    Transition("correction", True, future_milestone,
               lambda m, by, now: services.item_correct(item=m, by=by, now=now, status="cancelled", reason="why")),
    Transition("correction", True, future_milestone,
               lambda m, by, now: services.item_correct(item=m, by=by, now=now, when=month_when(2027, 3),
                                                        reason="why")),
    Transition("retracted", True, future_milestone,
               lambda m, by, now: services.item_retract(item=m, by=by, now=now, reason="why")),
]


@pytest.mark.parametrize("transition", TRANSITIONS, ids=[f"{t}-{i}" for i, t in enumerate(TRANSITIONS)])
def test_one_change_row_per_transition(transition, now, later, editor):
    item = transition.make(now, editor, True)
    before = reload(item)
    rows_before = set(changes_of(item).values_list("id", flat=True))

    transition.run(item, editor, later)

    new_rows = changes_of(item).exclude(id__in=rows_before)
    [change] = new_rows
    fresh = reload(item)
    assert change.kind == transition.kind
    assert (change.by_user, change.by_label, change.at) == (editor, "editor", later)
    assert change.reason == "why"
    assert change.before and change.after and change.before != change.after
    assert set(change.before) == set(change.after) - {"actual_when"}
    assert fresh.revision == before.revision + 1, "every write bumps the revision"
    expected_version = before.schedule_version + (1 if transition.moves_schedule else 0)
    assert fresh.schedule_version == expected_version
    assert (change.revision, change.schedule_version) == (fresh.revision, fresh.schedule_version)
    assert fresh.updated_at == later
    assert change.public is True, "anything about a published item is news"


@pytest.mark.parametrize("transition", TRANSITIONS, ids=[f"{t}-{i}" for i, t in enumerate(TRANSITIONS)])
def test_nothing_about_a_draft_is_public(transition, now, later, editor):
    item = transition.make(now, editor, False)
    transition.run(item, editor, later)
    assert not Change.objects.filter(public=True).exists()


def test_publication_is_news_and_moves_the_schedule(now, later, editor):
    draft = future_milestone(now, editor, False)
    services.item_publish(item=draft, by=editor, now=later, reason="why", uncited_reason="No source yet.")
    change = changes_of(draft, "published").get()
    assert change.public is True
    assert reload(draft).schedule_version == 2


def test_the_overdue_notice_is_for_editors_only(now):
    milestone = make_milestone(now=now, when=day_when(date(2026, 10, 1)))
    services.items_notice_overdue(now=now)
    change = changes_of(milestone, "overdue_noticed").get()
    assert change.public is False
    assert reload(milestone).schedule_version == 1


def test_a_citation_is_an_edit_of_its_item(now, later, editor):
    event = make_event(now=now, when=month_when(2025, 6))
    outlet = services.outlet_create(name="Axios")
    source = services.source_create(outlet=outlet, title="t", url="https://example.org/a", published_at=now)

    citation = services.citation_add(item=Item.objects.get(pk=event.pk), source=source, by=editor, now=later,
                                     attribution="a U.S. official", quote="  round two  ")
    again = services.citation_add(item=event, source=source, by=editor, now=later, attribution="a U.S. official")

    assert again == citation, "adding the same citation twice is a retry"
    assert citation.quote == "round two"
    [change] = changes_of(event, "edited")
    assert change.after["citation_added"] == {"id": citation.pk, "source": "https://example.org/a",
                                              "role": "reports_claim", "attribution": "a U.S. official"}
    assert reload(event).schedule_version == 1

    services.citation_remove(citation=citation, by=editor, now=later, reason="Wrong source.")
    assert changes_of(event, "edited").count() == 2
    assert not event.citations.exists()


def test_the_history_reads_in_order(now, later, editor):
    milestone = future_milestone(now, editor, True)
    services.milestone_confirm(milestone=milestone, by=editor, now=later)
    services.milestone_postpone(milestone=milestone, by=editor, now=later + timedelta(days=1), when=month_when(2027, 2))

    assert [(c.kind, c.revision, c.schedule_version) for c in change_history(milestone)] == [
        ("created", 1, 1), ("confirmed", 2, 2), ("postponed", 3, 3),
    ]
