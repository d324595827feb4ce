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

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat

from core.clock import require_aware
from core.zones import zone
from timeline.models import Expectation, Item
from timeline.when import DAY, PRECISION_SPAN, TIME

from ..models import Notification, ReminderDue, Subscription
from ..selectors import lead_times_in_use
from ._common import describe_lead
from .fanout import Announcement, FanOut, fanout_run, fanouts_open

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
    return {timedelta(seconds=s) for s in lead_times_in_use([item.pk])[item.pk]}


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
            rows.append(DueRow(item.pk, lead, item.schedule_version, due_at))
    return _due_rows_write(rows, now=now)


def reminders_rewrite(*, item: Item, now: datetime) -> int:
    """Bring `item`'s due rows in step with its current schedule: withdraw
    pending rows of older schedule versions (or all of them, if the item no
    longer has reminders) and write the current version's rows for every lead
    time in use. Idempotent. Returns how many rows were written."""
    return reminders_rewrite_many(items=[item], now=now)


def reminders_rewrite_many(*, items: Iterable[Item], now: datetime) -> int:
    """reminders_rewrite for many items at once, in a number of queries that
    does not grow with them: one UPDATE withdraws the stale rows of the items
    that keep reminders, one per distinct reason those of the items that no
    longer have any, one read finds the lead times in use, one INSERT writes
    the current rows."""
    require_aware(now)
    items = list(items)
    if not items:
        return 0
    eligible = [item for item in items if has_reminders(item)]
    if eligible:
        current_version = Subquery(Item.objects.filter(pk=OuterRef("item_id")).values("schedule_version")[:1])
        ReminderDue.objects.filter(state=State.PENDING, item_id__in=[i.pk for i in eligible]).exclude(
            schedule_version=current_version
        ).update(
            state=State.WITHDRAWN, settled_at=now,
            note=Concat(Value("The item's schedule changed (now version "),
                        Cast(current_version, output_field=CharField()), Value(")."), output_field=CharField()),
        )
    ended: dict[str, list[int]] = {}
    for item in items:
        if not has_reminders(item):
            ended.setdefault(f"The item no longer has reminders ({_why_no_reminders(item)}).", []).append(item.pk)
    for note, ids in ended.items():
        ReminderDue.objects.filter(state=State.PENDING, item_id__in=ids).update(
            state=State.WITHDRAWN, settled_at=now, note=note[:300]
        )
    if not eligible:
        return 0
    leads = lead_times_in_use([item.pk for item in eligible])
    rows = []
    for item in eligible:
        for seconds in leads[item.pk]:
            due_at = reminder_due_at(item, timedelta(seconds=seconds))
            if due_at is not None and due_at > now:
                rows.append(DueRow(item.pk, timedelta(seconds=seconds), item.schedule_version, due_at))
    return _due_rows_write(rows, now=now)


@dataclass(frozen=True)
class DueRow:
    item_id: int
    lead: timedelta
    schedule_version: int
    due_at: datetime


def _due_rows_write(rows: list[DueRow], *, now: datetime) -> int:
    """Write these pending rows, leaving any that exist (same item, lead time
    and version). Returns how many were new. On PostgreSQL one INSERT ...
    SELECT over arrays of the columns, without a model instance per row (a
    batch of changes writes a thousand); elsewhere bulk_create, and the
    rows counted before and after."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                """
                WITH written AS (
                    INSERT INTO watch_reminderdue (item_id, lead, schedule_version, due_at, state, note, created_at)
                    SELECT r.item_id, r.lead, r.schedule_version, r.due_at, %s, '', %s
                      FROM unnest(%s::bigint[], %s::interval[], %s::integer[], %s::timestamptz[])
                           AS r (item_id, lead, schedule_version, due_at)
                    ON CONFLICT DO NOTHING
                    RETURNING 1
                )
                SELECT COUNT(*) FROM written
                """,
                [State.PENDING, now, [r.item_id for r in rows], [r.lead for r in rows],
                 [r.schedule_version for r in rows], [r.due_at for r in rows]],
            )
            return cursor.fetchone()[0]
    ids = {r.item_id for r in rows}
    before = ReminderDue.objects.filter(item_id__in=ids).count()
    ReminderDue.objects.bulk_create(
        [ReminderDue(item_id=r.item_id, lead=r.lead, schedule_version=r.schedule_version, due_at=r.due_at,
                     created_at=now) for r in rows],
        ignore_conflicts=True,
    )
    return ReminderDue.objects.filter(item_id__in=ids).count() - before


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
    every reminder whose window has already opened. The rows are taken in a
    batch of up to `limit`, one transaction and a constant number of queries:
    claimed with SKIP LOCKED (PostgreSQL; SQLite serialises writers), decided,
    settled by one UPDATE, and the fired ones written as fan-outs with the
    first batch of their audiences. Two sweeps at once never fire a row twice.
    Should the batch fail, its rows are fired one by one, each in its own
    transaction, so one broken row does not stop the others.
    """
    require_aware(now)
    try:
        with transaction.atomic():
            return _fire({}, limit=limit, now=now)
    except SoftTimeLimitExceeded:
        raise
    except Exception:
        log.exception("A batch of reminders could not be fired; firing them one by one")
    result = FireResult()
    due = list(
        ReminderDue.objects.filter(state=State.PENDING, due_at__lte=now).order_by("due_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for reminder_id in due:
        try:
            with transaction.atomic():
                one = _fire({"pk": reminder_id}, limit=1, now=now)
        except SoftTimeLimitExceeded:
            raise
        except Exception:
            # It stays pending and is tried again (and logged again) by the next sweep.
            log.exception("Reminder %s could not be fired", reminder_id)
            continue
        result = FireResult(result.fired + one.fired, result.skipped + one.skipped,
                            result.withdrawn + one.withdrawn, result.fanout + one.fanout)
    return result


def _fire(filters: dict, *, limit: int, now: datetime) -> FireResult:
    reminders = list(
        ReminderDue.objects.select_for_update(skip_locked=True)
        .filter(state=State.PENDING, due_at__lte=now, **filters).order_by("due_at", "id")[:limit]
    )
    if not reminders:
        return FireResult()
    items = Item.objects.select_related("expectation").in_bulk({r.item_id for r in reminders})
    # Every pending row due by now of these items, claimed or not: what
    # "a later reminder of the same item is also due" is decided against.
    due_of_item: dict[tuple[int, int], list[tuple[datetime, timedelta]]] = {}
    for item_id, version, due_at, lead in ReminderDue.objects.filter(
        state=State.PENDING, due_at__lte=now, item_id__in=list(items)
    ).values_list("item_id", "schedule_version", "due_at", "lead"):
        due_of_item.setdefault((item_id, version), []).append((due_at, lead))
    counts = {State.FIRED: 0, State.SKIPPED: 0, State.WITHDRAWN: 0}
    fired = []
    for reminder in reminders:
        outcome, note = _decide(reminder, items[reminder.item_id], now=now,
                                due=due_of_item.get((reminder.item_id, reminder.schedule_version), []))
        reminder.state, reminder.settled_at, reminder.note = outcome, now, note[:300]
        counts[outcome] += 1
        if outcome == State.FIRED:
            fired.append(reminder)
    # The rows are locked by this transaction (or, on SQLite, the database is):
    # no one else can have settled them since they were read.
    ReminderDue.objects.bulk_update(reminders, ["state", "settled_at", "note"])
    fanout = fanout_run(
        fanouts_open([
            Announcement(
                item_id=r.item_id, cause=f"reminder:v{r.schedule_version}:{int(r.lead.total_seconds())}s",
                kind=Notification.Kind.REMINDER, news=Subscription.REMINDERS, schedule_version=r.schedule_version,
                headline=_headline(items[r.item_id], r.lead), detail=(items[r.item_id].summary or "").strip()[:500],
                reminder_id=r.pk, lead=r.lead,
            )
            for r in fired
        ], now=now),
        now=now, batches=settings.WATCH_FANOUT_INLINE_BATCHES,
    ) if fired else FanOut()
    return FireResult(fired=counts[State.FIRED], skipped=counts[State.SKIPPED], withdrawn=counts[State.WITHDRAWN],
                      fanout=fanout)


def _decide(reminder: ReminderDue, item: Item, *, now: datetime,
            due: list[tuple[datetime, timedelta]]) -> tuple[str, str]:
    if item.schedule_version != reminder.schedule_version:
        # The change that moved it is not processed yet; processing will
        # write the new version's rows.
        return State.WITHDRAWN, f"Superseded by schedule version {item.schedule_version}."
    if not has_reminders(item):
        return State.WITHDRAWN, f"The item no longer has reminders ({_why_no_reminders(item)})."
    anchor = reminder_anchor(item)
    if anchor <= now:
        return State.SKIPPED, "The window had already opened when the reminder came due."
    if any(due_at > reminder.due_at or (due_at == reminder.due_at and lead < reminder.lead) for due_at, lead in due):
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
