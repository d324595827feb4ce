"""Two writers, one milestone, on PostgreSQL: exactly one wins.

Each writer is a thread with its own database connection. Both load the
milestone first (two editors with the same page open), then write at once.
The first holds its transaction open after its UPDATE until PostgreSQL shows
the second waiting on the row lock (pg_stat_activity), so every iteration
really overlaps; the second then re-evaluates its WHERE clause against the
committed row, matches nothing and stops with StaleRevision. SQLite would
hide all this: its writers queue on one database lock, never on a row.
"""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.builders import day_when, make_expectation, make_milestone
from timeline import services
from timeline.exceptions import StaleRevision
from timeline.models import Change, Event, Milestone

from .helpers import month_when

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ITERATIONS = 20
TIMEOUT = 10  # seconds; a healthy iteration takes milliseconds


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def wait_until_waiting_on_a_lock(pid: int) -> None:
    """Poll from the test's own connection (in autocommit, so each query sees a
    fresh pg_stat_activity) until backend `pid` waits on a lock."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
        if row and row[0] == "Lock":
            return
        time.sleep(0.002)
    raise AssertionError(f"backend {pid} never waited on the row lock")


class Writer(threading.Thread):
    """Runs `load` then `write` on a connection of its own; keeps the result or the error."""

    def __init__(self, name, load, write, barrier, *, hold: threading.Event | None = None,
                 after: threading.Event | None = None):
        super().__init__(name=name, daemon=True)
        self.load, self.write, self.barrier = load, write, barrier
        self.hold = hold  # the first writer keeps its transaction open until this is set
        self.after = after  # the second writer starts only once this is set
        self.updated = threading.Event()
        self.pid: int | None = None
        self.ready = threading.Event()
        self.result = None
        self.error: BaseException | None = None

    def run(self):
        try:
            self.pid = backend_pid()
            copy = self.load()
            self.ready.set()
            self.barrier.wait(timeout=TIMEOUT)
            if self.after is not None:
                assert self.after.wait(TIMEOUT), "the first writer never wrote"
            if self.hold is not None:
                with transaction.atomic():
                    self.result = self.write(copy)
                    self.updated.set()
                    assert self.hold.wait(TIMEOUT), "never released"
            else:
                self.result = self.write(copy)
        except BaseException as exc:  # reported by the test, in the main thread
            self.error = exc
        finally:
            self.updated.set()
            connection.close()


def race(load, first, second):
    """`first` and `second` write the row `load` reads, overlapping for sure.

    Returns (first writer, second writer) once both are done.
    """
    barrier = threading.Barrier(2)
    release = threading.Event()
    a = Writer("first", load, first, barrier, hold=release)
    b = Writer("second", load, second, barrier, after=a.updated)
    a.start()
    b.start()
    try:
        assert a.updated.wait(TIMEOUT)
        if a.error is None:
            assert b.ready.wait(TIMEOUT)
            wait_until_waiting_on_a_lock(b.pid)
    finally:
        release.set()
        a.join(TIMEOUT)
        b.join(TIMEOUT)
    assert not a.is_alive() and not b.is_alive(), "a writer hung"
    return a, b


def free_race(load, first, second):
    """Both write as soon as the barrier opens; who wins is up to the scheduler."""
    barrier = threading.Barrier(2)
    a, b = Writer("a", load, first, barrier), Writer("b", load, second, barrier)
    a.start()
    b.start()
    a.join(TIMEOUT)
    b.join(TIMEOUT)
    assert not a.is_alive() and not b.is_alive(), "a writer hung"
    return a, b


def load_milestone(pk):
    return lambda: Milestone.objects.get(pk=pk)


def confirm(editor, now):
    return lambda m: services.milestone_confirm(milestone=m, by=editor, now=now)


def cancel(editor, now):
    return lambda m: services.milestone_cancel(milestone=m, by=editor, now=now, reason="Called off.")


def postpone(editor, now, when):
    return lambda m: services.milestone_postpone(milestone=m, by=editor, now=now, when=when)


def happened(editor, now):
    return lambda m: services.milestone_mark_happened(milestone=m, by=editor, now=now,
                                                      actual=day_when(date(2026, 12, 28)))


def one_winner(a, b):
    """The writer that won and the one that lost; fails on anything else."""
    errors = [w.error for w in (a, b) if w.error is not None]
    assert len(errors) == 1, f"expected exactly one loser, got errors {errors!r}"
    [error] = errors
    assert isinstance(error, StaleRevision), repr(error)
    return (a, b) if b.error is not None else (b, a)


@pytest.mark.parametrize("first_kind, second_kind", [("cancelled", "confirmed"), ("confirmed", "cancelled"),
                                                     ("happened", "cancelled")])
def test_conflicting_transitions_one_wins_the_other_is_stale(editor, now, first_kind, second_kind):
    writes = {"cancelled": cancel(editor, now), "confirmed": confirm(editor, now), "happened": happened(editor, now)}
    for _ in range(ITERATIONS):
        milestone = make_milestone(now=now, when=day_when(date(2026, 12, 28)))
        events_before = Event.objects.count()

        a, b = race(load_milestone(milestone.pk), writes[first_kind], writes[second_kind])

        winner, loser = one_winner(a, b)
        assert winner is a, "the writer that holds the row lock wins"
        assert (loser.error.expected, loser.error.current) == (1, 2)
        fresh = Milestone.objects.get(pk=milestone.pk)
        assert fresh.revision == 2, "exactly one write went through"
        assert fresh.status == first_kind
        kinds = list(Change.objects.filter(item_id=milestone.pk).exclude(kind="created").values_list("kind", flat=True))
        assert kinds == [first_kind]
        expected_events = events_before + (1 if first_kind == "happened" else 0)
        assert Event.objects.count() == expected_events, "the loser's event was rolled back"


def test_two_postpones_one_wins(editor, now):
    february, march = month_when(2027, 2), month_when(2027, 3)
    for _ in range(ITERATIONS):
        milestone = make_milestone(now=now, when=day_when(date(2026, 12, 28)))

        a, b = race(load_milestone(milestone.pk), postpone(editor, now, february), postpone(editor, now, march))

        winner, loser = one_winner(a, b)
        assert winner is a
        fresh = Milestone.objects.get(pk=milestone.pk)
        assert (fresh.revision, fresh.postponed_count) == (2, 1)
        assert fresh.when == february
        assert Change.objects.filter(item_id=milestone.pk, kind="postponed").count() == 1


def test_a_free_race_never_has_two_winners(editor, now):
    """No choreography: sometimes they overlap, sometimes not; the invariant holds either way."""
    for i in range(ITERATIONS):
        milestone = make_milestone(now=now, when=day_when(date(2026, 12, 28)))
        writes = (cancel(editor, now), confirm(editor, now)) if i % 2 else (confirm(editor, now), cancel(editor, now))

        winner, _ = one_winner(*free_race(load_milestone(milestone.pk), *writes))

        fresh = Milestone.objects.get(pk=milestone.pk)
        assert fresh.revision == 2
        assert Change.objects.filter(item_id=milestone.pk, kind__in=["cancelled", "confirmed"]).count() == 1
        assert fresh.status in ("cancelled", "confirmed")


def test_two_sweeps_at_once_notice_an_overdue_item_once(now):
    for _ in range(ITERATIONS):
        milestone = make_milestone(now=now - timedelta(days=60), when=day_when(date(2026, 10, 1)))

        a, b = race(lambda: None, lambda _: services.items_notice_overdue(now=now),
                    lambda _: services.items_notice_overdue(now=now))

        assert (a.error, b.error) == (None, None)
        assert (a.result, b.result) == (1, 0), "the second sweep found the row taken and moved on"
        assert Change.objects.filter(item_id=milestone.pk, kind="overdue_noticed").count() == 1
        # Out of the next iteration's way.
        services.milestone_cancel(milestone=Milestone.objects.get(pk=milestone.pk), by="system", now=now,
                                  reason="Done with this iteration.")


def test_two_grace_sweeps_at_once_give_one_verdict(now):
    for _ in range(ITERATIONS):
        expectation = make_expectation(now=now - timedelta(days=60), when=day_when(date(2026, 10, 1)))

        a, b = race(lambda: None, lambda _: services.expectations_apply_grace(now=now),
                    lambda _: services.expectations_apply_grace(now=now))

        assert (a.error, b.error) == (None, None)
        assert (a.result, b.result) == (1, 0)
        assert Change.objects.filter(item_id=expectation.pk, kind="settled").count() == 1


# -- Why the services update the Item row on its own ----------------------------


def test_an_update_through_the_child_model_does_not_guard_the_item_row(now):
    """Milestone.objects.filter(pk=..., revision=...).update(status=...) reads the
    matching ids with a plain SELECT, then updates the Item row by id alone:
    the revision filter never reaches the UPDATE."""
    milestone = make_milestone(now=now, when=day_when(date(2026, 12, 28)))

    with CaptureQueriesContext(connection) as queries:
        Milestone.objects.filter(pk=milestone.pk, revision=1).update(status="confirmed")

    [select, update] = [q["sql"] for q in queries.captured_queries]
    assert select.startswith("SELECT") and '"timeline_item"."revision" = 1' in select
    assert " FOR UPDATE" not in select
    assert update.startswith('UPDATE "timeline_item"')
    assert "revision" not in update, update


def test_so_two_child_updates_both_win(now):
    """The lost update the services avoid: both writers read revision 1, both
    'conditional' updates report one row, and the second silently overwrites."""
    for _ in range(ITERATIONS // 4):
        milestone = make_milestone(now=now, when=day_when(date(2026, 12, 28)))

        def child_update(status):
            return lambda m: Milestone.objects.filter(pk=m.pk, revision=m.revision).update(
                status=status, revision=m.revision + 1)

        a, b = race(load_milestone(milestone.pk), child_update("cancelled"), child_update("confirmed"))

        assert (a.error, b.error) == (None, None)
        assert (a.result, b.result) == (1, 1), "both think they won"
        assert Milestone.objects.get(pk=milestone.pk).status == "confirmed", "the first write is lost"


def test_the_services_update_of_the_item_row_is_the_guard(editor, now):
    milestone = make_milestone(now=now, when=day_when(date(2026, 12, 28)))

    with CaptureQueriesContext(connection) as queries:
        services.milestone_cancel(milestone=milestone, by=editor, now=now, reason="Called off.")

    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert updates[0].startswith('UPDATE "timeline_item"')
    assert '"timeline_item"."revision" = 1' in updates[0], "the first UPDATE is filtered on the revision read"
    assert updates[1].startswith('UPDATE "timeline_milestone"'), "then the child's own fields"
