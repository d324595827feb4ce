"""Setup of `make bench` written by PostgreSQL itself (INSERT ... SELECT over
generate_series): audiences of subscribers, due rows, change rows and the
filler of the sweeps' tables. Only setup; what is timed is always a service
or a worker. The column lists are the models' (watch/models.py)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.db import connection


def execute(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def audience(*, count: int, now: datetime, target: str, target_ids: tuple[int, int] | int, per_target: int = 1,
             channel: str = "email", address: str = "", secret: str = "", cadence: str = "immediate",
             lead_times=(86400, 604800), wants_new_items: bool = True, prefix: str = "r") -> None:
    """`count` confirmed subscribers, one endpoint and one subscription each.
    target_ids: one id (storyline or item) for all, or a range (first, last)
    of item ids, `per_target` subscribers for each."""
    if isinstance(target_ids, int):
        target_expr, params_target = "%(target_id)s", {"target_id": target_ids}
    else:
        target_expr, params_target = "%(first)s + (s.n - 1) / %(per)s", {"first": target_ids[0], "per": per_target}
    column = {"storyline": "storyline_id", "item": "item_id"}[target]
    email_endpoint, webhook_endpoint = ("e.id", "NULL") if channel == "email" else ("NULL", "e.id")
    execute(
        f"""
        WITH s AS (
            INSERT INTO watch_subscriber (user_id, email, tz, digest_hour, created_at)
            SELECT NULL, %(prefix)s || n || '@bench.example.org', 'UTC', 8, %(now)s FROM generate_series(1, %(count)s) n
            RETURNING id, email, CAST(split_part(split_part(email, '@', 1), %(prefix)s, 2) AS bigint) AS n
        ),
        e AS (
            INSERT INTO watch_endpoint (subscriber_id, kind, address, secret, previous_secret,
                                        previous_secret_expires_at, next_digest_at, created_at)
            SELECT s.id, %(channel)s, CASE WHEN %(channel)s = 'email' THEN s.email ELSE %(address)s END,
                   %(secret)s, '', NULL, NULL, %(now)s
              FROM s
            RETURNING id, subscriber_id
        )
        INSERT INTO watch_subscription (subscriber_id, target, storyline_id, actor_id, item_id, wants_reminders,
                                        wants_moves, wants_verdicts, wants_new_items, email_endpoint_id,
                                        webhook_endpoint_id, cadence, lead_times, confirmed_at, unsubscribed_at,
                                        created_at, updated_at, version, feed_token)
        SELECT e.subscriber_id, %(target)s,
               {target_expr if column == "storyline_id" else "NULL"}, NULL,
               {target_expr if column == "item_id" else "NULL"},
               TRUE, TRUE, TRUE, %(new_items)s, {email_endpoint}, {webhook_endpoint}, %(cadence)s,
               CAST(%(leads)s AS jsonb), %(now)s, NULL, %(now)s, %(now)s, 1, NULL
          FROM e JOIN s ON s.id = e.subscriber_id
        """,
        {"count": count, "now": now, "prefix": prefix, "channel": channel, "address": address, "secret": secret,
         "target": target, "new_items": wants_new_items, "cadence": cadence, "leads": json.dumps(list(lead_times)),
         **params_target},
    )


def link_items_to_storyline(first_id: int, last_id: int, storyline_id: int) -> None:
    execute("INSERT INTO timeline_item_storylines (item_id, storyline_id) SELECT id, %s FROM timeline_item "
            "WHERE id BETWEEN %s AND %s", [storyline_id, first_id, last_id])


def item_range(kind: str | None = None) -> tuple[int, int]:
    where = "WHERE kind = %s" if kind else ""
    [(first, last)] = execute(f"SELECT min(id), max(id) FROM timeline_item {where}", [kind] if kind else None)
    return first, last


def due_rows(*, first_item: int, last_item: int, state: str, due_at: datetime, step: timedelta, now: datetime,
             lead: timedelta = timedelta(days=1), copies: int = 1) -> None:
    """Reminder rows for a range of items (`copies` schedule versions each)."""
    execute(
        """
        INSERT INTO watch_reminderdue (item_id, lead, schedule_version, due_at, state, settled_at, note, created_at)
        SELECT i.id, %(lead)s, v, %(due)s + (i.id - %(first)s) * %(step)s, %(state)s,
               CASE WHEN %(state)s = 'pending' THEN NULL ELSE %(now)s END, '', %(now)s
          FROM timeline_item i, generate_series(1, %(copies)s) v
         WHERE i.id BETWEEN %(first)s AND %(last)s
        """,
        {"lead": lead, "due": due_at, "first": first_item, "last": last_item, "step": step, "state": state,
         "now": now, "copies": copies},
    )


def change_rows(*, first_item: int, last_item: int, kind: str, public: bool, now: datetime,
                processed: bool, copies: int = 1, before=None, after=None) -> None:
    execute(
        """
        INSERT INTO timeline_change (by_user_id, by_label, at, before, after, item_id, kind, reason, public_note,
                                     revision, schedule_version, public, processed_at)
        SELECT NULL, 'system', %(now)s, CAST(%(before)s AS jsonb), CAST(%(after)s AS jsonb), i.id, %(kind)s, '', '',
               i.revision, i.schedule_version, %(public)s, %(processed)s
          FROM timeline_item i, generate_series(1, %(copies)s) c
         WHERE i.id BETWEEN %(first)s AND %(last)s
        """,
        {"now": now, "before": json.dumps(before or {}), "after": json.dumps(after or {}), "kind": kind,
         "public": public, "processed": now if processed else None, "first": first_item, "last": last_item,
         "copies": copies},
    )


def delivery_rows(*, endpoint_id: int, count: int, state: str, now: datetime) -> None:
    execute(
        """
        INSERT INTO watch_delivery (public_id, endpoint_id, channel, is_digest, state, attempts, next_attempt_at,
                                    lease_token, lease_expires_at, send_started_at, last_error, withdrawn_reason,
                                    created_at, sent_at, updated_at)
        SELECT 'msg_' || replace(CAST(gen_random_uuid() AS text), '-', ''), %(endpoint)s, 'email', FALSE, %(state)s,
               CASE WHEN %(state)s = 'sent' THEN 1 ELSE 0 END,
               CASE WHEN %(state)s = 'pending' THEN %(now)s - n * interval '1 millisecond' ELSE NULL END,
               '', NULL, NULL, '', '', %(now)s, CASE WHEN %(state)s = 'sent' THEN %(now)s END, %(now)s
          FROM generate_series(1, %(count)s) n
        """,
        {"endpoint": endpoint_id, "count": count, "state": state, "now": now},
    )


def truncate_all() -> None:
    tables = [t for t in connection.introspection.django_table_names(only_existing=True)
              if t.startswith(("timeline_", "watch_"))]
    execute(f"TRUNCATE {', '.join(connection.ops.quote_name(t) for t in tables)} RESTART IDENTITY CASCADE")


def vacuum_analyze() -> None:
    tables = [t for t in connection.introspection.django_table_names(only_existing=True)
              if t.startswith(("timeline_", "watch_"))]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
