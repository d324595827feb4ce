"""Helpers for race tests on PostgreSQL: hold a row lock from a connection
of our own, run requests in threads, and wait until they queue on locks.

The requests run through the real stack in threads, each with its own
database connection, so the interleaving is PostgreSQL's, not a mock's.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import psycopg
from django.db import connection, connections


@contextmanager
def row_locked(table: str, pk: int):
    """Hold `SELECT ... FOR UPDATE` on one row until the block ends."""
    settings = connection.settings_dict
    with psycopg.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or None,
                         port=settings["PORT"] or None, password=settings["PASSWORD"] or None) as blocker:
        with blocker.cursor() as cursor:
            cursor.execute(f'SELECT 1 FROM "{table}" WHERE id = %s FOR UPDATE', [pk])
            yield
        blocker.commit()


def wait_for_lock_waiters(count: int, timeout: float = 15.0) -> None:
    """Return once `count` backends of the test database wait on a lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
        time.sleep(0.05)
    raise AssertionError(f"{count} requests never queued on a lock within {timeout}s")


class InThread(threading.Thread):
    """Run fn in a thread with its own connection; keep its result or error."""

    def __init__(self, fn):
        super().__init__(daemon=True)
        self.fn, self.result, self.error = fn, None, None

    def run(self):
        try:
            self.result = self.fn()
        except BaseException as exc:  # re-raised in the test by outcome()
            self.error = exc
        finally:
            connections.close_all()

    def outcome(self, timeout: float = 30.0):
        self.join(timeout)
        assert not self.is_alive(), "the request never finished"
        if self.error:
            raise self.error
        return self.result
