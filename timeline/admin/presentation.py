"""How each lifecycle move looks and acts in the admin, keyed by move name.

Which moves a kind has, and whether an item may make one now, is the
lifecycle table's (timeline/lifecycle.py); this module only says how the
admin shows a move (its button, its past tense, its form) and which service
call it is. `transitions_for(kind)` joins the two, and fails at import for a
move of the table that has no presentation here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .. import forms as fw_forms
from .. import lifecycle, services
from ..models import Item


@dataclass(frozen=True)
class Presentation:
    label: str  # the button, the action's description
    done: str  # past tense, for messages
    form_class: type[fw_forms.TransitionForm]
    perform: Callable[..., Any]  # (item, data, *, by, now, expected_revision) -> the item after
    needs_input: bool = True  # False: the bulk action runs without a form
    moves_when: bool = False  # the message after it says where the item now stands


# -- What each move does: exactly one service call ------------------------------
# `data` is the form's cleaned data, whose names are the service's arguments;
# a When is read per item (`whens`, `actuals`), in its own zone unless the
# editor named one.

def _notes(data) -> dict:
    return {"reason": data.get("reason", ""), "public_note": data.get("public_note", "")}


def _as_of(data, when):
    typed = data.get("when")
    return typed.as_of if typed is not None and when is not None and when.is_dated else None


def _confirm(item, data, **context):
    return services.milestone_confirm(milestone=item, **_notes(data), **context)


def _postpone(item, data, **context):
    when = data["whens"][item.pk]
    return services.milestone_postpone(milestone=item, when=when, as_of=_as_of(data, when), **_notes(data), **context)


def _happened(item, data, **context):
    actual = (data.get("actuals") or {}).get(item.pk)
    return services.milestone_mark_happened(
        milestone=item, event=data.get("event"), actual=actual, as_of=_as_of(data, actual), **_notes(data), **context,
    )


def _cancel(item, data, **context):
    return services.milestone_cancel(
        milestone=item, reason=data["reason"], internal_note=data.get("internal_note", ""), **context,
    )


def _publish(item, data, **context):
    return services.item_publish(item=item, uncited_reason=data.get("uncited_reason", ""), **_notes(data), **context)


def _retract(item, data, **context):
    return services.item_retract(item=item, reason=data["reason"], internal_note=data.get("internal_note", ""),
                                 **context)


def _correct(item, data, **context):
    when = (data.get("whens") or {}).get(item.pk)
    return services.item_correct(
        item=item, status=data.get("status") or None, editorial_state=data.get("editorial_state") or None,
        when=when, as_of=_as_of(data, when), **_notes(data), **context,
    )


def _verdict(service):
    def perform(item, data, **context):
        return service(
            expectation=item, status=data["status"], note=data["note"], internal_note=data.get("internal_note", ""),
            evidence_event=data.get("evidence_event"), evidence_citation=data.get("evidence_citation"), **context,
        )
    return perform


def _review(item, data, **context):
    return services.expectation_review(expectation=item, note=data.get("note", ""), **context)


def _trigger(item, data, **context):
    return services.expectation_trigger(
        expectation=item, triggered_at=data.get("triggered_at"), trigger_event=data.get("trigger_event"),
        **_notes(data), **context,
    )


PRESENTATIONS: dict[str, Presentation] = {
    "confirm": Presentation("Confirm", "confirmed", fw_forms.NotesForm, _confirm, needs_input=False),
    "postpone": Presentation("Postpone", "postponed", fw_forms.PostponeForm, _postpone, moves_when=True),
    "happened": Presentation("Mark happened", "marked as happened", fw_forms.HappenedForm, _happened),
    "cancel": Presentation("Cancel", "cancelled", fw_forms.PublicReasonForm, _cancel),
    "settle": Presentation("Settle", "settled", fw_forms.SettleForm, _verdict(services.expectation_settle)),
    "overturn": Presentation("Overturn", "overturned", fw_forms.OverturnForm, _verdict(services.expectation_overturn)),
    "review": Presentation("Review (let the system's verdict stand)", "reviewed", fw_forms.ReviewForm, _review,
                           needs_input=False),
    "trigger": Presentation("Trigger", "triggered", fw_forms.TriggerForm, _trigger, moves_when=True),
    "publish": Presentation("Publish", "published", fw_forms.PublishForm, _publish, needs_input=False),
    "retract": Presentation("Retract", "retracted", fw_forms.PublicReasonForm, _retract),
    "correct": Presentation("Correct", "corrected", fw_forms.CorrectForm, _correct, moves_when=True),
}


@dataclass(frozen=True)
class Transition:
    """A move of the lifecycle table as the admin offers it."""

    move: lifecycle.Move
    presentation: Presentation

    @property
    def name(self) -> str:
        return self.move.name

    @property
    def explanation(self) -> str:
        return self.move.summary

    @property
    def label(self) -> str:
        return self.presentation.label

    @property
    def done(self) -> str:
        return self.presentation.done

    @property
    def form_class(self) -> type[fw_forms.TransitionForm]:
        return self.presentation.form_class

    @property
    def needs_input(self) -> bool:
        return self.presentation.needs_input

    @property
    def moves_when(self) -> bool:
        return self.presentation.moves_when

    def perform(self, item, data, **context):
        return self.presentation.perform(item, data, **context)

    def offered(self, item) -> bool:
        return lifecycle.allows(item, self.name)

    def skipped_because(self, item) -> str | None:
        """Why `item` cannot make this move now, as the end of "“X” was not
        postponed: ...", or None when it can."""
        refusal = self.move.refusal_for(item)
        if refusal is None:
            return None
        current = getattr(item, self.move.axis)
        if current in self.move.sources():
            return refusal[:1].lower() + refusal[1:].rstrip(".")  # a guard's reason
        # Already there: a move with a single destination, made before.
        targets = {to for _, to in self.move.edges}
        return standing(current, already=targets == {current})


def standing(state: str, *, already: bool = False) -> str:
    """Where an item stands, as the reason it cannot move: "it has happened"."""
    Status = Item.Status
    if state in lifecycle.VERDICTS:
        return f"it already has a verdict ({_label(state)})"
    if already:
        return "it has already happened" if state == Status.HAPPENED else f"it is already {_label(state)}"
    phrases = {
        Status.HAPPENED: "it has happened",
        Status.CANCELLED: "it was cancelled",
        Status.DORMANT: "it is dormant: its condition has not come about",
        Status.OPEN: "it has no verdict yet",
    }
    return phrases.get(state, f"it is {_label(state)}")


def _label(state: str) -> str:
    return state.replace("_", " ")


def transitions_for(kind: str) -> tuple[Transition, ...]:
    """The buttons and bulk actions of `kind`, in the lifecycle table's order."""
    missing = [move.name for move in lifecycle.moves_for(kind) if move.name not in PRESENTATIONS]
    if missing:
        raise ImproperlyConfigured(
            f"The lifecycle moves {', '.join(missing)} of {kind} have no admin presentation: "
            "add them to timeline/admin/presentation.py PRESENTATIONS."
        )
    return tuple(Transition(move, PRESENTATIONS[move.name]) for move in lifecycle.moves_for(kind))
