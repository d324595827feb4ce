"""`make bench` at a tiny scale, so it does not rot: every part runs (real
workers, receivers and gunicorn included), exits 0, and writes every key the
issue asks for. No figure is judged here: speed is the bench's business."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
KEYS = [
    "fanout_ratio_vs_raw", "fanout_100k_seconds", "change_rows_per_s", "sweep_size_ratio", "postpone_seconds",
    "postpone_broker_messages_left", "eta_peer_schedule_seconds", "eta_peer_broker_messages_left_after_postpone",
    "eta_peer_worker_rss_mb", "worker_rss_mb", "worker_rss_idle_mb", "webhook_ratio_vs_raw", "email_ratio_vs_raw",
    "api_query_counts", "api_p50_ratio_vs_bare", "when_phrases_per_s", "when_ratio_vs_dateparser",
]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_bench_runs_at_a_tiny_scale_and_writes_every_key(redis_url, tmp_path):
    settings = connection.settings_dict
    # A database of its own beside the test database: the bench empties its tables.
    name = f"{settings['NAME']}_bench"
    server = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    results = tmp_path / "results.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "FW_", "DATABASE_"))}
    env.update(BENCH_SCALE="0.0001", BENCH_DATABASE_URL=f"{server}/{name}", BENCH_REDIS_URL=redis_url,
               BENCH_RESULTS=str(results))
    try:
        run = subprocess.run([sys.executable, "-m", "benchmarks.run"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=600)
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    figures = json.loads(results.read_text())
    missing = [key for key in KEYS if key not in figures]
    assert not missing, missing
    try:
        import dateparser  # noqa: F401
    except ImportError:
        figures.pop("when_ratio_vs_dateparser")  # bench-only requirement; null without it
    assert all(figures[key] is not None for key in KEYS if key in figures)
    assert figures["api_query_counts_all_equal"] is True, figures["api_query_counts"]
    assert "fanout_ratio_vs_raw" in run.stdout  # the table was printed
