"""The overdue sweep (timeline.services.sweep_overdue, every minute): notice
what became overdue, then miss what stayed open past its grace period.

The same 1,000 overdue items (500 expectations past their grace, 500
milestones) are swept among ~10k and among ~200k items. The notice query reads
`item_overdue_unnoticed`, the grace scan `item_open_by_end`; everything else in
the table (events, settled and happened items, items still ahead) must cost
nothing.
"""

from datetime import timedelta

import pytest

from timeline.models import Expectation, Item, Milestone
from timeline.services import expectations_apply_grace, sweep_overdue

from . import rows
from .support import (
    DUE, LARGE, NOW, SMALL, WARMUP, capture_polling_sql, check, drain, measure, record, report,
    query_ms, vacuum_analyze,
)

NOTICE_INDEX = "item_overdue_unnoticed"
GRACE_INDEX = "item_open_by_end"


def make_due(count: int, *, batch: int, milestones: bool = True) -> None:
    """`count` published open items whose window ended weeks ago (past the
    default grace of 7 days): half expectations, half milestones, or only
    expectations. The expectations' windows end before the milestones', so
    the sweep (oldest first) notices and misses them in its first run, then
    notices the milestones: the same runs at every size."""
    half = count // 2 if milestones else count
    ended = NOW - timedelta(days=60) + timedelta(minutes=batch)
    rows.items(half, kind=Item.Kind.EXPECTATION, status=Item.Status.OPEN, first_start=ended - timedelta(days=2),
               step=timedelta(seconds=1), created_at=NOW - timedelta(days=90), title=f"Due {batch}")
    if half == count:
        return
    rows.items(count - half, kind=Item.Kind.MILESTONE, status=Item.Status.SCHEDULED,
               first_start=ended - timedelta(days=1), step=timedelta(seconds=1),
               created_at=NOW - timedelta(days=90), title=f"Due {batch}")


def sweep_once() -> int:
    result = sweep_overdue(now=NOW)
    return result["noticed"] + result["missed"]


def grace_once() -> int:
    return expectations_apply_grace(now=NOW)


def is_notice_query(sql: str) -> bool:
    return sql.startswith("SELECT") and '"overdue_noticed_at" IS NULL' in sql and "LIMIT" in sql


def is_grace_query(sql: str) -> bool:
    # The grace scan's polling query: open overdue expectations' ids, read
    # from the Item table alone (the rows are then fetched by id).
    return (
        sql.startswith('SELECT "timeline_item"."id"')
        and "expectation" in sql
        and 'ORDER BY "timeline_item"."when_end" ASC' in sql
    )


def test_overdue_sweep_cost_follows_the_work_due(machine):
    # Setup: direct writes (see rows.py), then a warm-up sweep that also
    # yields the notice query as the service sends it.
    rows.filler_items(SMALL - DUE - WARMUP, now=NOW)
    make_due(WARMUP, batch=0)
    vacuum_analyze(Item, Expectation, Milestone)
    notice_sql, _ = capture_polling_sql(lambda: drain(sweep_once), is_notice_query)

    make_due(DUE, batch=1)
    vacuum_analyze(Item, Expectation, Milestone)
    small = measure(sql=notice_sql, sweep=lambda: drain(sweep_once), rows=Item.objects.count())

    rows.filler_items(LARGE - SMALL, now=NOW)
    make_due(DUE, batch=2)
    vacuum_analyze(Item, Expectation, Milestone)
    large = measure(sql=notice_sql, sweep=lambda: drain(sweep_once), rows=Item.objects.count())
    seq_ms = query_ms(notice_sql, repeats=5, index_scans=False)

    report("overdue sweep (notice + grace)", NOTICE_INDEX, small, large, seq_ms=seq_ms)
    # Every due item noticed once, and the 500 expectations missed.
    check("overdue sweep", NOTICE_INDEX, small, large, expected=DUE + DUE // 2)


def test_grace_scan_reads_only_open_overdue_expectations(machine):
    """The grace rule alone: 500 expectations past their grace among ~10k
    and ~200k items. Its query must not read the expectation table whole."""
    rows.filler_items(SMALL - DUE // 2 - WARMUP, now=NOW)
    make_due(WARMUP, batch=0, milestones=False)
    vacuum_analyze(Item, Expectation, Milestone)
    grace_sql, _ = capture_polling_sql(lambda: drain(grace_once), is_grace_query)

    make_due(DUE // 2, batch=1, milestones=False)
    vacuum_analyze(Item, Expectation, Milestone)
    small = measure(sql=grace_sql, sweep=lambda: drain(grace_once), rows=Item.objects.count())

    rows.filler_items(LARGE - SMALL, now=NOW)
    make_due(DUE // 2, batch=2, milestones=False)
    vacuum_analyze(Item, Expectation, Milestone)
    large = measure(sql=grace_sql, sweep=lambda: drain(grace_once), rows=Item.objects.count())
    seq_ms = query_ms(grace_sql, repeats=5, index_scans=False)

    report("grace scan", GRACE_INDEX, small, large, seq_ms=seq_ms)
    record(f"grace scan | plan among {large.rows:,} rows: " + " > ".join(
        f"{node}{f' on {relation}' if relation else ''}{f' using {index}' if index else ''}"
        for node, index, relation in large.plan.nodes
    ))
    assert "timeline_expectation" not in large.plan.seq_scans(), (
        f"the grace scan reads timeline_expectation whole at {large.rows:,} rows:\n{large.plan.text}"
    )
    check("grace scan", GRACE_INDEX, small, large, expected=DUE // 2)
