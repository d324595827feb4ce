"""Creating, editing, publishing, retracting and correcting items."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from .. import lifecycle
from ..exceptions import InvalidInput, StaleRevision, TransitionNotAllowed
from ..lifecycle import STATUSES_BY_KIND
from ..models import Actor, Citation, Event, Expectation, Item, Milestone, Storyline
from ..when import When
from ._core import By, apply_change, by_fields, is_public_news, record_change, require_aware, snapshot, when_columns
from .verdict_rules import resettle_after_correction

Status = Item.Status
EditorialState = Item.EditorialState

MODEL_BY_KIND = {Item.Kind.EVENT: Event, Item.Kind.MILESTONE: Milestone, Item.Kind.EXPECTATION: Expectation}

# Plain fields an editor may set on create and edit, per kind. Lifecycle
# fields (status, verdicts, trigger) change only through their transitions.
COMMON_FIELDS = ("title", "summary", "place")
KIND_FIELDS = {
    Item.Kind.EVENT: (),
    Item.Kind.MILESTONE: (),
    Item.Kind.EXPECTATION: (
        "expectation_type", "holder", "holder_citation", "criteria", "target_kind", "about_milestone",
        "probability", "grace_period", "condition", "trigger_deadline",
    ),
}


def _check_fields(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    allowed = set(COMMON_FIELDS) | set(KIND_FIELDS[kind])
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise InvalidInput(
            f"A {kind} has no editable field {', '.join(unknown)}.",
            fields={name: ["Not an editable field of this kind."] for name in unknown},
        )
    errors: dict[str, list[str]] = {}
    if "title" in fields and not (fields["title"] or "").strip():
        errors["title"] = ["A title is required."]
    # The columns are bounded; too long a value must be a field error, not a
    # database error (PostgreSQL refuses it, SQLite would store it silently).
    for name in ("title", "place"):
        limit = Item._meta.get_field(name).max_length
        if len(fields.get(name) or "") > limit:
            errors[name] = [f"At most {limit} characters."]
    if fields.get("probability") is not None:
        p = _probability(fields["probability"])
        if p is None:
            errors["probability"] = ["A probability is a number between 0 and 1."]
        else:
            fields["probability"] = p
    for name in ("grace_period", "trigger_deadline"):
        value = fields.get(name)
        if value is not None and (not isinstance(value, timedelta) or value <= timedelta(0)):
            errors[name] = ["Must be a positive duration."]
    if "target_kind" in fields and fields["target_kind"] not in Expectation.TargetKind.values:
        errors["target_kind"] = [f"One of: {', '.join(Expectation.TargetKind.values)}."]
    if "expectation_type" in fields and fields["expectation_type"] not in Expectation.ExpectationType.values:
        errors["expectation_type"] = [f"One of: {', '.join(Expectation.ExpectationType.values)}."]
    if "about_milestone" in fields and fields["about_milestone"] is not None:
        if not isinstance(fields["about_milestone"], Milestone):
            errors["about_milestone"] = ["Must be a milestone."]
    if fields.get("holder") is not None and not isinstance(fields["holder"], Actor):
        errors["holder"] = ["Must be an actor."]
    if fields.get("holder_citation") is not None and not isinstance(fields["holder_citation"], Citation):
        errors["holder_citation"] = ["Must be a citation."]
    if errors:
        raise InvalidInput("Some fields are not valid.", fields=errors)
    return fields


def _check_holder_citation(item: Item | None, fields: dict[str, Any]) -> None:
    """An anonymous holder is the attribution of a citation of this very
    expectation; a new item has none yet (cite first, then name the holder)."""
    citation = fields.get("holder_citation")
    if citation is not None and (item is None or citation.item_id != item.pk):
        raise InvalidInput(
            "The holder's citation must be one of this expectation's citations.",
            fields={"holder_citation": ["Not a citation of this expectation; add the citation first."]},
        )


def _probability(value: Any) -> Decimal | None:
    """The probability as a Decimal of at most 3 places, or None when it is no
    number in [0, 1] (text, NaN, infinity, out of range, a bool)."""
    if isinstance(value, bool):
        return None
    try:
        p = Decimal(str(value))
    except InvalidOperation:
        return None
    if not p.is_finite() or not Decimal(0) <= p <= Decimal(1):
        return None
    return p.quantize(Decimal("0.001"))


def _check_expectation(exp_fields: dict[str, Any], when: When) -> None:
    errors = {}
    conditional = exp_fields.get("expectation_type") == Expectation.ExpectationType.CONDITIONAL
    if conditional and not (exp_fields.get("condition") or "").strip():
        errors["condition"] = ["A conditional expectation names its condition."]
    if errors:
        raise InvalidInput("Some fields are not valid.", fields=errors)


def _set_relations(item: Item, storylines: Iterable[Storyline] | None, actors: Iterable[Actor] | None) -> None:
    if storylines is not None:
        item.storylines.set(list(storylines))
    if actors is not None:
        item.actors.set(list(actors))


def item_create(
    *,
    kind: str,
    by: By,
    now: datetime,
    title: str,
    when: When,
    as_of: date | None = None,
    storylines: Iterable[Storyline] = (),
    actors: Iterable[Actor] = (),
    editorial_state: str = EditorialState.DRAFT,
    status: str | None = None,
    reason: str = "",
    **fields: Any,
) -> Event | Milestone | Expectation:
    """Create an event, milestone or expectation with its first change row."""
    require_aware(now)
    if kind not in MODEL_BY_KIND:
        raise InvalidInput(f"Unknown kind {kind!r}.", fields={"kind": [f"One of: {', '.join(MODEL_BY_KIND)}."]})
    if editorial_state not in lifecycle.NEW_EDITORIAL_STATES:
        raise InvalidInput(
            "A new item is a draft, a proposal or published.",
            fields={"editorial_state": ["One of: draft, proposed, published."]},
        )
    fields = _check_fields(kind, {"title": title, **fields})
    if kind == Item.Kind.EXPECTATION:
        _check_expectation(fields, when)
        _check_holder_citation(None, fields)
    status = _initial_status(kind, status, fields)
    model = MODEL_BY_KIND[kind]
    with transaction.atomic():
        item = model.objects.create(
            kind=kind,
            status=status,
            editorial_state=editorial_state,
            created_at=now,
            updated_at=now,
            created_by=by_fields(by)["by_user"],
            **when_columns(when, as_of=as_of),
            **fields,
        )
        # A new item has no links yet, and none another transaction could
        # have made (it cannot see the item): add what is given, without
        # reading the current ones as set() does, and log the empty ones
        # without asking.
        links = {"storylines": list(storylines), "actors": list(actors)}
        for name, given in links.items():
            if given:
                getattr(item, name).add(*given)
        after = snapshot(item, ["title", "status", "editorial_state", "when"])
        for name, given in links.items():
            after.update(snapshot(item, [name]) if given else {name: []})
        after.update(snapshot(item, list(fields)))
        record_change(
            item, kind="created", by=by, now=now, before={}, after=after, reason=reason,
            public=is_public_news("", editorial_state),
        )
    return item


def _initial_status(kind: str, status: str | None, fields: dict[str, Any]) -> str:
    conditional = fields.get("expectation_type") == Expectation.ExpectationType.CONDITIONAL
    allowed = lifecycle.LIFECYCLES[kind].initial_for(conditional=conditional)
    status = status or allowed[0]
    if status not in allowed:
        raise InvalidInput(
            f"A new {kind} starts as {' or '.join(allowed)}.",
            fields={"status": [f"One of: {', '.join(allowed)}."]},
        )
    return status


def item_edit(
    *,
    item: Item,
    by: By,
    now: datetime,
    expected_revision: int | None = None,
    reason: str = "",
    public_note: str = "",
    when: When | None = None,
    as_of: date | None = None,
    storylines: Iterable[Storyline] | None = None,
    actors: Iterable[Actor] | None = None,
    **fields: Any,
):
    """Edit what an item says. A new When here is a fix of how it was read,
    not a postponement (that is milestone_postpone); it still moves the schedule.
    An edit that changes nothing writes nothing: no revision, no change row."""
    item = item.specific() if type(item) is Item else item
    if item.editorial_state == EditorialState.RETRACTED:
        raise TransitionNotAllowed(
            "A retracted item cannot be edited; correct it instead.",
            current_status=item.status, editorial_state=item.editorial_state,
        )
    if not fields and when is None and as_of is None and storylines is None and actors is None:
        # An empty edit would bump the revision (the API's ETag) and log a
        # change that changes nothing.
        raise InvalidInput("The edit changes nothing.", fields={"non_field_errors": ["Nothing to edit."]})
    split = _split_fields(item, _check_fields(item.kind, dict(fields)))
    _check_holder_citation(item, fields)
    item_fields, child_fields = split
    if when is not None:
        item_fields.update(when_columns(when, as_of=as_of if as_of is not None else item.when_as_of))
    elif as_of is not None:
        item_fields["when_as_of"] = as_of
    item_fields, child_fields = _changed_only(item, item_fields), _changed_only(item, child_fields)
    storylines = _changed_relation(item, "storylines", storylines)
    actors = _changed_relation(item, "actors", actors)
    when_moved = bool({"when_start", "when_end", "when_precision", "when_tz"} & set(item_fields))
    if when_moved:
        item_fields["overdue_noticed_at"] = None
    logged = [name for name, value in (("storylines", storylines), ("actors", actors)) if value is not None]
    if not item_fields and not child_fields and not logged:
        if expected_revision is not None and expected_revision != item.revision:
            raise StaleRevision(expected=expected_revision, current=item.revision)
        return item
    with transaction.atomic():
        before_relations = snapshot(item, logged)
        change = apply_change(
            item, kind="edited", by=by, now=now, expected_revision=expected_revision, reason=reason,
            public_note=public_note, item_fields=item_fields, child_fields=child_fields,
            schedule_change=when_moved,
        )
        if logged:
            _set_relations(item, storylines, actors)
            change.before.update(before_relations)
            change.after.update(snapshot(item, logged))
            change.save(update_fields=["before", "after"])
        if when_moved:
            item.outcomes = resettle_after_correction(item, now=now)
    return item


def _changed_only(item: Item, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields whose new value differs from what the item holds."""
    changed = {}
    for name, value in fields.items():
        field = item._meta.get_field(name)
        current = getattr(item, field.attname)
        new = value.pk if field.is_relation and value is not None else value
        if current != new:
            changed[name] = value
    return changed


def _changed_relation(item: Item, name: str, values: Iterable | None) -> list | None:
    """The new members of a many-to-many, or None when it stays as it is."""
    if values is None:
        return None
    values = list(values)
    current = set(getattr(item, name).values_list("pk", flat=True))
    return values if {v.pk for v in values} != current else None


def _split_fields(item: Item, fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    item_names = {f.name for f in Item._meta.concrete_fields}
    item_fields = {k: v for k, v in fields.items() if k in item_names}
    child_fields = {k: v for k, v in fields.items() if k not in item_names}
    return item_fields, child_fields


def item_publish(
    *, item: Item, by: By, now: datetime, expected_revision: int | None = None, reason: str = "",
    public_note: str = "", uncited_reason: str = "",
):
    """Make the item public. The record is sourced: an item with no citation
    is published only when an editor says why (`uncited_reason`), which the
    change row keeps in `after` (editors only: `after` is never sent)."""
    item = item.specific() if type(item) is Item else item
    lifecycle.require(item, "publish")
    if expected_revision is not None and expected_revision != item.revision:
        raise StaleRevision(expected=expected_revision, current=item.revision)
    uncited_reason = (uncited_reason or "").strip()
    extra = None
    if not Citation.objects.filter(item_id=item.pk).exists():
        if not uncited_reason:
            raise InvalidInput(
                "An item is published with at least one citation: add its source, or say why it goes out "
                "without one.",
                fields={"uncited_reason": ["No citation: add one, or give the reason it is published without."]},
            )
        extra = {"uncited_reason": uncited_reason}
    apply_change(
        item, kind="published", by=by, now=now, expected_revision=expected_revision, reason=reason,
        public_note=public_note, after_extra=extra,
        item_fields={"editorial_state": EditorialState.PUBLISHED}, schedule_change=True,
    )
    return item


def item_retract(
    *, item: Item, by: By, now: datetime, reason: str, expected_revision: int | None = None, internal_note: str = "",
):
    """Take an item out of public view. Nothing is deleted: the change log
    keeps it, and calendars show it as cancelled. The reason is public (a
    retracted item says why); `internal_note` stays in the change log."""
    item = item.specific() if type(item) is Item else item
    if not (reason or "").strip():
        raise InvalidInput("Retracting needs a reason.", fields={"reason": ["Say why the item is retracted."]})
    lifecycle.require(item, "retract")
    apply_change(
        item, kind="retracted", by=by, now=now, expected_revision=expected_revision,
        reason=internal_note or reason, public_note=reason,
        item_fields={"editorial_state": EditorialState.RETRACTED}, schedule_change=True,
    )
    return item


def item_correct(
    *,
    item: Item,
    by: By,
    now: datetime,
    reason: str,
    expected_revision: int | None = None,
    status: str | None = None,
    when: When | None = None,
    as_of: date | None = None,
    editorial_state: str | None = None,
    public_note: str = "",
    **fields: Any,
):
    """The explicit way out of a final state, or any fix that must be on the
    record as a correction: a status, a When, or plain fields. `reason` is
    the internal note; `public_note` what subscribers are told. A correction
    that moves an outcome (an event's date, a milestone's status) runs the
    verdict rules again."""
    item = item.specific() if type(item) is Item else item
    if not (reason or "").strip():
        raise InvalidInput("A correction needs a reason.", fields={"reason": ["Say what was wrong."]})
    item_fields, child_fields = _split_fields(item, _check_fields(item.kind, dict(fields)))
    _check_holder_citation(item, fields)
    if status is not None and status != item.status:
        if status not in STATUSES_BY_KIND[item.kind]:
            raise InvalidInput(
                f"A {item.kind} cannot be {status}.",
                fields={"status": [f"One of: {', '.join(STATUSES_BY_KIND[item.kind])}."]},
            )
        if item.kind == Item.Kind.MILESTONE and status == Status.HAPPENED and not item.happened_event_id:
            # The verdict rules need the actual date, which only the event that shows it gives.
            raise InvalidInput(
                "A milestone becomes happened with the event that shows it: mark it as happened instead.",
                fields={"status": ["Use “mark happened”, with the event or the actual When."]},
            )
        item_fields["status"] = status
        child_fields.update(_reset_for_status(item, status))
    if editorial_state is not None and editorial_state != item.editorial_state:
        if editorial_state not in EditorialState.values:
            raise InvalidInput("Unknown editorial state.", fields={"editorial_state": [f"One of: {', '.join(EditorialState.values)}."]})
        item_fields["editorial_state"] = editorial_state
    if when is not None:
        item_fields.update(when_columns(when, as_of=as_of if as_of is not None else item.when_as_of))
        item_fields["overdue_noticed_at"] = None
    if not item_fields and not child_fields:
        raise InvalidInput("The correction changes nothing.", fields={"non_field_errors": ["Nothing to correct."]})
    with transaction.atomic():
        apply_change(
            item, kind="correction", by=by, now=now, expected_revision=expected_revision, reason=reason,
            public_note=public_note, item_fields=item_fields, child_fields=child_fields,
            schedule_change=bool({"status", "editorial_state", "when_start", "when_end"} & set(item_fields)),
        )
        if {"status", "when_start", "when_end"} & set(item_fields):
            item.outcomes = resettle_after_correction(item, now=now)
    return item


def _reset_for_status(item: Item, status: str) -> dict[str, Any]:
    """Fields that no longer hold once a correction moves the status back."""
    if item.kind == Item.Kind.MILESTONE and status in (Status.SCHEDULED, Status.CONFIRMED):
        return {"happened_event": None, "cancel_reason": ""}
    if item.kind == Item.Kind.EXPECTATION and status in (Status.OPEN, Status.DORMANT):
        return {
            "decided_by": "", "decided_by_user": None, "decided_at": None, "evidence_event": None,
            "evidence_citation": None, "verdict_note": "", "verdict_reviewed_at": None,
        }
    return {}
