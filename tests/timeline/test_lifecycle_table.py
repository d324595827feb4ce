"""The lifecycle table is the one statement of which moves each kind may
make: the services refuse exactly what it refuses, and every status of every
kind can be reached and left the ways the brief says."""

from datetime import date

import pytest

from tests.builders import day_when, make_expectation, make_milestone
from timeline import lifecycle, services
from timeline.exceptions import TransitionNotAllowed
from timeline.lifecycle import LIFECYCLES, MOVES, OPEN_STATUSES, VERDICTS, Kind, Status
from timeline.models import Item

pytestmark = pytest.mark.django_db


def test_every_status_of_a_kind_is_in_its_table_and_in_the_model_choices():
    for kind, table in LIFECYCLES.items():
        assert set(table.initial) <= set(table.statuses), kind
        assert set(table.open) <= set(table.statuses), kind
        assert not set(table.open) & set(table.final), kind
    assert {s for table in LIFECYCLES.values() for s in table.statuses} == set(Item.Status.values)


def test_every_move_goes_between_statuses_its_kinds_have():
    for move in MOVES:
        if move.axis != lifecycle.STATUS:
            continue
        known = {s for kind in move.kinds for s in LIFECYCLES[kind].statuses}
        assert {s for edge in move.edges for s in edge} <= known, move.name


def test_the_brief_s_milestone_moves():
    assert lifecycle.move("confirm").edges == (("scheduled", "confirmed"),)
    assert set(lifecycle.move("postpone").sources()) == {"scheduled", "confirmed"}
    assert lifecycle.move("postpone").targets("confirmed") == ("scheduled",)
    for final in ("happened", "cancelled"):
        assert not any(m.sources() and final in m.sources() for m in lifecycle.moves_for(Kind.MILESTONE)
                       if m.name != "correct"), final
    assert OPEN_STATUSES == ("scheduled", "confirmed", "open")


@pytest.mark.parametrize("status", LIFECYCLES[Kind.MILESTONE].statuses)
def test_the_milestone_services_refuse_exactly_what_the_table_refuses(status, now, editor):
    results = {}
    for name, call in {
        "confirm": lambda m: services.milestone_confirm(milestone=m, by=editor, now=now),
        "cancel": lambda m: services.milestone_cancel(milestone=m, by=editor, now=now, reason="Called off."),
        "postpone": lambda m: services.milestone_postpone(milestone=m, by=editor, now=now,
                                                          when=day_when(date(2027, 3, 1))),
    }.items():
        milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)))
        Item.objects.filter(pk=milestone.pk).update(status=status)
        milestone.refresh_from_db()
        allowed = lifecycle.allows(milestone, name)
        try:
            call(milestone)
            results[name] = True
        except TransitionNotAllowed as refusal:
            assert "allowed from" in refusal.message
            results[name] = False
        assert results[name] == allowed, (name, status)


@pytest.mark.parametrize("status", [Status.OPEN, Status.DORMANT, *VERDICTS])
def test_settle_and_overturn_follow_the_table(status, now, editor):
    expectation = make_expectation(now=now, when=day_when(date(2027, 1, 23)))
    Item.objects.filter(pk=expectation.pk).update(status=status)
    expectation.refresh_from_db()
    for name, call in {
        "settle": lambda e: services.expectation_settle(expectation=e, by=editor, now=now, status="missed",
                                                        note="It did not happen."),
        "overturn": lambda e: services.expectation_overturn(expectation=e, by=editor, now=now,
                                                            status="void" if e.status != "void" else "missed",
                                                            note="Withdrawn."),
    }.items():
        fresh = type(expectation).objects.get(pk=expectation.pk)
        to = "missed" if name == "settle" else ("void" if fresh.status != "void" else "missed")
        allowed = lifecycle.allows(fresh, name, to)
        try:
            call(fresh)
            done = True
        except TransitionNotAllowed:
            done = False
        assert done == allowed, (name, status)
        Item.objects.filter(pk=expectation.pk).update(status=status)


def test_describe_names_where_a_move_is_allowed_from():
    assert lifecycle.describe("confirm").endswith("Allowed from (status): scheduled.")
    assert "draft, proposed, retracted" in lifecycle.describe("publish")
