"""From pieces of news to the notifications and deliveries they cause, in SQL.

One piece of news about an item becomes a Fanout row (watch.models.Fanout),
then, batch after batch, one notification per recipient endpoint (however
many of that endpoint's subscriptions match: one message per news per
channel) and, for each endpoint with at least one immediate subscription
among them, a delivery (immediate wins over digest; digest-only endpoints wait
for their daily digest).

A batch is a bounded number of (news, endpoint) pairs, taken in endpoint id
order per piece of news, round-robin across the pieces of news in the batch,
so a storyline with 100,000 followers does not hold back the news of an item
with ten. Who is in the audience is watch.audience's rule; here it is joined
to the batch's news and written with INSERT ... SELECT ... ON CONFLICT DO
NOTHING: on PostgreSQL a single statement (the deliveries first, RETURNING
their ids, the notifications pointing at them, the cursors moved), on SQLite
the same SELECT read back and written with two bulk inserts (SQLite has no
data-modifying CTE). On PostgreSQL each delivery's id is drawn from its
sequence in the SELECT, so the notification points at it without a join. Each batch moves the cursors in its own transaction, so
after a crash the next batch starts where the last committed one ended.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction

from ..audience import audience_sql
from ..models import Delivery, Endpoint, Fanout, Notification, new_delivery_id
from .digests import next_digest_at


@dataclass(frozen=True)
class FanOut:
    """What one piece of news (or a sweep) wrote; `unfinished` counts the
    pieces of news whose audience is not fully written yet (the fan-out sweep
    goes on with them)."""

    notifications: int = 0
    deliveries: int = 0
    unfinished: int = 0

    def __add__(self, other: FanOut) -> FanOut:
        return FanOut(self.notifications + other.notifications, self.deliveries + other.deliveries,
                      self.unfinished + other.unfinished)


@dataclass(frozen=True)
class Announcement:
    """One piece of news about one item, before it has an audience."""

    item_id: int
    cause: str  # "change:<id>" or "reminder:v<version>:<seconds>s"
    kind: str
    news: str
    schedule_version: int
    headline: str
    detail: str = ""
    change_id: int | None = None
    reminder_id: int | None = None
    lead: timedelta | None = None
    verdict: dict | None = None


def batch_size() -> int:
    return settings.WATCH_FANOUT_BATCH


def fanouts_open(announcements: Iterable[Announcement], *, now: datetime) -> list[int]:
    """Write a Fanout row for each piece of news (one per item and cause:
    announcing twice writes nothing new). Returns the ids of those not yet
    finished, in the order given. Two queries whatever the number: the
    insert, then a read of the rows (ours, or those someone wrote first)."""
    announcements = list(announcements)
    if not announcements:
        return []
    if connection.vendor == "postgresql":
        found = _fanouts_open_postgresql(announcements, now=now)
    else:
        found = _fanouts_open_portable(announcements, now=now)
    return [found[key] for key in dict.fromkeys((a.item_id, a.cause) for a in announcements) if key in found]


def _fanouts_open_postgresql(announcements: list[Announcement], *, now: datetime) -> dict[tuple[int, str], int]:
    """The insert and the read, each one statement over arrays of the
    columns: a batch of changes opens 500 fan-outs, and building a model
    instance for each, and a query of a thousand placeholders to read them
    back, cost more than the writing."""
    columns = [
        ("item_id", "bigint", [a.item_id for a in announcements]),
        ("cause", "varchar", [a.cause for a in announcements]),
        ("kind", "varchar", [a.kind for a in announcements]),
        ("news", "varchar", [a.news for a in announcements]),
        ("change_id", "bigint", [a.change_id for a in announcements]),
        ("reminder_id", "bigint", [a.reminder_id for a in announcements]),
        ("lead", "interval", [a.lead for a in announcements]),
        ("lead_seconds", "integer", [_seconds(a.lead) for a in announcements]),
        ("schedule_version", "integer", [a.schedule_version for a in announcements]),
        ("headline", "varchar", [a.headline[:400] for a in announcements]),
        ("detail", "text", [a.detail for a in announcements]),
        # As the JSONField writes it (json.dumps, no encoder).
        ("verdict", "text", [None if a.verdict is None else json.dumps(a.verdict) for a in announcements]),
    ]
    names = ", ".join(name for name, _, _ in columns)
    selected = ", ".join("CAST(a.verdict AS jsonb)" if name == "verdict" else f"a.{name}" for name, _, _ in columns)
    arrays = ", ".join(f"%s::{kind}[]" for _, kind, _ in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO watch_fanout ({names}, cursor, created_at) "
            f"SELECT {selected}, 0, %s FROM unnest({arrays}) AS a ({names}) ON CONFLICT DO NOTHING",
            [now, *(values for _, _, values in columns)],
        )
        # A statement of its own, so it also sees a row that a concurrent
        # writer committed while the insert waited on it.
        cursor.execute(
            "SELECT f.id, f.item_id, f.cause FROM watch_fanout f "
            "JOIN unnest(%s::bigint[], %s::varchar[]) AS a (item_id, cause) "
            "ON f.item_id = a.item_id AND f.cause = a.cause WHERE f.finished_at IS NULL",
            [columns[0][2], columns[1][2]],
        )
        return {(item_id, cause): pk for pk, item_id, cause in cursor.fetchall()}


def _fanouts_open_portable(announcements: list[Announcement], *, now: datetime) -> dict[tuple[int, str], int]:
    Fanout.objects.bulk_create(
        [
            Fanout(
                item_id=a.item_id, cause=a.cause, kind=a.kind, news=a.news, change_id=a.change_id,
                reminder_id=a.reminder_id, lead=a.lead, lead_seconds=_seconds(a.lead),
                schedule_version=a.schedule_version, headline=a.headline[:400], detail=a.detail,
                verdict=a.verdict, created_at=now,
            )
            for a in announcements
        ],
        ignore_conflicts=True,
    )
    wanted = {(a.item_id, a.cause) for a in announcements}
    return {
        (item_id, cause): pk
        for pk, item_id, cause in Fanout.objects.filter(
            item_id__in={a.item_id for a in announcements}, cause__in={a.cause for a in announcements},
            finished_at__isnull=True,
        ).values_list("pk", "item_id", "cause")
        if (item_id, cause) in wanted
    }


def _seconds(lead: timedelta | None) -> int | None:
    return None if lead is None else int(lead.total_seconds())


def fanout_batch(fanout_ids: list[int], *, now: datetime, limit: int | None = None, claimed: bool = False) -> FanOut:
    """Write one batch (at most `limit` notifications) of the audiences of
    these fan-outs, inside the caller's transaction, and move their cursors.
    A constant number of queries, whatever the number of fan-outs or
    endpoints.

    The fan-out rows are locked first (unless the caller `claimed` them), so
    of two writers of the same news the second waits for the first's batch
    and then starts from the cursor it left."""
    if not claimed and fanout_ids:
        fanout_ids = list(
            Fanout.objects.select_for_update().filter(pk__in=fanout_ids, finished_at__isnull=True)
            .order_by("pk").values_list("pk", flat=True)
        )
    if not fanout_ids:
        return FanOut()
    limit = batch_size() if limit is None else limit
    if connection.vendor == "postgresql":
        written, unscheduled = _batch_postgresql(fanout_ids, now=now, limit=limit)
    else:
        written, unscheduled = _batch_portable(fanout_ids, now=now, limit=limit)
    if unscheduled:
        _schedule_digests(unscheduled, now=now)
    return written


def fanout_run(fanout_ids: list[int], *, now: datetime, batches: int) -> FanOut:
    """Up to `batches` batches of these fan-outs, in the caller's
    transaction; the fan-out sweep writes whatever is left."""
    total = FanOut()
    for _ in range(batches):
        written = fanout_batch(fanout_ids, now=now)
        total = FanOut(total.notifications + written.notifications, total.deliveries + written.deliveries,
                       written.unfinished)
        if not written.unfinished:
            break
    return total


def fanout_sweep(*, now: datetime, limit: int | None = None) -> FanOut:
    """One batch of the unfinished fan-outs, oldest first, in a transaction
    of its own. The rows are claimed with SKIP LOCKED (PostgreSQL; SQLite
    serialises writers), so two sweeps at once write disjoint batches.
    `unfinished` in the result says whether to run again."""
    with transaction.atomic():
        ids = list(
            Fanout.objects.select_for_update(skip_locked=True).filter(finished_at__isnull=True)
            .order_by("id").values_list("pk", flat=True)[: settings.WATCH_FANOUT_CLAIM]
        )
        if not ids:
            return FanOut()
        written = fanout_batch(ids, now=now, limit=limit, claimed=True)
    if not written.unfinished:
        # Others may be waiting beyond this claim.
        more = Fanout.objects.filter(finished_at__isnull=True).exists()
        written = FanOut(written.notifications, written.deliveries, int(more))
    return written


def notify(*, item, cause: str, kind: str, news: str, schedule_version: int, headline: str, detail: str,
           now: datetime, change=None, reminder=None, lead: timedelta | None = None,
           verdict: dict | None = None) -> FanOut:
    """One piece of news, written inside the caller's transaction: its first
    batch at once (the whole audience, unless it is larger than a batch; the
    fan-out sweep writes the rest)."""
    ids = fanouts_open([Announcement(
        item_id=item.pk, cause=cause, kind=kind, news=news, schedule_version=schedule_version,
        headline=headline, detail=detail, change_id=getattr(change, "pk", None),
        reminder_id=getattr(reminder, "pk", None), lead=lead, verdict=verdict,
    )], now=now)
    return fanout_run(ids, now=now, batches=settings.WATCH_FANOUT_INLINE_BATCHES)


# -- The statements -------------------------------------------------------------

def _selection(fanout_ids: list[int], limit: int) -> tuple[str, list]:
    """The CTEs shared by both backends, up to `batch` (the pairs written in
    this batch) and `progress` (per fan-out: its new cursor, and how many
    pairs are left beyond this batch)."""
    placeholders = ", ".join(["%s"] * len(fanout_ids))
    audience = audience_sql("src", vendor=connection.vendor, extra_columns="src.after_id")
    sql = f"""
        WITH src AS MATERIALIZED (
            SELECT f.id AS key, f.item_id, f.news, f.lead_seconds AS lead_s, f.cursor AS after_id
              FROM watch_fanout f
             WHERE f.id IN ({placeholders}) AND f.finished_at IS NULL
        ),
        aud AS ({audience}),
        ends AS (
            SELECT a.key, a.email_endpoint_id AS endpoint_id, a.cadence, a.after_id FROM aud a
             WHERE a.email_endpoint_id IS NOT NULL
            UNION ALL
            SELECT a.key, a.webhook_endpoint_id, a.cadence, a.after_id FROM aud a
             WHERE a.webhook_endpoint_id IS NOT NULL
        ),
        per AS (
            SELECT e.key, e.endpoint_id, MAX(CASE WHEN e.cadence = 'immediate' THEN 1 ELSE 0 END) AS immediate
              FROM ends e WHERE e.endpoint_id > e.after_id
             GROUP BY e.key, e.endpoint_id
        ),
        ranked AS (
            SELECT p.key, p.endpoint_id, p.immediate,
                   ROW_NUMBER() OVER (PARTITION BY p.key ORDER BY p.endpoint_id) AS rn_news
              FROM per p
        ),
        ordered AS MATERIALIZED (
            SELECT r.key, r.endpoint_id, r.immediate, ROW_NUMBER() OVER (ORDER BY r.rn_news, r.key) AS rn
              FROM ranked r
        ),
        batch AS (SELECT o.key, o.endpoint_id, o.immediate FROM ordered o WHERE o.rn <= %s),
        progress AS (
            -- Aggregated before the join: the planner cannot know how many
            -- rows these CTEs hold, and a nested loop over both would cost
            -- fan-outs x pairs.
            SELECT src.key, agg.last_id, COALESCE(agg.remaining, 0) AS remaining
              FROM src LEFT JOIN (
                   SELECT o.key, MAX(o.endpoint_id) FILTER (WHERE o.rn <= %s) AS last_id,
                          COUNT(*) FILTER (WHERE o.rn > %s) AS remaining
                     FROM ordered o GROUP BY o.key
              ) agg ON agg.key = src.key
        ),
        fresh AS MATERIALIZED (
            SELECT b.key, b.endpoint_id, b.immediate, e.kind AS channel, e.next_digest_at,
                   {_new_public_id()} AS public_id, {_new_delivery_pk()} AS delivery_id
              FROM batch b
              JOIN watch_endpoint e ON e.id = b.endpoint_id
              JOIN watch_fanout f ON f.id = b.key
             WHERE NOT EXISTS (
                   SELECT 1 FROM watch_notification n
                    WHERE n.endpoint_id = b.endpoint_id AND n.item_id = f.item_id AND n.cause = f.cause)
        )"""
    return sql, [*fanout_ids, limit, limit, limit]


def _new_delivery_pk() -> str:
    # On PostgreSQL the delivery's id is drawn here, so the notification can
    # point at it without joining the inserted rows back (the planner cannot
    # estimate a CTE's rows; a nested loop over both cost pairs squared).
    if connection.vendor == "postgresql":
        return ("CASE WHEN b.immediate = 1 THEN nextval(pg_get_serial_sequence('watch_delivery', 'id')) END")
    return "NULL"


def _new_public_id() -> str:
    # The same shape as models.new_delivery_id: msg_ and 32 random hex digits.
    if connection.vendor == "postgresql":
        return "'msg_' || replace(CAST(gen_random_uuid() AS text), '-', '')"
    return "'msg_' || lower(hex(randomblob(16)))"


_NOTIFICATION_COLUMNS = (
    "endpoint_id, item_id, cause, kind, news, change_id, reminder_id, lead, schedule_version, headline, detail, "
    "verdict, delivery_id, withdrawn_reason, created_at"
)


def _batch_postgresql(fanout_ids: list[int], *, now: datetime, limit: int) -> tuple[FanOut, list[int]]:
    selection, params = _selection(fanout_ids, limit)
    sql = selection + f""",
        d AS (
            INSERT INTO watch_delivery (id, public_id, endpoint_id, channel, is_digest, state, attempts,
                                        next_attempt_at, lease_token, last_error, withdrawn_reason,
                                        created_at, updated_at)
            SELECT fr.delivery_id, fr.public_id, fr.endpoint_id, fr.channel, FALSE, 'pending', 0, %s, '', '', '',
                   %s, %s
              FROM fresh fr WHERE fr.immediate = 1
            RETURNING 1
        ),
        n AS (
            INSERT INTO watch_notification ({_NOTIFICATION_COLUMNS})
            SELECT fr.endpoint_id, f.item_id, f.cause, f.kind, f.news, f.change_id, f.reminder_id, f.lead,
                   f.schedule_version, f.headline, f.detail, f.verdict, fr.delivery_id, '', %s
              FROM fresh fr
              JOIN watch_fanout f ON f.id = fr.key
            ON CONFLICT DO NOTHING
            RETURNING 1
        ),
        moved AS (
            UPDATE watch_fanout w
               SET cursor = COALESCE(p.last_id, w.cursor),
                   finished_at = CASE WHEN p.remaining = 0 THEN %s ELSE NULL END
              FROM progress p
             WHERE w.id = p.key
            RETURNING w.finished_at
        )
        SELECT (SELECT COUNT(*) FROM n), (SELECT COUNT(*) FROM d),
               (SELECT COUNT(*) FROM moved WHERE finished_at IS NULL),
               (SELECT array_agg(endpoint_id) FROM fresh WHERE immediate = 0 AND next_digest_at IS NULL)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, now, now, now, now, now])
        notifications, deliveries, unfinished, unscheduled = cursor.fetchone()
    return FanOut(notifications, deliveries, unfinished), list(unscheduled or [])


def _batch_portable(fanout_ids: list[int], *, now: datetime, limit: int) -> tuple[FanOut, list[int]]:
    """The same selection read back, and written with bulk inserts: for
    SQLite (the embedded default), where a CTE cannot insert."""
    selection, params = _selection(fanout_ids, limit)
    with connection.cursor() as cursor:
        cursor.execute(selection + " SELECT key, endpoint_id, immediate, channel, next_digest_at FROM fresh", params)
        fresh = cursor.fetchall()
        cursor.execute(selection + " SELECT key, last_id, remaining FROM progress", params)
        progress = cursor.fetchall()
    news = {f.pk: f for f in Fanout.objects.filter(pk__in={key for key, *_ in fresh})}
    immediate = [(key, endpoint_id, channel) for key, endpoint_id, now_wanted, channel, _ in fresh if now_wanted]
    deliveries = Delivery.objects.bulk_create([
        Delivery(public_id=new_delivery_id(), endpoint_id=endpoint_id, channel=channel, next_attempt_at=now,
                 created_at=now, updated_at=now)
        for _, endpoint_id, channel in immediate
    ])
    delivery_of = {(key, endpoint_id): d.pk for (key, endpoint_id, _), d in zip(immediate, deliveries)}
    Notification.objects.bulk_create(
        [
            Notification(
                endpoint_id=endpoint_id, item_id=news[key].item_id, cause=news[key].cause, kind=news[key].kind,
                news=news[key].news, change_id=news[key].change_id, reminder_id=news[key].reminder_id,
                lead=news[key].lead, schedule_version=news[key].schedule_version, headline=news[key].headline,
                detail=news[key].detail, verdict=news[key].verdict,
                delivery_id=delivery_of.get((key, endpoint_id)), created_at=now,
            )
            for key, endpoint_id, *_ in fresh
        ],
        ignore_conflicts=True,
    )
    # `fresh` holds only endpoints without this notification, and SQLite
    # serialises writers: every row of it was written.
    written = len(fresh)
    moved = [
        Fanout(pk=key, cursor=last_id if last_id is not None else 0, finished_at=None if remaining else now)
        for key, last_id, remaining in progress
    ]
    # A fan-out with no endpoint left in this batch keeps its cursor.
    keep = {key for key, last_id, _ in progress if last_id is None}
    Fanout.objects.bulk_update([f for f in moved if f.pk not in keep], ["cursor", "finished_at"])
    Fanout.objects.bulk_update([f for f in moved if f.pk in keep], ["finished_at"])
    unfinished = sum(1 for _, _, remaining in progress if remaining)
    unscheduled = [endpoint_id for _, endpoint_id, now_wanted, _, digest_at in fresh
                   if not now_wanted and digest_at is None]
    return FanOut(written, len(deliveries), unfinished), unscheduled


def _schedule_digests(endpoint_ids: list[int], *, now: datetime) -> None:
    """An endpoint owed digest news must have a digest coming. Subscribing sets
    it; this is the safety net for an endpoint whose schedule was never set."""
    unscheduled = Endpoint.objects.filter(pk__in=endpoint_ids, next_digest_at__isnull=True)
    for endpoint in unscheduled.select_related("subscriber"):
        Endpoint.objects.filter(pk=endpoint.pk, next_digest_at__isnull=True).update(
            next_digest_at=next_digest_at(endpoint.subscriber, after=now)
        )
