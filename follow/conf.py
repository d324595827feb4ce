"""The settings of following feeds, each from the environment with a default.

Read at each call, not at import, so a test's override (pytest-django's
`settings`) or a worker's environment reaches the next fetch. A Django
setting of the same name wins over the environment variable.

- FW_FOLLOW_ALLOWED_NETWORKS: CIDRs a feed or article may be fetched from;
  unset, public addresses only (tests: "127.0.0.1/32").
- FW_FOLLOW_MAX_BYTES: the most we read of one feed or page (default 2 MiB).
- FW_FOLLOW_TIMEOUT: seconds for the whole of one fetch (default 10).
- FW_FOLLOW_MAX_REDIRECTS: redirects followed, each checked by the guard (default 3).
- FW_FOLLOW_MAX_BACKOFF: the longest wait after errors, in seconds (default 6 h).
- FW_FOLLOW_BATCH: feeds one sweep claims at a time (default 10).
- FW_FOLLOW_READERS: reading tasks a sweep sends when articles wait (default 2).
- the sweep's time budget is the project's FW_SWEEP_BUDGET_SECONDS.
"""

from __future__ import annotations

from datetime import timedelta

import environ
from django.conf import settings

_env = environ.Env()


def _get(name: str, cast, default):
    if hasattr(settings, name):
        return getattr(settings, name)
    return getattr(_env, cast)(name, default=default)


def allowed_networks() -> list[str] | None:
    return _get("FW_FOLLOW_ALLOWED_NETWORKS", "list", None)


def max_bytes() -> int:
    return int(_get("FW_FOLLOW_MAX_BYTES", "int", 2 * 1024 * 1024))


def timeout() -> float:
    return float(_get("FW_FOLLOW_TIMEOUT", "float", 10.0))


def max_redirects() -> int:
    return int(_get("FW_FOLLOW_MAX_REDIRECTS", "int", 3))


def max_backoff() -> timedelta:
    return timedelta(seconds=int(_get("FW_FOLLOW_MAX_BACKOFF", "int", 6 * 3600)))


def batch() -> int:
    return int(_get("FW_FOLLOW_BATCH", "int", 10))


def budget() -> float:
    return float(settings.SWEEP_BUDGET_SECONDS)


def readers() -> int:
    return int(_get("FW_FOLLOW_READERS", "int", 2))
