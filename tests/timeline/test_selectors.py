"""The reads behind `due`, the API's /due/ and the pages: upcoming, overdue,
needs a verdict, and who sees what."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.builders import day_when, make_expectation, make_milestone, make_storyline, window_when
from timeline import selectors, services
from timeline.models import Item
from timeline.when import When

pytestmark = pytest.mark.django_db

WEEK = timedelta(days=7)


def titles(qs):
    return [item.title for item in qs]


def test_upcoming_is_what_opens_or_falls_due_within_the_horizon(now):
    make_milestone(now=now, when=day_when(date(2026, 11, 28)), title="opens in 3 days")
    make_milestone(now=now, when=day_when(date(2026, 12, 3)), title="opens after the horizon")
    make_expectation(now=now, when=window_when(now - timedelta(days=30), now + timedelta(days=5)), target_kind="by",
                     title="deadline in 5 days")
    make_expectation(now=now, when=window_when(now - timedelta(days=30), now + timedelta(days=60)),
                     title="open window, far end")
    make_milestone(now=now, when=When.undated(), title="undated")
    happened = make_milestone(now=now, when=day_when(date(2026, 11, 27)), title="already happened")
    services.milestone_mark_happened(milestone=happened, by="system", now=now, actual=day_when(date(2026, 11, 24)))

    upcoming = selectors.items_upcoming(now=now, within=WEEK)

    assert titles(upcoming) == ["deadline in 5 days", "opens in 3 days"]


def test_the_horizon_is_half_open_like_the_windows(now):
    at_horizon = make_milestone(now=now, when=window_when(now + WEEK, now + WEEK + timedelta(hours=1)))
    assert at_horizon not in selectors.items_upcoming(now=now, within=WEEK)
    assert at_horizon.item_ptr in selectors.items_upcoming(now=now, within=WEEK + timedelta(seconds=1))


def test_overdue_is_open_with_its_window_ended(now):
    make_milestone(now=now, when=day_when(date(2026, 11, 20)), title="ended on the 21st")
    make_expectation(now=now, when=day_when(date(2026, 11, 10)), title="ended on the 11th")
    make_milestone(now=now, when=window_when(now - timedelta(hours=1), now), title="ends exactly now")
    make_milestone(now=now, when=window_when(now - timedelta(hours=1), now + timedelta(seconds=1)), title="not yet")
    make_expectation(now=now, when=day_when(date(2026, 11, 1)), expectation_type="conditional", condition="If X",
                     title="dormant")

    assert titles(selectors.items_overdue(now=now)) == ["ended on the 11th", "ended on the 21st", "ends exactly now"]


def test_storyline_scope_by_object_or_slug(now):
    gaza, iran = make_storyline(slug="gaza"), make_storyline(slug="iran")
    make_milestone(now=now, when=day_when(date(2026, 11, 1)), storylines=[gaza, iran], title="both")
    make_milestone(now=now, when=day_when(date(2026, 11, 2)), storylines=[iran], title="iran only")

    assert titles(selectors.items_overdue(now=now, storyline=gaza)) == ["both"]
    assert titles(selectors.items_overdue(now=now, storyline="iran")) == ["both", "iran only"]
    assert titles(selectors.items_overdue(now=now, storyline="nowhere")) == []


def test_retracted_items_are_never_due(now, editor):
    milestone = make_milestone(now=now, when=day_when(date(2026, 11, 1)))
    services.item_retract(item=milestone, by=editor, now=now, reason="Wrong.")
    assert selectors.due_report(now=now, within=WEEK) == []


def test_a_system_verdict_needs_a_verdict_until_reviewed_or_overturned(now, editor):
    first = make_expectation(now=now - timedelta(days=60), when=day_when(date(2026, 10, 1)), title="first")
    second = make_expectation(now=now - timedelta(days=60), when=day_when(date(2026, 10, 2)), title="second")
    services.sweep_overdue(now=now)
    assert titles(selectors.expectations_system_unreviewed()) == ["first", "second"]

    services.expectation_review(expectation=type(first).objects.get(pk=first.pk), by=editor, now=now)
    services.expectation_overturn(expectation=type(second).objects.get(pk=second.pk), by=editor, now=now,
                                  status="void", note="The claim was withdrawn.")

    assert titles(selectors.expectations_system_unreviewed()) == []
    assert selectors.due_report(now=now, within=WEEK) == []


def test_an_editors_missed_verdict_needs_nothing(now, editor):
    expectation = make_expectation(now=now, when=day_when(date(2026, 10, 1)))
    services.expectation_settle(expectation=expectation, by=editor, now=now, status="missed", note="No.")
    assert selectors.due_report(now=now, within=WEEK) == []


def test_due_report_sections_and_reasons(now):
    coming = make_milestone(now=now, when=day_when(date(2026, 11, 28)), title="coming")
    overdue = make_milestone(now=now, when=day_when(date(2026, 11, 20)), title="overdue")

    entries = selectors.due_report(now=now, within=WEEK)

    assert [(e.item.pk, e.section) for e in entries] == [
        (coming.pk, "upcoming"), (overdue.pk, "overdue"), (overdue.pk, "needs_verdict")]
    assert entries[0].reason == "Milestone opens in 2 days."
    assert entries[1].reason == entries[2].reason == (
        "Overdue: the window ended 2026-11-21 (4 days ago) and nobody recorded that it happened or was cancelled.")


@pytest.mark.parametrize("delta, text", [
    (timedelta(days=3, hours=5), "3 days"), (timedelta(hours=30), "30 hours"), (timedelta(minutes=90), "90 minutes"),
])
def test_reasons_speak_in_the_largest_sensible_unit(now, delta, text):
    make_expectation(now=now, when=window_when(now - timedelta(days=1), now + delta), target_kind="by")
    [entry] = selectors.due_report(now=now, within=WEEK)
    assert entry.reason == f"Deadline in {text}."


def test_an_item_whose_window_has_opened_closes_soon(now):
    make_milestone(now=now, when=window_when(now - timedelta(days=1), now + timedelta(days=2)))
    [entry] = selectors.due_report(now=now, within=WEEK)
    assert entry.reason == "Window closes in 2 days."


def test_who_sees_what(now, editor, admin_user, subscriber):
    published = make_milestone(now=now, when=day_when(date(2026, 12, 1)), title="published")
    make_milestone(now=now, when=day_when(date(2026, 12, 2)), title="draft", published=False)

    assert titles(selectors.items_visible_to(AnonymousUser())) == ["published"]
    assert titles(selectors.items_visible_to(subscriber)) == ["published"]
    assert titles(selectors.items_visible_to(editor)) == ["published", "draft"]
    assert titles(selectors.items_visible_to(admin_user)) == ["published", "draft"]
    assert selectors.user_is_editor(editor) and selectors.user_is_editor(admin_user)
    assert not selectors.user_is_editor(subscriber)
    assert published.item_ptr in selectors.items_visible_to(None)


def test_a_staff_member_without_the_permission_is_no_editor(subscriber):
    subscriber.is_staff = True
    subscriber.save(update_fields=["is_staff"])
    assert not selectors.user_is_editor(subscriber)


def test_the_change_history_of_an_item(now, editor):
    milestone = make_milestone(now=now, when=day_when(date(2026, 12, 1)))
    services.milestone_confirm(milestone=milestone, by=editor, now=now + timedelta(minutes=1))
    history = list(selectors.change_history(Item.objects.get(pk=milestone.pk)))
    assert [(c.kind, c.by_label) for c in history] == [("created", "system"), ("confirmed", "editor")]
