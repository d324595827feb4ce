"""Benchmarks: does a sweep cost what is due, or what is stored?

Run with `DATABASE_URL=postgres://... make bench`. Every benchmark of a sweep
needs PostgreSQL (the partial indexes, SKIP LOCKED and the planner are what is
being measured); without it each one is skipped and says why, or fails under
REQUIRE_SERVICES=1, as the normal suite does. The When parser's needs no
database.

The machine is shared and noisy, so no benchmark asserts an absolute time.
Each one measures the same work (the same number of due rows) twice in one
run, once among ~10k rows of the table and once among ~200k, and asserts on
ratios and on facts the noise cannot touch: the number of queries, and the
plan PostgreSQL chooses (EXPLAIN ANALYZE after VACUUM ANALYZE) for the polling
query, which must go through its named partial index.

Setup writes rows directly (bulk_create, and INSERT ... SELECT for the child
tables of multi-table inheritance, which bulk_create refuses): 200k rows
through the services would take far longer than the whole budget of `make
bench`. What is timed is always the real service a beat task calls.

The figures of a run are printed at the end (pytest_terminal_summary), with
the machine and the PostgreSQL version; docs/performance.md records one run.
"""

from __future__ import annotations

import os

import pytest

from .support import DUE, LARGE, MACHINE, RESULTS, SMALL

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def pytest_runtest_setup(item):
    from django.db import connection

    # Those that take `machine` measure the database; the parser's needs none.
    if "machine" in item.fixturenames and connection.vendor != "postgresql":
        reason = (
            f"benchmarks need PostgreSQL, but the database is {connection.vendor}: "
            "run DATABASE_URL=postgres://USER@HOST/DB make bench"
        )
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this is an error, not a skip)", pytrace=False)
        pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    if not RESULTS:
        return
    terminalreporter.section("benchmark figures")
    if MACHINE:
        terminalreporter.write_line(
            f"machine: nproc={MACHINE['nproc']}, {MACHINE['postgres']}; "
            f"sizes {SMALL:,} vs {LARGE:,} rows, {DUE:,} due rows each; times are medians where repeated"
        )
    for line in RESULTS:
        terminalreporter.write_line(line)


@pytest.fixture
def machine(transactional_db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    MACHINE.update(nproc=str(os.cpu_count()), postgres=f"PostgreSQL {version.split()[0]}")
    return MACHINE
