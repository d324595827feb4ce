"""Who hears of a piece of news: the audience rule, written once, in SQL.

A subscription hears of news about an item when it is active (confirmed, not paused, not
unsubscribed), covers the item (through one of its storylines, one of its
actors, the item itself, or everything public), wants that kind of news and,
for a reminder, has that lead time. This module states the rule as a SELECT
over a *source* relation of news, so the same text serves

- the fan-out (watch.services.fanout), which joins it to many pieces of news
  at once and writes the notifications with INSERT ... SELECT;
- watch.selectors.subscriptions_covering (one item: the pages), which
  filters a Subscription queryset by it;
- the re-check before a send (watch.selectors.subscriptions_covering_each),
  which asks it the other way round, endpoint first (per_endpoint_rows_sql).

The lead times in use (which due rows an item needs) follow the same rule
without reading the audience: lead_times_sql, at the end of this module.

The source has the columns `key` (what the caller groups by), `item_id`,
`news` (Subscription.REMINDERS, ...; NULL for any) and `lead_s` (a reminder's
lead time in seconds; NULL for other news). Each coverage path is its own
branch of a UNION ALL, so each goes through its own index (the storyline,
actor and item foreign keys, the partial index of "everything"): a piece of
news costs its audience, not the number of subscriptions. The coverage paths
are listed once (COVERAGE) and both forms are written from that list.

Both backends run the same text except for one fragment: whether a JSON list
of lead times holds a number (`@>` on PostgreSQL's jsonb, json_each on SQLite).
"""

from __future__ import annotations

import json

from .models import Subscription

# watch.selectors.subscriptions_active is the same rule as a queryset filter;
# tests/watch/test_audience_active_agrees.py holds the two together.
ACTIVE = "s.confirmed_at IS NOT NULL AND s.unsubscribed_at IS NULL AND s.paused_at IS NULL"


def _wants(news: str) -> str:
    cases = " ".join(f"WHEN '{name}' THEN s.{field}" for name, field in Subscription.NEWS_FIELD.items())
    return f"({news} IS NULL OR (CASE {news} {cases} ELSE FALSE END))"


def _has_lead(lead: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"({lead} IS NULL OR s.lead_times @> jsonb_build_array({lead}))"
    return f"({lead} IS NULL OR EXISTS (SELECT 1 FROM json_each(s.lead_times) WHERE json_each.value = {lead}))"


# How a subscription covers an item, path by path: its target and, for a
# target reached through one of the item's link tables, that table and the
# column it shares with the subscription. Both forms below are written from
# this one list.
COVERAGE = (
    ("everything", None),
    ("storyline", ("timeline_item_storylines", "storyline_id")),
    ("actor", ("timeline_item_actors", "actor_id")),
    ("item", None),
)


def _path(target: str, link) -> tuple[str, str]:
    """One coverage path read both ways: the JOIN from src's item to the
    subscriptions of this path (item first), and the test that subscription
    s covers src's item along it (subscription first)."""
    if target == "everything":
        return "JOIN watch_subscription s ON s.target = 'everything'", "s.target = 'everything'"
    if target == "item":
        return (
            "JOIN watch_subscription s ON s.item_id = src.item_id AND s.target = 'item'",
            "(s.target = 'item' AND s.item_id = src.item_id)",
        )
    table, column = link
    return (
        f"JOIN {table} l ON l.item_id = src.item_id "
        f"JOIN watch_subscription s ON s.{column} = l.{column} AND s.target = '{target}'",
        f"(s.target = '{target}' AND EXISTS "
        f"(SELECT 1 FROM {table} l WHERE l.item_id = src.item_id AND l.{column} = s.{column}))",
    )


def _hears(vendor: str) -> str:
    return f"{ACTIVE} AND {_wants('src.news')} AND {_has_lead('src.lead_s', vendor)}"


def audience_sql(source: str, *, vendor: str, extra_columns: str = "") -> str:
    """A SELECT of (key, subscription_id, email_endpoint_id,
    webhook_endpoint_id, cadence[, extra_columns]) for every subscription that
    hears of each row of `source` (a table name, a CTE name or a subquery,
    aliased `src` inside). No parameters of its own."""
    columns = "src.key, s.id AS subscription_id, s.email_endpoint_id, s.webhook_endpoint_id, s.cadence"
    if extra_columns:
        columns += ", " + extra_columns
    return "\n        UNION ALL\n".join(
        f"        SELECT {columns} FROM {source} src {_path(target, link)[0]} WHERE {_hears(vendor)}"
        for target, link in COVERAGE
    )


def one_item_sql(vendor: str) -> tuple[str, int]:
    """The audience of one item: a SELECT of subscription ids, and how many
    times its parameters (item_id, news, lead_s) repeat. The source is
    written out in each branch, not shared in a CTE, so the planner sees the
    values."""
    source = (
        "(SELECT 0 AS key, CAST(%s AS bigint) AS item_id, CAST(%s AS varchar(20)) AS news, "
        "CAST(%s AS integer) AS lead_s)"
    )
    return f"SELECT a.subscription_id FROM ({audience_sql(source, vendor=vendor)}) a", len(COVERAGE)


def per_endpoint_rows_sql(vendor: str, kinds: tuple[str, ...] = ("email", "webhook")) -> tuple[str, int]:
    """The audience of many pieces of news, each for one endpoint: a SELECT
    of (key, subscription_id). Its parameters are rows_parameters(rows, vendor),
    repeated the returned number of times. The re-check of deliveries before
    they are sent: one query for a batch.

    Endpoint first: it starts from each endpoint's few subscriptions (the
    foreign-key indexes) and asks of each whether it covers the item, so its
    cost does not depend on the size of the items' audiences (the item-first
    form would read a storyline's 100,000 subscriptions to find one
    endpoint's). The rows travel as arrays (PostgreSQL) or one JSON text
    (SQLite), so the statement is the same text, planned as fast, for any
    number of rows. `kinds`: the kinds of the rows' endpoints, when the
    caller knows them (a delivery's channel is its endpoint's kind), so only
    the foreign key of that kind is searched."""
    source = _ROWS[vendor if vendor == "postgresql" else "sqlite"]
    covers = " OR ".join(_path(target, link)[1] for target, link in COVERAGE)
    branches = [
        f"SELECT src.key, s.id AS subscription_id FROM {source} src "
        f"JOIN watch_subscription s ON s.{column} = src.endpoint_id WHERE {_hears(vendor)} AND ({covers})"
        for column in (f"{kind}_endpoint_id" for kind in kinds if kind in ("email", "webhook"))
    ]
    if not branches:
        raise ValueError(f"No endpoint of the kinds {kinds!r} has subscriptions")
    return "\nUNION ALL\n".join(branches), len(branches)


# (key, item_id, news, lead_s, endpoint_id) rows as a relation.
_ROWS = {
    "postgresql": (
        "(SELECT * FROM unnest(CAST(%s AS bigint[]), CAST(%s AS bigint[]), CAST(%s AS varchar(20)[]), "
        "CAST(%s AS integer[]), CAST(%s AS bigint[])) AS r (key, item_id, news, lead_s, endpoint_id))"
    ),
    "sqlite": (
        "(SELECT json_extract(r.value, '$[0]') AS key, json_extract(r.value, '$[1]') AS item_id, "
        "json_extract(r.value, '$[2]') AS news, json_extract(r.value, '$[3]') AS lead_s, "
        "json_extract(r.value, '$[4]') AS endpoint_id FROM json_each(%s) r)"
    ),
}


def rows_parameters(rows: list[tuple], vendor: str) -> list:
    """The parameters that stand for `rows` in per_endpoint_rows_sql."""
    if vendor == "postgresql":
        return [list(column) for column in zip(*rows)] if rows else [[]] * 5
    return [json.dumps([list(row) for row in rows])]


def lead_times_sql(items: str) -> str:
    """A SELECT of (item_id, lead_times): for each item of `items` (a SELECT
    of one column, item_id), each distinct lead_times list among the active
    subscriptions that cover it and want reminders. No parameters of its own.

    The rule is audience_sql's for news REMINDERS and no lead time, but the
    audience is not read: a storyline with 100,000 followers has a handful of
    distinct lists of lead times. Each path walks its partial index on
    (target, lead_times) (the subscription_leads_* indexes) as a loose index
    scan: a recursive CTE takes the smallest list, then the smallest one
    greater than the last, an index probe per distinct list and target.
    The same text on both backends (jsonb, and SQLite's JSON text, both
    compare and order)."""
    where = f"{ACTIVE} AND s.{Subscription.NEWS_FIELD[Subscription.REMINDERS]}"

    def walk(target: str, match: str | None, start: str) -> str:
        def next_list(target_id: str, after: str | None) -> str:
            condition = (f" AND s.{match} = {target_id}" if match else "") + (
                f" AND s.lead_times > {after}" if after else "")
            return (f"(SELECT s.lead_times FROM watch_subscription s WHERE s.target = '{target}'{condition} "
                    f"AND {where} ORDER BY s.lead_times LIMIT 1)")
        return f"""
        {target}_leads (target_id, lead_times) AS (
            SELECT t.target_id, {next_list("t.target_id", None)} FROM ({start}) t
            UNION ALL
            SELECT l.target_id, {next_list("l.target_id", "l.lead_times")}
              FROM {target}_leads l WHERE l.lead_times IS NOT NULL
        )"""

    walks, found = [], []
    for target, link in COVERAGE:
        if target == "everything":
            # Everything public covers every item: one walk, whatever the items.
            walks.append(walk(target, None, "SELECT 0 AS target_id"))
            found.append(f"SELECT these.item_id, l.lead_times FROM these CROSS JOIN {target}_leads l")
        elif target == "item":
            walks.append(walk(target, "item_id", "SELECT these.item_id AS target_id FROM these"))
            found.append(f"SELECT l.target_id, l.lead_times FROM {target}_leads l")
        else:
            table, column = link
            walks.append(walk(target, column, f"SELECT DISTINCT link.{column} AS target_id FROM {table} link "
                                              f"JOIN these ON these.item_id = link.item_id"))
            found.append(f"SELECT link.item_id, l.lead_times FROM these JOIN {table} link "
                         f"ON link.item_id = these.item_id JOIN {target}_leads l ON l.target_id = link.{column}")
    union = " UNION ALL ".join(f"{one} WHERE l.lead_times IS NOT NULL" for one in found)
    return f"WITH RECURSIVE these (item_id) AS ({items}),{','.join(walks)}\n{union}"
