"""Who hears of a piece of news: the audience rule, written once, in SQL.

A subscription hears of news about an item when it is active (confirmed, not paused, not
unsubscribed), covers the item (through one of its storylines, one of its
actors, the item itself, or everything public), wants that kind of news and,
for a reminder, has that lead time. This module states the rule as a SELECT
over a *source* relation of news, so the same text serves

- the fan-out (watch.services.fanout), which joins it to many pieces of news
  at once and writes the notifications with INSERT ... SELECT;
- watch.selectors.subscriptions_covering (one item: the re-check before a
  send), which filters a Subscription queryset by it.

The lead times in use (which due rows an item needs) follow the same rule
without reading the audience: lead_times_sql, at the end of this module.

The source has the columns `key` (what the caller groups by), `item_id`,
`news` (Subscription.REMINDERS, ...; NULL for any) and `lead_s` (a reminder's
lead time in seconds; NULL for other news). Each coverage path is its own
branch of a UNION ALL, so each goes through its own index (the storyline,
actor and item foreign keys, the partial index of "everything"): a piece of
news costs its audience, not the number of subscriptions.

Both backends run the same text except for one fragment: whether a JSON list
of lead times holds a number (`@>` on PostgreSQL's jsonb, json_each on SQLite).
"""

from __future__ import annotations

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


def audience_sql(source: str, *, vendor: str, extra_columns: str = "", per_endpoint: bool = False) -> str:
    """A SELECT of (key, subscription_id, email_endpoint_id,
    webhook_endpoint_id, cadence[, extra_columns]) for every subscription that
    hears of each row of `source` (a table name, a CTE name or a subquery,
    aliased `src` inside). With `per_endpoint`, only the subscriptions sending
    to src.endpoint_id. No parameters of its own."""
    columns = "src.key, s.id AS subscription_id, s.email_endpoint_id, s.webhook_endpoint_id, s.cadence"
    if extra_columns:
        columns += ", " + extra_columns
    where = f"{ACTIVE} AND {_wants('src.news')} AND {_has_lead('src.lead_s', vendor)}"
    if per_endpoint:
        where += " AND (s.email_endpoint_id = src.endpoint_id OR s.webhook_endpoint_id = src.endpoint_id)"
    return f"""
        SELECT {columns} FROM {source} src
          JOIN watch_subscription s ON s.target = 'everything'
         WHERE {where}
        UNION ALL
        SELECT {columns} FROM {source} src
          JOIN timeline_item_storylines ist ON ist.item_id = src.item_id
          JOIN watch_subscription s ON s.storyline_id = ist.storyline_id AND s.target = 'storyline'
         WHERE {where}
        UNION ALL
        SELECT {columns} FROM {source} src
          JOIN timeline_item_actors ia ON ia.item_id = src.item_id
          JOIN watch_subscription s ON s.actor_id = ia.actor_id AND s.target = 'actor'
         WHERE {where}
        UNION ALL
        SELECT {columns} FROM {source} src
          JOIN watch_subscription s ON s.item_id = src.item_id AND s.target = 'item'
         WHERE {where}
    """


def one_item_sql(vendor: str, *, per_endpoint: bool = False) -> tuple[str, int]:
    """The audience of one item: a SELECT of subscription ids, and how many
    times its parameters (item_id, news, lead_s[, endpoint_id]) repeat. The
    source is written out in each branch, not shared in a CTE, so the planner
    sees the values: for one endpoint it starts from that endpoint's few
    subscriptions instead of the item's whole audience."""
    source = (
        "(SELECT 0 AS key, CAST(%s AS bigint) AS item_id, CAST(%s AS varchar(20)) AS news, "
        "CAST(%s AS integer) AS lead_s" + (", CAST(%s AS bigint) AS endpoint_id)" if per_endpoint else ")")
    )
    sql = f"SELECT a.subscription_id FROM ({audience_sql(source, vendor=vendor, per_endpoint=per_endpoint)}) a"
    return sql, 4



# The coverage paths through a link table: (target, the subscription's
# column, the link from item to target, the link's column).
_LINKED_PATHS = (
    ("storyline", "storyline_id", "timeline_item_storylines", "storyline_id"),
    ("actor", "actor_id", "timeline_item_actors", "actor_id"),
)


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

    def walk(name: str, target: str, match: str, start: str) -> str:
        def next_list(target_id: str, after: str | None) -> str:
            condition = (f" AND s.{match} = {target_id}" if match else "") + (
                f" AND s.lead_times > {after}" if after else "")
            return (f"(SELECT s.lead_times FROM watch_subscription s WHERE s.target = '{target}'{condition} "
                    f"AND {where} ORDER BY s.lead_times LIMIT 1)")
        return f"""
        {name} (target_id, lead_times) AS (
            SELECT t.target_id, {next_list("t.target_id", None)} FROM ({start}) t
            UNION ALL
            SELECT l.target_id, {next_list("l.target_id", "l.lead_times")}
              FROM {name} l WHERE l.lead_times IS NOT NULL
        )"""

    walks = [
        walk(f"{target}_leads", target, column,
             f"SELECT DISTINCT link.{link_column} AS target_id FROM {link} link "
             f"JOIN these ON these.item_id = link.item_id")
        for target, column, link, link_column in _LINKED_PATHS
    ]
    walks.append(walk("item_leads", "item", "item_id", "SELECT these.item_id AS target_id FROM these"))
    # Everything public covers every item: one walk, whatever the items.
    walks.append(walk("everything_leads", "everything", "", "SELECT 0 AS target_id"))
    found = [
        f"SELECT link.item_id, l.lead_times FROM these JOIN {link} link ON link.item_id = these.item_id "
        f"JOIN {target}_leads l ON l.target_id = link.{link_column}"
        for target, _, link, link_column in _LINKED_PATHS
    ] + [
        "SELECT l.target_id, l.lead_times FROM item_leads l",
        "SELECT these.item_id, l.lead_times FROM these CROSS JOIN everything_leads l",
    ]
    union = " UNION ALL ".join(f"{one} WHERE l.lead_times IS NOT NULL" for one in found)
    return f"WITH RECURSIVE these (item_id) AS ({items}),{','.join(walks)}\n{union}"
