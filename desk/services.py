"""The desk's one write of its own: assigning an item to a member of staff.

Both halves in one transaction: the record's (timeline.services.item_assign:
the item's revision guard and its change row) and watch's (the assignee's
subscription to the item, which brings its reminders and the "due now"
notice through the unchanged fan-out). Every other action on the desk is a
timeline service called as the admin calls it.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from timeline import services as timeline_services
from timeline.models import Item
from watch.services import assignment_end, assignment_follow


def assign(*, item: Item, assignee, by, now: datetime, expected_revision: int | None = None, reason: str = "") -> Item:
    """Make `assignee` (a staff user, or None for nobody) the one who watches `item`."""
    previous_id = item.assignee_id
    with transaction.atomic():
        item = timeline_services.item_assign(
            item=item, assignee=assignee, by=by, now=now, expected_revision=expected_revision, reason=reason,
        )
        if previous_id and previous_id != item.assignee_id:
            assignment_end(item=item, user=get_user_model().objects.get(pk=previous_id), now=now)
        if assignee is not None:
            assignment_follow(item=item, user=assignee, now=now)
    return item
