"""Storyline and actor writes leave a history: who, when, the fields before and
after, and why, in the same transaction as the write. A storyline's grace
period decides the system's verdicts, so a change of it must be on record.
An edit that changes nothing leaves no row; a refused one leaves none either."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from core.errors import InvalidInput
from tests.builders import make_actor, make_storyline
from timeline import services
from timeline.models import SYSTEM, Change, ReferenceChange, Storyline

pytestmark = pytest.mark.django_db


def history(subject):
    return list(subject.history.values("kind", "by_label", "by_user", "at", "before", "after", "reason"))


def test_creating_a_storyline_records_who_when_and_what_it_started_with(editor, now):
    storyline = services.storyline_create(by=editor, now=now, name="Gaza ceasefire", grace_period=timedelta(days=7),
                                          reason="New desk.")

    assert history(storyline) == [{
        "kind": "created", "by_label": "editor", "by_user": editor.pk, "at": now, "before": {},
        "after": {"slug": "gaza-ceasefire", "name": "Gaza ceasefire", "description": "", "grace_period": 7 * 86400},
        "reason": "New desk.",
    }]


def test_a_new_grace_period_is_recorded_with_the_old_one(editor, now):
    storyline = make_storyline("Gaza", slug="gaza", grace_period=timedelta(days=7))
    later = now + timedelta(days=3)

    services.storyline_update(storyline=storyline, by=editor, now=later, grace_period=timedelta(days=14),
                              name="Gaza", reason="Talks run long.")

    [created, edited] = history(storyline)
    assert created["by_label"] == SYSTEM and created["by_user"] is None
    # Only what moved: the name was given again, unchanged.
    assert edited == {
        "kind": "edited", "by_label": "editor", "by_user": editor.pk, "at": later,
        "before": {"grace_period": 7 * 86400}, "after": {"grace_period": 14 * 86400}, "reason": "Talks run long.",
    }
    assert Storyline.objects.get(pk=storyline.pk).grace_period == timedelta(days=14)
    assert storyline.grace_period == timedelta(days=14)  # the caller's copy is the row


def test_clearing_a_grace_period_is_recorded_as_none(editor, now):
    storyline = make_storyline(grace_period=timedelta(days=7))

    services.storyline_update(storyline=storyline, by=editor, now=now, grace_period=None)

    edited = storyline.history.get(kind="edited")
    assert (edited.before, edited.after) == ({"grace_period": 7 * 86400}, {"grace_period": None})


def test_an_edit_that_changes_nothing_writes_no_history(editor, now):
    storyline = make_storyline("Gaza", slug="gaza", description="Talks.")
    actor = make_actor("Hamas", slug="hamas", aliases=["Harakat al-Muqawama"])

    services.storyline_update(storyline=storyline, by=editor, now=now, name="Gaza", description="Talks.")
    services.storyline_update(storyline=storyline, by=editor, now=now)
    # Aliases are cleaned first: the same names, spaced differently, are no change.
    services.actor_update(actor=actor, by=editor, now=now, aliases=[" Harakat al-Muqawama "])

    assert [c["kind"] for c in history(storyline)] == ["created"]
    assert [c["kind"] for c in history(actor)] == ["created"]


def test_an_actor_edit_is_recorded_on_the_actor(editor, now):
    actor = make_actor("IRGC", slug="irgc", kind="organisation", aliases=["IRGC"])

    services.actor_update(actor=actor, by=editor, now=now, aliases=["IRGC", "Sepah"], name="Revolutionary Guards")

    edited = actor.history.get(kind="edited")
    assert edited.before == {"aliases": ["IRGC"], "name": "IRGC"}
    assert edited.after == {"aliases": ["IRGC", "Sepah"], "name": "Revolutionary Guards"}
    assert (edited.storyline, edited.actor) == (None, actor)


def test_the_before_is_the_row_as_stored_not_the_callers_copy(editor, now):
    storyline = make_storyline("Gaza", slug="gaza")
    stale = Storyline.objects.get(pk=storyline.pk)
    services.storyline_update(storyline=storyline, by=editor, now=now, name="Gaza ceasefire")

    services.storyline_update(storyline=stale, by=SYSTEM, now=now, description="Phase two.")

    last = storyline.history.order_by("-id").first()
    assert (last.before, last.after) == ({"description": ""}, {"description": "Phase two."})
    fresh = Storyline.objects.get(pk=storyline.pk)
    assert (fresh.name, fresh.description) == ("Gaza ceasefire", "Phase two."), "the stale copy undid nothing"
    assert stale.name == "Gaza ceasefire"


def test_a_refused_edit_writes_no_history(editor, now):
    make_storyline("Iran", slug="iran")
    other = make_storyline("Other", slug="other")

    with pytest.raises(InvalidInput):
        services.storyline_update(storyline=other, by=editor, now=now, slug="iran")
    with pytest.raises(InvalidInput):
        services.storyline_update(storyline=other, by="someone", now=now, name="Other name")
    with pytest.raises(InvalidInput):
        services.storyline_update(storyline=other, by=editor, now=now.replace(tzinfo=None), name="Other name")

    assert [c["kind"] for c in history(other)] == ["created"]
    assert Storyline.objects.get(pk=other.pk).name == "Other"


def test_every_write_names_who_and_when():
    with pytest.raises(TypeError):
        services.storyline_create(name="Anonymous")  # no `by`, no `now`


def test_the_history_is_not_the_items_change_log(editor, now):
    storyline = make_storyline()
    services.storyline_update(storyline=storyline, by=editor, now=now, grace_period=timedelta(days=30))

    assert Change.objects.count() == 0, "watch reads Change as news; reference edits are not news"
    assert ReferenceChange.objects.count() == 2


def test_a_history_row_names_exactly_one_subject(now):
    storyline, actor = make_storyline(), make_actor()

    for subject in ({"storyline": storyline, "actor": actor}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReferenceChange.objects.create(kind="edited", by_label=SYSTEM, at=now, **subject)
