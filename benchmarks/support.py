"""Helpers of the benchmarks: setup by direct writes, timing, EXPLAIN, the figures."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

# Table sizes compared, and the work due in each. SMALL and LARGE count the
# rows of the table the polling query reads, due rows included.
SMALL = 10_000
LARGE = 200_000
DUE = 1_000
# A few due rows swept before anything is timed: it warms the caches and the
# code paths, and yields the polling query's SQL (captured from the service
# itself, so the EXPLAIN is of what the service really sends).
WARMUP = 20
QUERY_REPEATS = 25
# Generous on purpose, for a shared and noisy machine: through its partial
# index a polling query costs the same among 10k and 200k rows (ratio near 1);
# a sequential scan costs in proportion to the table (ratio near 20).
MAX_RATIO = 3.0

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)

RESULTS: list[str] = []
MACHINE: dict[str, str] = {}


def record(line: str) -> None:
    RESULTS.append(line)


# -- Setup helpers (direct writes) -------------------------------------------

def bulk(model, rows: Iterable, *, batch: int = 5_000) -> list:
    """bulk_create in batches; returns the created objects (with their pks,
    which PostgreSQL hands back)."""
    created, chunk = [], []
    for row in rows:
        chunk.append(row)
        if len(chunk) == batch:
            created += model.objects.bulk_create(chunk)
            chunk = []
    if chunk:
        created += model.objects.bulk_create(chunk)
    return created


def insert_children(child_model, item_ids: list[int], *, expected: int | None = None, **values) -> None:
    """The child rows (Event, Milestone, Expectation) of Item rows just
    written directly (bulk_create refuses multi-table inheritance): one
    INSERT ... SELECT over the range of their ids (one write hands out
    consecutive ids, and nothing else writes items meanwhile), every other
    column at its model default unless given."""
    from django.db import connection

    if not item_ids:
        return
    columns, selects, params = ["item_ptr_id"], ["id"], []
    for f in child_model._meta.local_concrete_fields:
        if f.primary_key:
            continue
        value = values[f.name] if f.name in values else f.get_default()
        columns.append(f.column)
        selects.append(f"%s::{f.db_type(connection)}")
        params.append(f.get_db_prep_save(value, connection))
    sql = (
        f'INSERT INTO "{child_model._meta.db_table}" ({", ".join(columns)}) '
        f'SELECT {", ".join(selects)} FROM "timeline_item" WHERE id BETWEEN %s AND %s AND kind = %s'
    )
    kind = child_model._meta.model_name
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, min(item_ids), max(item_ids), kind])
        expected = len(item_ids) if expected is None else expected
        assert cursor.rowcount == expected, f"{cursor.rowcount} {kind} rows for {expected} items"


def vacuum_analyze(*models) -> None:
    """What autovacuum would have done by the next minute: dead row versions
    of the previous phase gone from the indexes, fresh statistics for the
    planner. Needs autocommit, hence transactional_db in every benchmark."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')


# -- Measuring ----------------------------------------------------------------

class QueryCounter:
    """Counts the queries sent through the connection (CaptureQueriesContext
    keeps only the last 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def capture_polling_sql(run: Callable[[], object], match: Callable[[str], bool]) -> tuple[str, list[str]]:
    """Run `run` (a warm-up sweep) and return the first query it sent that
    `match`es (with every query it sent): the polling query exactly as the
    service writes it, `now` included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        run()
    queries = [q["sql"] for q in ctx.captured_queries]
    for sql in queries:
        if match(sql):
            return sql, queries
    raise AssertionError("the sweep sent no query matching the polling query:\n" + "\n".join(queries[:20]))


def query_ms(sql: str, *, repeats: int = QUERY_REPEATS, index_scans: bool = True) -> float:
    """Median execution time in ms of `sql` inside PostgreSQL (EXPLAIN ANALYZE
    with TIMING OFF: the server's own clock, no per-node overhead, no network
    or row conversion in Python), each run rolled back so a FOR UPDATE locks
    nothing afterwards. With index_scans=False, the same query as the planner
    would run it without any index: what the partial index saves."""
    import json

    from django.db import connection, transaction

    samples = []
    for _ in range(repeats):
        with transaction.atomic():
            with connection.cursor() as cursor:
                if not index_scans:
                    for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
                        cursor.execute(f"SET LOCAL {setting} = off")
                cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}")
                raw = cursor.fetchone()[0]
            transaction.set_rollback(True)
        document = raw if isinstance(raw, list) else json.loads(raw)
        samples.append(document[0]["Execution Time"])
    return statistics.median(samples)


@dataclass
class Plan:
    text: str
    nodes: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (node type, index, relation)
    execution_ms: float = 0.0

    def uses_index(self, name: str) -> bool:
        return any(
            node in ("Index Scan", "Index Only Scan", "Bitmap Index Scan") and index == name
            for node, index, _ in self.nodes
        )

    def seq_scans(self) -> list[str]:
        return [relation for node, _, relation in self.nodes if node == "Seq Scan"]


def explain(sql: str) -> Plan:
    """EXPLAIN (ANALYZE, BUFFERS) of `sql`, rolled back, as text and as nodes."""
    import json

    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            raw = cursor.fetchone()[0]
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            text = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    document = raw if isinstance(raw, list) else json.loads(raw)
    plan = Plan(text=text, execution_ms=document[0].get("Execution Time", 0.0))

    def walk(node):
        plan.nodes.append((node["Node Type"], node.get("Index Name"), node.get("Relation Name")))
        for child in node.get("Plans", ()):
            walk(child)

    walk(document[0]["Plan"])
    return plan


@dataclass
class Phase:
    """One measurement of a sweep at one table size."""

    rows: int
    query_ms: float
    plan: Plan
    sweep_s: float
    queries: int
    done: int

    @property
    def per_row_ms(self) -> float:
        return self.sweep_s * 1000 / max(self.done, 1)


def measure(*, sql: str, sweep: Callable[[], int], rows: int, rehearsals: int = 0) -> Phase:
    """Time the polling query alone, EXPLAIN it, then time the whole sweep
    (drained as successive beat runs would drain it) and count its queries.

    A sweep that takes only tens of milliseconds (the delivery claim) is too
    short to time once on a shared machine: it is first rehearsed
    `rehearsals` times inside a transaction that is rolled back, and the
    median of every run is kept. Only the last run's work stays."""
    from django.db import connection, transaction

    polling_ms = query_ms(sql)
    plan = explain(sql)
    samples = []
    for _ in range(rehearsals):
        with transaction.atomic():
            started = time.perf_counter()
            sweep()
            samples.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        done = sweep()
        samples.append(time.perf_counter() - started)
    return Phase(rows=rows, query_ms=polling_ms, plan=plan, sweep_s=statistics.median(samples), queries=counter.count,
                 done=done)


def drain(run_once: Callable[[], int]) -> int:
    """Call a sweep until it finds nothing, as successive beat runs would."""
    total = 0
    while True:
        done = run_once()
        if not done:
            return total
        total += done


def report(name: str, index: str, small: Phase, large: Phase, *, seq_ms: float) -> None:
    for phase in (small, large):
        extra = f"; {seq_ms:.2f} ms with index scans off" if phase is large else ""
        record(
            f"{name} | {phase.done:,} due among {phase.rows:>7,} rows | sweep {phase.sweep_s:5.2f} s "
            f"({phase.per_row_ms:.1f} ms/row, {phase.queries:,} queries) | polling query {phase.query_ms:.3f} ms "
            f"via {index if phase.plan.uses_index(index) else 'ANOTHER PLAN'}{extra}"
        )
    record(
        f"{name} | ratio {large.rows // 1000}k/{small.rows // 1000}k rows | sweep {large.sweep_s / small.sweep_s:.2f} "
        f"| polling query {large.query_ms / small.query_ms:.2f}"
    )


def check(name: str, index: str, small: Phase, large: Phase, *, expected: int = DUE) -> None:
    """The assertions every polling benchmark shares."""
    assert small.done == large.done == expected, (
        f"{name}: expected {expected} rows handled at each size, got {small.done} and {large.done}"
    )
    assert large.plan.uses_index(index), (
        f"{name}: the polling query does not use {index} at {large.rows:,} rows:\n{large.plan.text}"
    )
    assert small.queries == large.queries, (
        f"{name}: the same work took {small.queries} queries among {small.rows:,} rows "
        f"and {large.queries} among {large.rows:,}"
    )
    assert large.sweep_s / small.sweep_s < MAX_RATIO, (
        f"{name}: the sweep took {small.sweep_s:.2f} s among {small.rows:,} rows "
        f"and {large.sweep_s:.2f} s among {large.rows:,}"
    )
    assert large.query_ms / small.query_ms < MAX_RATIO, (
        f"{name}: the polling query took {small.query_ms:.2f} ms among {small.rows:,} rows "
        f"and {large.query_ms:.2f} ms among {large.rows:,}:\n{large.plan.text}"
    )
