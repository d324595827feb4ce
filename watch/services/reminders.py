"""The reminder schedule: when reminders are due, keeping the due rows in step
with each item's schedule, and firing them.

The rule (docs/alerts.md, "When a reminder fires"):

* The anchor is the moment the window opens; for an expectation meant `by` a
  deadline, the deadline (the window's end).
* An exact time (precision `time`): the reminder is due `lead` before the anchor.
* A day or coarser window: it is due at settings.FW_REMINDER_HOUR (09:00) local
  time, in the item's zone, on the local day on which "anchor − lead" falls. So
  7 days before a day window starting 2026-01-23 in Zurich is 2026-01-16 09:00
  Zurich; 1 day before it, 2026-01-22 09:00. The subtraction is done on the
  local wall clock, so a DST change in between moves nothing.
* A lead time shorter than the window's precision is skipped (no "1 hour
  before January"): timeline.when.PRECISION_SPAN; a `range` counts as days.
* Undated items, events, drafts, retracted items and items no longer open
  (happened, cancelled, settled, dormant) have no reminders.
* A due row is never written with a fire time already past, so a postponement
  re-sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from core.clock import require_aware
from core.zones import zone
from timeline.models import Expectation, Item
from timeline.when import DAY, PRECISION_SPAN, TIME

from ..models import Notification, ReminderDue, Subscription
from ..selectors import subscriptions_covering
from ._common import describe_lead
from .fanout import FanOut, notify

log = logging.getLogger(__name__)
State = ReminderDue.State


def reminder_anchor(item: Item) -> datetime | None:
    """The moment reminders count back from, or None for an undated item."""
    if item.when_start is None or item.when_end is None:
        return None
    if item.kind == Item.Kind.EXPECTATION and _target_kind(item) == Expectation.TargetKind.BY:
        return item.when_end
    return item.when_start


def reminder_due_at(item: Item, lead: timedelta) -> datetime | None:
    """When the reminder `lead` ahead of `item` is due, by the rule above; None
    when the item has no such reminder (undated, or a lead finer than the window)."""
    anchor = reminder_anchor(item)
    if anchor is None:
        return None
    if item.when_precision == TIME:
        return anchor - lead
    if lead < PRECISION_SPAN.get(item.when_precision, PRECISION_SPAN[DAY]):
        return None
    tz = zone(item.when_tz)
    # Aware arithmetic within one zone is wall-clock arithmetic in Python,
    # which is what "7 days before, at 09:00 local" means across a DST change.
    local_day = (anchor.astimezone(tz) - lead).date()
    return datetime.combine(local_day, time(settings.FW_REMINDER_HOUR), tzinfo=tz).astimezone(anchor.tzinfo)


def has_reminders(item: Item) -> bool:
    return (
        item.editorial_state == Item.EditorialState.PUBLISHED
        and item.kind in (Item.Kind.MILESTONE, Item.Kind.EXPECTATION)
        and item.status in Item.OPEN_STATUSES
        and reminder_anchor(item) is not None
    )


def leads_in_use(item: Item) -> set[timedelta]:
    """The distinct lead times of the active subscriptions that cover `item` and want reminders."""
    seconds: set[int] = set()
    for lead_times in subscriptions_covering(item, news=Subscription.REMINDERS).values_list("lead_times", flat=True):
        seconds.update(lead_times)
    return {timedelta(seconds=s) for s in seconds}


def reminders_ensure(*, item: Item, leads: Iterable[timedelta], now: datetime) -> int:
    """Write the due rows of `item`'s current schedule version for `leads`
    that are still ahead; existing rows are left as they are. Returns how many
    rows were written."""
    require_aware(now)
    if not has_reminders(item):
        return 0
    rows = []
    for lead in set(leads):
        due_at = reminder_due_at(item, lead)
        if due_at is not None and due_at > now:
            rows.append(ReminderDue(item_id=item.pk, lead=lead, schedule_version=item.schedule_version,
                                    due_at=due_at, created_at=now))
    if not rows:
        return 0
    before = ReminderDue.objects.filter(item_id=item.pk, schedule_version=item.schedule_version).count()
    ReminderDue.objects.bulk_create(rows, ignore_conflicts=True)
    return ReminderDue.objects.filter(item_id=item.pk, schedule_version=item.schedule_version).count() - before


def reminders_rewrite(*, item: Item, now: datetime) -> int:
    """Bring `item`'s due rows in step with its current schedule: withdraw
    pending rows of older schedule versions (or all of them, if the item no
    longer has reminders) and write the current version's rows for every lead
    time in use. Idempotent. Returns how many rows were written."""
    require_aware(now)
    eligible = has_reminders(item)
    stale = ReminderDue.objects.filter(item_id=item.pk, state=State.PENDING)
    if eligible:
        stale = stale.exclude(schedule_version=item.schedule_version)
        note = f"The item's schedule changed (now version {item.schedule_version})."
    else:
        note = f"The item no longer has reminders ({_why_no_reminders(item)})."
    stale.update(state=State.WITHDRAWN, settled_at=now, note=note[:300])
    if not eligible:
        return 0
    return reminders_ensure(item=item, leads=leads_in_use(item), now=now)


def _why_no_reminders(item: Item) -> str:
    if item.editorial_state != Item.EditorialState.PUBLISHED:
        return item.editorial_state
    if item.status not in Item.OPEN_STATUSES:
        return item.status
    if reminder_anchor(item) is None:
        return "undated"
    return f"a {item.kind}"


@dataclass(frozen=True)
class FireResult:
    fired: int = 0
    skipped: int = 0
    withdrawn: int = 0
    fanout: FanOut = FanOut()


def fire_due_reminders(*, now: datetime, limit: int = 500) -> FireResult:
    """Fire the reminders due by `now`, through the partial index of pending rows.

    Each row fans out to the subscriptions active at this moment that want
    reminders with its lead time. After downtime only the latest missed lead
    time of an item is sent; the earlier ones are marked skipped, and so is
    every reminder whose window has already opened. Each row is its own
    transaction, claimed with SKIP LOCKED (PostgreSQL) and a conditional UPDATE
    of its state, so two sweeps at once never fire one row twice.
    """
    require_aware(now)
    counts = {State.FIRED: 0, State.SKIPPED: 0, State.WITHDRAWN: 0}
    fanout = FanOut()
    due = list(
        ReminderDue.objects.filter(state=State.PENDING, due_at__lte=now).order_by("due_at", "id").values_list("pk", flat=True)[:limit]
    )
    for reminder_id in due:
        try:
            with transaction.atomic():
                outcome, written = _fire_one(reminder_id, now=now)
        except Exception:
            # One broken row must not stop the others; it stays pending and is
            # tried again (and logged again) by the next sweep.
            log.exception("Reminder %s could not be fired", reminder_id)
            continue
        if outcome is not None:
            counts[outcome] += 1
            fanout += written
    return FireResult(fired=counts[State.FIRED], skipped=counts[State.SKIPPED], withdrawn=counts[State.WITHDRAWN],
                      fanout=fanout)


def _fire_one(reminder_id: int, *, now: datetime) -> tuple[str | None, FanOut]:
    reminder = ReminderDue.objects.select_for_update(skip_locked=True).filter(pk=reminder_id, state=State.PENDING).first()
    if reminder is None:
        return None, FanOut()  # another sweep has it, or it was withdrawn meanwhile
    item = Item.objects.select_related("expectation").get(pk=reminder.item_id)
    outcome, note = _decide(reminder, item, now=now)
    claimed = ReminderDue.objects.filter(pk=reminder.pk, state=State.PENDING).update(
        state=outcome, settled_at=now, note=note[:300]
    )
    if claimed != 1:
        return None, FanOut()
    if outcome != State.FIRED:
        return outcome, FanOut()
    return outcome, notify(
        item=item,
        cause=f"reminder:v{reminder.schedule_version}:{int(reminder.lead.total_seconds())}s",
        kind=Notification.Kind.REMINDER,
        news=Subscription.REMINDERS,
        schedule_version=reminder.schedule_version,
        headline=_headline(item, reminder.lead),
        detail=(item.summary or "").strip()[:500],
        now=now,
        reminder=reminder,
        lead=reminder.lead,
    )


def _decide(reminder: ReminderDue, item: Item, *, now: datetime) -> tuple[str, str]:
    if item.schedule_version != reminder.schedule_version:
        # The change that moved it is not processed yet; processing will
        # write the new version's rows.
        return State.WITHDRAWN, f"Superseded by schedule version {item.schedule_version}."
    if not has_reminders(item):
        return State.WITHDRAWN, f"The item no longer has reminders ({_why_no_reminders(item)})."
    anchor = reminder_anchor(item)
    if anchor <= now:
        return State.SKIPPED, "The window had already opened when the reminder came due."
    later = ReminderDue.objects.filter(
        item_id=item.pk, schedule_version=reminder.schedule_version, state=State.PENDING,
        due_at__lte=now,
    ).filter(Q(due_at__gt=reminder.due_at) | Q(due_at=reminder.due_at, lead__lt=reminder.lead))
    if later.exists():
        return State.SKIPPED, "Missed while the sweep was not running; a later reminder of the item is sent instead."
    return State.FIRED, ""


def _headline(item: Item, lead: timedelta) -> str:
    words = describe_lead(lead)
    if item.kind == Item.Kind.EXPECTATION and _target_kind(item) == Expectation.TargetKind.BY:
        return f"Reminder: deadline in {words}: {item.title}"
    return f"Reminder: in {words}: {item.title}"


def _target_kind(item: Item) -> str:
    expectation = item if isinstance(item, Expectation) else item.expectation
    return expectation.target_kind
