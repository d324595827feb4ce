"""The one way an Item changes: a conditional UPDATE, then a change row.

Every transition in this package goes through `apply_change`:

1. The caller's copy of the item is checked against the lifecycle (is this
   move allowed from the status it holds?).
2. In one transaction, a single-row UPDATE of the Item table filtered on the
   revision the caller read. Zero rows means someone else wrote first: the
   caller's copy was stale and the transition stops with StaleRevision. This
   UPDATE goes to the Item table on its own on purpose: an UPDATE through a
   multi-table-inheritance child writes the parent row unguarded.
3. The child's own fields (Milestone, Expectation), then the change row.

Because every write bumps `revision`, "the row still has the revision I read"
means "the status I checked is still the status", so step 1 outside the lock
is safe. On PostgreSQL a concurrent writer blocks on the row lock of step 2
and, once the winner commits, re-evaluates the WHERE clause and finds 0 rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeAlias

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Model

from ..exceptions import InvalidInput, StaleRevision
from ..models import SYSTEM, UNDATED_SORT_KEY, Change, Item
from ..when import When

By: TypeAlias = AbstractBaseUser | str  # a user, or SYSTEM


def by_fields(by: By) -> dict[str, Any]:
    if by == SYSTEM:
        return {"by_user": None, "by_label": SYSTEM}
    if isinstance(by, AbstractBaseUser):
        return {"by_user": by, "by_label": by.get_username()}
    raise InvalidInput(f"Unknown actor {by!r}: pass a user or 'system'.")


from core.clock import require_aware  # noqa: E402,F401  (the services import it from here)


def when_columns(when: When, *, as_of=None) -> dict[str, Any]:
    """The Item columns that store a When."""
    return {
        "when_text": when.text,
        "when_start": when.start,
        "when_end": when.end,
        "when_precision": when.precision,
        "when_approximate": when.approximate,
        "when_tz": when.tz,
        "when_edtf": when.edtf,
        "when_as_of": as_of,
        "sort_key": when.start if when.start is not None else UNDATED_SORT_KEY,
    }


def jsonable(value: Any) -> Any:
    if isinstance(value, When):
        return value.as_dict()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Model):
        return {"id": value.pk, "repr": str(value)}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "total_seconds"):
        return value.total_seconds()
    if value is None or isinstance(value, (str, int, float, bool, dict)):
        return value
    return str(value)


def snapshot(obj: Item, names: Iterable[str]) -> dict[str, Any]:
    """The current values of `names` on obj, JSON-ready, for a change row."""
    out = {}
    for name in names:
        if name == "when":
            out["when"] = obj.when.as_dict()
        elif name in ("storylines", "actors"):
            out[name] = sorted(getattr(obj, name).values_list("slug", flat=True))
        else:
            field = obj._meta.get_field(name)
            out[name] = jsonable(getattr(obj, field.attname if field.is_relation else name))
    return out


def record_change(
    obj: Item, *, kind: str, by: By, now: datetime, before: dict, after: dict, reason: str, public: bool,
    public_note: str = "",
) -> Change:
    return Change.objects.create(
        item_id=obj.pk,
        kind=kind,
        at=now,
        before=before,
        after=after,
        reason=reason,
        public_note=public_note,
        revision=obj.revision,
        schedule_version=obj.schedule_version,
        public=public,
        **by_fields(by),
    )


def is_public_news(state_before: str, state_after: str) -> bool:
    """News subscribers may hear of: anything about a published item, and its
    publication or retraction."""
    published = Item.EditorialState.PUBLISHED
    return state_before == published or state_after == published


def apply_change(
    obj: Item,
    *,
    kind: str,
    by: By,
    now: datetime,
    expected_revision: int | None = None,
    reason: str = "",
    public_note: str = "",
    item_fields: dict[str, Any] | None = None,
    child_fields: dict[str, Any] | None = None,
    schedule_change: bool = False,
    logged: Iterable[str] = (),
    after_extra: dict[str, Any] | None = None,
    public: bool | None = None,
) -> Change:
    """Write one transition of `obj` (an Event, Milestone or Expectation).

    `item_fields` go to the Item row, `child_fields` to the child's own table.
    `logged` names the fields whose before/after the change row keeps (the
    changed fields are always kept). `schedule_change` bumps schedule_version.
    `reason` is the internal note (change log only); `public_note` is what
    subscribers and the public history see.
    Refreshes `obj` and returns the change row. Must run inside the caller's
    transaction or opens its own.
    """
    require_aware(now)
    # Check who writes before anything is written: a bad `by` must be an
    # InvalidInput, not a database error halfway through the transition.
    by_fields(by)
    item_fields = dict(item_fields or {})
    child_fields = dict(child_fields or {})
    if expected_revision is not None and expected_revision != obj.revision:
        raise StaleRevision(expected=expected_revision, current=obj.revision)

    names = list(dict.fromkeys([*logged, *_logged_names(item_fields), *child_fields]))
    before = snapshot(obj, names)
    state_before = obj.editorial_state

    counters = {"revision": F("revision") + 1, "updated_at": now}
    if schedule_change:
        counters["schedule_version"] = F("schedule_version") + 1
    with transaction.atomic():
        won = Item.objects.filter(pk=obj.pk, revision=obj.revision).update(**item_fields, **counters)
        if won != 1:
            current = Item.objects.filter(pk=obj.pk).values_list("revision", flat=True).first()
            raise StaleRevision(expected=obj.revision, current=current)
        if child_fields:
            type(obj).objects.filter(pk=obj.pk).update(**child_fields)
        obj.refresh_from_db()
        after = snapshot(obj, names)
        if after_extra:
            after.update({k: jsonable(v) for k, v in after_extra.items()})
        if public is None:
            public = is_public_news(state_before, obj.editorial_state)
        return record_change(
            obj, kind=kind, by=by, now=now, before=before, after=after, reason=reason, public=public,
            public_note=public_note,
        )


def _logged_names(item_fields: dict[str, Any]) -> list[str]:
    names = []
    for name in item_fields:
        if name.startswith("when_") or name == "sort_key":
            names.append("when")
        elif name not in ("updated_at", "overdue_noticed_at"):
            names.append(name)
    return names
