"""Each derived state is one queryset condition and one method of `now`, and
the two agree: for every combination of kind, status, editorial state,
window position and verdict facts, an item is in `Item.objects.<state>(...)`
exactly when `item.<state>(now)` says so.

Rows are written straight to the tables here (not through the services): the
point is to reach every combination, including ones the services would never
produce, so that a disagreement cannot hide in a corner no workflow visits.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from timeline import lifecycle
from timeline.models import Event, Expectation, Item, Milestone

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
WITHIN = timedelta(days=7)
MODELS = {Item.Kind.EVENT: Event, Item.Kind.MILESTONE: Milestone, Item.Kind.EXPECTATION: Expectation}

# (start, end) relative to NOW, covering each edge of each condition: the
# half-open window, the upcoming horizon on both sides, undated.
WINDOWS = {
    "undated": None,
    "long past": (-timedelta(days=60), -timedelta(days=30)),
    "ended exactly now": (-timedelta(days=1), timedelta(0)),
    "running": (-timedelta(days=1), timedelta(days=1)),
    "opens now": (timedelta(0), timedelta(days=1)),
    "opens inside horizon": (timedelta(days=3), timedelta(days=4)),
    "opens at horizon": (WITHIN, WITHIN + timedelta(days=1)),
    "ends at horizon": (-timedelta(days=1), WITHIN),
    "far future": (timedelta(days=60), timedelta(days=90)),
}
# Verdict facts an expectation may hold, whatever its status.
VERDICT_FACTS = {
    "none": {},
    "system, unreviewed": {"decided_by": "system"},
    "system, reviewed": {"decided_by": "system", "verdict_reviewed_at": NOW - timedelta(days=1)},
    "editor": {"decided_by": "editor"},
    "left for an editor": {"decided_by": "editor", "undecided_reason": "The rules disagree."},
}


def _combinations():
    for kind, lifecycle_of_kind in lifecycle.LIFECYCLES.items():
        facts = VERDICT_FACTS if kind == Item.Kind.EXPECTATION else {"none": {}}
        for status, state, window, fact in itertools.product(
            lifecycle_of_kind.statuses, lifecycle.EditorialState.values, WINDOWS, facts
        ):
            yield kind, status, state, window, fact


@pytest.fixture
def every_item(db):
    """One row per combination, with its label."""
    labels = {}
    for number, (kind, status, state, window, fact) in enumerate(_combinations()):
        span = WINDOWS[window]
        when = (
            {"when_start": NOW + span[0], "when_end": NOW + span[1], "when_precision": "day", "sort_key": NOW + span[0]}
            if span else {}
        )
        item = MODELS[kind].objects.create(
            kind=kind, status=status, editorial_state=state, title=f"item {number}",
            created_at=NOW, updated_at=NOW, **when, **VERDICT_FACTS[fact],
        )
        labels[item.pk] = f"{kind} {status} {state} {window} verdict:{fact}"
    return labels


STATES = {
    "public": (lambda qs: qs.public(), lambda item: item.is_published),
    "overdue": (lambda qs: qs.overdue(NOW), lambda item: item.is_overdue(NOW)),
    "upcoming": (lambda qs: qs.upcoming(NOW, WITHIN), lambda item: item.is_upcoming(NOW, WITHIN)),
    "needs a verdict": (lambda qs: qs.needs_verdict(NOW), lambda item: item.needs_verdict(NOW)),
}


@pytest.mark.parametrize("state", STATES)
def test_the_queryset_and_the_method_agree(every_item, state):
    in_queryset, method = STATES[state]
    selected = set(in_queryset(Item.objects.all()).values_list("pk", flat=True))
    disagreements = [
        f"{every_item[item.pk]}: queryset {'has' if item.pk in selected else 'lacks'} it, method says {method(item)}"
        for item in Item.objects.select_related("expectation")
        if (item.pk in selected) != method(item)
    ]
    assert not disagreements, "\n".join(disagreements[:20])
    # Each state is neither everything nor nothing: the combinations reach both sides.
    assert 0 < len(selected) < len(every_item)


@pytest.mark.parametrize("model", [Event, Milestone, Expectation], ids=lambda m: m.__name__)
@pytest.mark.parametrize("state", STATES)
def test_the_child_models_answer_the_same(every_item, model, state):
    """Milestone.objects, Expectation.objects and their rows (not only Item) agree too."""
    in_queryset, method = STATES[state]
    selected = set(in_queryset(model.objects.all()).values_list("pk", flat=True))
    assert selected == {row.pk for row in model.objects.all() if method(row)}


def test_a_retracted_item_is_never_overdue_nor_owed_a_verdict(every_item):
    retracted = Item.objects.filter(editorial_state=Item.EditorialState.RETRACTED)
    assert not retracted.overdue(NOW).exists()
    assert not retracted.needs_verdict(NOW).exists()
    assert not retracted.upcoming(NOW, WITHIN).exists()


def test_the_partial_indexes_cover_exactly_the_open_statuses():
    """The indexes the sweeps poll through are built from the lifecycle table."""
    conditions = {index.name: index.condition for index in Item._meta.indexes if index.condition is not None}
    for name in ("item_open_by_start", "item_open_by_end", "item_overdue_unnoticed"):
        assert ("status__in", list(lifecycle.OPEN_STATUSES)) in conditions[name].children
    assert set(lifecycle.OPEN_STATUSES) == {"scheduled", "confirmed", "open"}
