"""Who on the desk watches an item: its assignee.

The assignment is an edit of the item like any other (guarded by its
revision, one change row that names who assigned whom and why), but never
public news. What the assignee receives is watch's business: the desk
(desk.services.assign) calls this and watch's assignment_follow / _end in
one transaction, since timeline never imports watch.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser

from ..exceptions import InvalidInput, StaleRevision
from ..models import Item
from ._core import By, apply_change


def item_assign(
    *, item: Item, assignee: AbstractBaseUser | None, by: By, now: datetime,
    expected_revision: int | None = None, reason: str = "",
) -> Item:
    """Assign `item` to a staff member, or (None) to nobody. Assigning to
    whoever already has it writes nothing."""
    item = item.specific() if type(item) is Item else item
    if assignee is not None and not (assignee.is_active and assignee.is_staff):
        raise InvalidInput(
            "Only a member of staff can watch an item.", fields={"assignee": ["Choose a member of staff."]},
        )
    new_id = assignee.pk if assignee is not None else None
    if new_id == item.assignee_id:
        if expected_revision is not None and expected_revision != item.revision:
            raise StaleRevision(expected=expected_revision, current=item.revision)
        return item
    note = reason or (f"Assigned to {assignee.get_username()}." if assignee is not None else "Unassigned.")
    apply_change(
        item, kind="edited", by=by, now=now, expected_revision=expected_revision, reason=note,
        item_fields={"assignee": assignee}, public=False,
    )
    return item
