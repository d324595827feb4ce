"""Row factories for the benchmarks' setup. They write rows directly (no
service, no change row): bulk_create of plain model instances, and for the
200k filler items one INSERT ... SELECT over generate_series, since
bulk_create of an Item with its child row costs ~100 us a row in Python and
`make bench` has three minutes. Only setup uses them; what is timed is always
a service."""

from __future__ import annotations

from datetime import datetime, timedelta

from timeline.models import Event, Expectation, Item, Milestone

from .support import bulk, insert_children

CHILD = {Item.Kind.EVENT: Event, Item.Kind.MILESTONE: Milestone, Item.Kind.EXPECTATION: Expectation}


def items(
    count: int,
    *,
    kind: str,
    status: str,
    first_start: datetime,
    step: timedelta,
    length: timedelta = timedelta(days=1),
    editorial_state: str = Item.EditorialState.PUBLISHED,
    overdue_noticed_at: datetime | None = None,
    created_at: datetime,
    title: str = "Filler",
    **child_values,
) -> list[int]:
    """`count` items of one kind and status, day windows starting at
    `first_start` and `step` apart, with their child rows. Returns the ids."""
    rows = []
    for n in range(count):
        start = first_start + step * n
        rows.append(Item(
            kind=kind, title=f"{title} {kind} {n}", status=status, editorial_state=editorial_state,
            when_text=f"{start:%Y-%m-%d}", when_start=start, when_end=start + length, when_precision="day",
            when_tz="UTC", when_edtf=f"{start:%Y-%m-%d}", sort_key=start, overdue_noticed_at=overdue_noticed_at,
            created_at=created_at, updated_at=created_at,
        ))
    ids = [item.pk for item in bulk(Item, rows)]
    insert_children(CHILD[kind], ids, **child_values)
    return ids


def series_items(
    count: int, *, kind: str, status: str, first_start: datetime, step: timedelta, created_at: datetime,
    length: timedelta = timedelta(days=1), **child_values,
) -> None:
    """Like items(), published day windows, written by PostgreSQL itself
    (generate_series): the same columns bulk_create would write."""
    from django.db import connection

    if count <= 0:
        return
    sql = """
        WITH new AS (
            INSERT INTO "timeline_item" (
                public_id, kind, title, summary, place, status, editorial_state, when_text, when_as_of,
                when_start, when_end, when_precision, when_approximate, when_tz, when_edtf, sort_key,
                revision, schedule_version, overdue_noticed_at, created_at, updated_at, created_by_id)
            SELECT gen_random_uuid(), %(kind)s, 'Filler ' || %(kind)s || ' ' || n, '', '', %(status)s, 'published',
                   to_char(s, 'YYYY-MM-DD'), NULL, s, s + %(length)s, 'day', false, 'UTC', to_char(s, 'YYYY-MM-DD'), s,
                   1, 1, NULL, %(created_at)s, %(created_at)s, NULL
            FROM generate_series(0, %(count)s - 1) AS n, LATERAL (SELECT %(first)s + n * %(step)s AS s) AS w
            ORDER BY n
            RETURNING id
        )
        SELECT min(id), max(id), count(*) FROM new
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"kind": kind, "status": status, "length": length, "created_at": created_at,
                             "count": count, "first": first_start, "step": step})
        first_id, last_id, written = cursor.fetchone()
    assert written == count
    insert_children(CHILD[kind], [first_id, last_id], expected=count, **child_values)


def filler_items(total: int, *, now: datetime) -> None:
    """`total` items in the mix a record grows into: most of them done with
    (events, milestones that happened or were cancelled, settled
    expectations), some still ahead. None of them is due for any sweep."""
    past, ahead = now - timedelta(days=3 * 365), now + timedelta(days=1)
    mix = [
        # (share, kind, status, first start, extra child values)
        (0.40, Item.Kind.EVENT, Item.Status.RECORDED, past, {}),
        (0.10, Item.Kind.MILESTONE, Item.Status.HAPPENED, past, {}),
        (0.10, Item.Kind.MILESTONE, Item.Status.CANCELLED, past, {"cancel_reason": "Called off."}),
        (0.10, Item.Kind.EXPECTATION, Item.Status.MET, past, {"decided_by": "editor"}),
        (0.10, Item.Kind.EXPECTATION, Item.Status.MISSED, past, {"decided_by": "system"}),
        (0.10, Item.Kind.MILESTONE, Item.Status.SCHEDULED, ahead, {}),
        (0.10, Item.Kind.EXPECTATION, Item.Status.OPEN, ahead, {}),
    ]
    written = 0
    for i, (share, kind, status, first, extra) in enumerate(mix):
        count = total - written if i == len(mix) - 1 else int(total * share)
        # Spread over about three years (past) or one year (ahead).
        span = timedelta(days=3 * 365 if first == past else 365)
        series_items(count, kind=kind, status=status, first_start=first, step=span / max(count, 1),
                     created_at=now - timedelta(days=3 * 365), **extra)
        written += count
