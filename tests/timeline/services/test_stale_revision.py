"""A write against a revision that is no longer current stops with StaleRevision
and writes nothing: no change row, no field changed, no side effect."""

from datetime import date

import pytest

from tests.builders import day_when, make_expectation
from timeline import services
from timeline.exceptions import StaleRevision
from timeline.models import Change, Citation, Event, Item

from .helpers import month_when, reload

pytestmark = pytest.mark.django_db


def row_state(item):
    """Everything a transition could change, for before/after comparison."""
    fresh = reload(item)
    return {f.attname: getattr(fresh, f.attname) for f in type(fresh)._meta.concrete_fields}


# The milestone fixture is published already: publishing has its own test below.
MILESTONE_CALLS = {
    "edit": lambda m, by, now, **kw: services.item_edit(item=m, by=by, now=now, title="New", **kw),
    "retract": lambda m, by, now, **kw: services.item_retract(item=m, by=by, now=now, reason="r", **kw),
    "correct": lambda m, by, now, **kw: services.item_correct(item=m, by=by, now=now, reason="r", title="T", **kw),
    "confirm": lambda m, by, now, **kw: services.milestone_confirm(milestone=m, by=by, now=now, **kw),
    "postpone": lambda m, by, now, **kw: services.milestone_postpone(milestone=m, by=by, now=now,
                                                                     when=month_when(2027, 2), **kw),
    "happened": lambda m, by, now, **kw: services.milestone_mark_happened(milestone=m, by=by, now=now,
                                                                          actual=day_when(date(2026, 12, 28)), **kw),
    "cancel": lambda m, by, now, **kw: services.milestone_cancel(milestone=m, by=by, now=now, reason="r", **kw),
}


@pytest.mark.parametrize("action", sorted(MILESTONE_CALLS))
def test_an_expected_revision_that_is_not_current_is_refused(milestone, editor, later, action):
    services.item_edit(item=milestone, by=editor, now=later, summary="Someone else's edit.")  # revision 2
    before, changes, events = row_state(milestone), Change.objects.count(), Event.objects.count()

    with pytest.raises(StaleRevision) as excinfo:
        MILESTONE_CALLS[action](milestone, editor, later, expected_revision=1)

    assert (excinfo.value.expected, excinfo.value.current) == (1, 2)
    assert excinfo.value.http_status == 412
    assert row_state(milestone) == before
    assert Change.objects.count() == changes
    assert Event.objects.count() == events


@pytest.mark.parametrize("action", sorted(MILESTONE_CALLS))
def test_a_copy_read_before_someone_elses_write_is_refused(milestone, editor, later, action):
    """No expected_revision given: the copy's own revision is the guard, and the
    conditional UPDATE finds no row."""
    stale_copy = reload(milestone)
    services.item_edit(item=reload(milestone), by=editor, now=later, summary="Someone else's edit.")
    before, changes, events = row_state(milestone), Change.objects.count(), Event.objects.count()

    with pytest.raises(StaleRevision) as excinfo:
        MILESTONE_CALLS[action](stale_copy, editor, later)

    assert (excinfo.value.expected, excinfo.value.current) == (1, 2)
    assert row_state(milestone) == before
    assert Change.objects.count() == changes
    assert Event.objects.count() == events, "the event of a refused 'happened' is rolled back"


def test_the_expectations_of_a_refused_cancel_are_not_settled(milestone, editor, now, later):
    expectation = make_expectation(now=now, when=milestone.when, about_milestone=milestone)
    stale_copy = reload(milestone)
    services.item_edit(item=reload(milestone), by=editor, now=later, summary="Edit.")

    with pytest.raises(StaleRevision):
        services.milestone_cancel(milestone=stale_copy, by=editor, now=later, reason="r")
    assert reload(expectation).status == "open"


def test_a_refused_publish_writes_nothing(now, editor, later):
    draft = make_expectation(now=now, when=month_when(2027, 1), published=False)
    with pytest.raises(StaleRevision):
        services.item_publish(item=draft, by=editor, now=later, expected_revision=7)
    assert reload(draft).editorial_state == "draft"
    assert Change.objects.filter(item_id=draft.pk).count() == 1


@pytest.mark.parametrize("action", ["settle", "trigger", "overturn"])
def test_expectation_transitions_are_guarded_too(now, editor, later, action):
    conditional = action == "trigger"
    expectation = make_expectation(now=now, when=month_when(2027, 1),
                                   **({"expectation_type": "conditional", "condition": "If X"} if conditional else {}))
    if action == "overturn":
        services.expectation_settle(expectation=expectation, by=editor, now=now, status="missed", note="No.")
    stale_copy = reload(expectation)
    services.item_edit(item=reload(expectation), by=editor, now=later, summary="Edit.")
    before, changes = row_state(expectation), Change.objects.count()

    with pytest.raises(StaleRevision):
        if action == "settle":
            services.expectation_settle(expectation=stale_copy, by=editor, now=later, status="void", note="n")
        elif action == "trigger":
            services.expectation_trigger(expectation=stale_copy, by=editor, now=later)
        else:
            services.expectation_overturn(expectation=stale_copy, by=editor, now=later, status="void", note="n")

    assert row_state(expectation) == before
    assert Change.objects.count() == changes


def test_a_refused_citation_is_not_saved(milestone, editor, later):
    outlet = services.outlet_create(name="Axios")
    source = services.source_create(outlet=outlet, title="t", url="https://example.org/a", published_at=later)
    with pytest.raises(StaleRevision):
        services.citation_add(item=milestone, source=source, by=editor, now=later, expected_revision=5)
    assert not Citation.objects.exists()
    assert Item.objects.get(pk=milestone.pk).revision == 1
