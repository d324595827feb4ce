"""Claiming deliveries: due ones only, in batches, and never the same row by
two claimers (FOR UPDATE SKIP LOCKED on PostgreSQL)."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, transaction

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import LEASE, subscribe
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services
from watch.models import Delivery


def make_deliveries(now, count):
    storyline = make_storyline(slug="claims")
    milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline])
    for n in range(count):
        subscribe(f"reader{n}@example.org", now=now, storyline="claims", news=["moves"])
    timeline.milestone_confirm(milestone=milestone, by=SYSTEM, now=now)
    services.process_changes(now=now)
    assert Delivery.objects.filter(state="pending").count() == count


@pytest.mark.django_db
def test_a_claim_takes_due_deliveries_up_to_the_batch_and_leases_them(now):
    make_deliveries(now, 5)
    claims = services.deliveries_claim(now=now, batch=3, lease=LEASE)

    assert len(claims) == 3
    claimed = Delivery.objects.filter(pk__in=[c.delivery_id for c in claims])
    assert {(d.state, d.lease_expires_at) for d in claimed} == {("sending", now + LEASE)}
    assert len(services.deliveries_claim(now=now, batch=10, lease=LEASE)) == 2
    assert services.deliveries_claim(now=now, batch=10, lease=LEASE) == []


@pytest.mark.django_db
def test_failed_deliveries_are_claimed_only_once_their_next_attempt_is_due(now):
    make_deliveries(now, 1)
    Delivery.objects.update(state="failed", next_attempt_at=now + timedelta(minutes=4))
    assert services.deliveries_claim(now=now, batch=10, lease=LEASE) == []
    assert len(services.deliveries_claim(now=now + timedelta(minutes=4), batch=10, lease=LEASE)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_second_claimer_skips_rows_the_first_holds_instead_of_waiting(now):
    make_deliveries(now, 20)
    first_holds_its_rows = threading.Event()
    second_done = threading.Event()
    claims, errors = {}, []

    def first():
        try:
            with transaction.atomic():  # keeps the row locks until the second one has claimed
                claims["first"] = services.deliveries_claim(now=now, batch=10, lease=LEASE)
                first_holds_its_rows.set()
                if not second_done.wait(10):
                    errors.append("the second claimer blocked on the rows the first one holds")
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    def second():
        try:
            first_holds_its_rows.wait(10)
            claims["second"] = services.deliveries_claim(now=now, batch=100, lease=LEASE)
            second_done.set()
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    first_ids = {c.delivery_id for c in claims["first"]}
    second_ids = {c.delivery_id for c in claims["second"]}
    assert len(first_ids) == 10 and len(second_ids) == 10
    assert not first_ids & second_ids
    assert Delivery.objects.filter(state="sending").count() == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_concurrent_claimers_claim_every_row_exactly_once(now):
    make_deliveries(now, 60)
    start = threading.Barrier(4)
    claimed: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def claimer():
        try:
            start.wait(20)
            while batch := services.deliveries_claim(now=now, batch=7, lease=LEASE):
                with lock:
                    claimed.extend(c.delivery_id for c in batch)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert len(claimed) == 60
    assert len(set(claimed)) == 60
