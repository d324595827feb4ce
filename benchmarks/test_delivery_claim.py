"""Claiming deliveries (watch.services.deliveries_claim: FOR UPDATE SKIP
LOCKED, in batches of WATCH_DELIVERY_BATCH) and reclaiming expired leases
(deliveries_reclaim), among Delivery tables of ~10k and ~200k rows.

The due rows are 1,000 pending deliveries; the rest of the table is what a
delivery log grows into: sent, dead and withdrawn rows, and failed ones
waiting for their next attempt. The claim reads `delivery_due`, the reclaim
`delivery_lease`.
"""

from datetime import timedelta

from django.conf import settings

from watch.models import Delivery, Endpoint
from watch.services import deliveries_claim, deliveries_reclaim, subscription_create

from .support import (
    DUE, LARGE, NOW, SMALL, WARMUP, bulk, capture_polling_sql, check, drain, measure, query_ms, report,
    vacuum_analyze,
)

CLAIM_INDEX = "delivery_due"
LEASE_INDEX = "delivery_lease"
LEASE = timedelta(seconds=settings.WATCH_DELIVERY_LEASE_SECONDS)
# The reclaim sweep runs once the leases of the claims have expired.
AFTER_LEASE = NOW + LEASE + timedelta(minutes=1)


def filler_deliveries(count: int, endpoint: Endpoint) -> None:
    states = [
        (0.92, Delivery.State.SENT), (0.03, Delivery.State.DEAD), (0.03, Delivery.State.WITHDRAWN),
        (0.02, Delivery.State.FAILED),
    ]

    def generate():
        written = 0
        for i, (share, state) in enumerate(states):
            n = count - written if i == len(states) - 1 else int(count * share)
            for k in range(n):
                at = NOW - timedelta(days=400) + timedelta(minutes=k)
                failed = state == Delivery.State.FAILED
                yield Delivery(
                    endpoint=endpoint, channel=endpoint.kind, state=state, attempts=1,
                    # Failed ones wait for their next attempt, after now.
                    next_attempt_at=NOW + timedelta(minutes=1 + k) if failed else None,
                    sent_at=at if state == Delivery.State.SENT else None,
                    created_at=at, updated_at=at,
                )
            written += n

    bulk(Delivery, generate())


def make_due(count: int, endpoint: Endpoint) -> None:
    bulk(Delivery, (
        Delivery(endpoint=endpoint, channel=endpoint.kind, next_attempt_at=NOW - timedelta(seconds=n % 60),
                 created_at=NOW - timedelta(minutes=1), updated_at=NOW - timedelta(minutes=1))
        for n in range(count)
    ))


def claim_once() -> int:
    return len(deliveries_claim(now=NOW, batch=settings.WATCH_DELIVERY_BATCH, lease=LEASE))


def reclaim_once() -> int:
    return deliveries_reclaim(now=AFTER_LEASE)


def is_claim_query(sql: str) -> bool:
    return 'FROM "watch_delivery"' in sql and "FOR UPDATE SKIP LOCKED" in sql


def is_reclaim_query(sql: str) -> bool:
    return sql.startswith("SELECT") and 'FROM "watch_delivery"' in sql and '"lease_expires_at" <=' in sql


def test_delivery_claim_cost_follows_the_work_due(machine):
    endpoint = subscription_create(
        now=NOW - timedelta(days=400), email="reader@example.org", everything=True, confirmed=True,
    ).subscription.email_endpoint
    # Setup: direct writes (bulk_create).
    filler_deliveries(SMALL - DUE - WARMUP, endpoint)
    make_due(WARMUP, endpoint)
    vacuum_analyze(Delivery)
    claim_sql, _ = capture_polling_sql(lambda: drain(claim_once), is_claim_query)
    reclaim_sql, _ = capture_polling_sql(lambda: drain(reclaim_once), is_reclaim_query)

    make_due(DUE, endpoint)
    vacuum_analyze(Delivery)
    small = measure(sql=claim_sql, sweep=lambda: drain(claim_once), rows=Delivery.objects.count(),
                    rehearsals=6)
    vacuum_analyze(Delivery)  # the planner learns that 1,000 rows are now `sending`
    small_reclaim = measure(sql=reclaim_sql, sweep=lambda: drain(reclaim_once), rows=small.rows)

    filler_deliveries(LARGE - SMALL, endpoint)
    make_due(DUE, endpoint)
    vacuum_analyze(Delivery)
    large = measure(sql=claim_sql, sweep=lambda: drain(claim_once), rows=Delivery.objects.count(),
                    rehearsals=6)
    seq_ms = query_ms(claim_sql, repeats=5, index_scans=False)
    vacuum_analyze(Delivery)
    large_reclaim = measure(sql=reclaim_sql, sweep=lambda: drain(reclaim_once), rows=large.rows)
    reclaim_seq_ms = query_ms(reclaim_sql, repeats=5, index_scans=False)

    report("delivery claim (SKIP LOCKED)", CLAIM_INDEX, small, large, seq_ms=seq_ms)
    report("lease reclaim", LEASE_INDEX, small_reclaim, large_reclaim, seq_ms=reclaim_seq_ms)
    check("delivery claim", CLAIM_INDEX, small, large)
    check("lease reclaim", LEASE_INDEX, small_reclaim, large_reclaim)
    # Reclaimed before any worker took them: back to pending, no attempt spent.
    assert Delivery.objects.filter(state=Delivery.State.PENDING, attempts=0).count() == WARMUP + 2 * DUE
