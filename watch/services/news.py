"""Which change rows are news, of which kind, and how they read.

The mapping, by change kind (only rows marked public reach it):

| change                           | notification kind      | news a subscription must want |
| -------------------------------- | ---------------------- | ----------------------------- |
| created (published at once), published | new_item         | new_items                     |
| postponed; edited with a new When | moved                 | moves                         |
| confirmed                        | confirmed              | moves                         |
| cancelled                        | cancelled              | moves                         |
| retracted                        | retracted              | moves                         |
| triggered                        | updated                | moves                         |
| correction of When, status or editorial state | updated   | moves                         |
| happened                         | happened               | verdicts                      |
| settled, overturned              | verdict                | verdicts                      |
| overdue_noticed (internal)       | due_now                | assigned (the assignee only)  |
| reviewed, other edits            | (not news)             |                               |

"Due now" is the one row that is not public news: the brief's editor alert
("due now, needs a verdict") when the overdue sweep notices an item. Only a
subscription the desk made by assigning the item wants `assigned` news
(Subscription.via_assignment), so only the assignee hears of it.

"Moves" is the brief's "reschedules and cancellations": anything that
changes when, or whether, the item is expected (a confirmation makes a date
firm; a triggered conditional gets its deadline). A milestone that happened is
filed with verdicts: it is the outcome subscribers wait for, and it settles the
expectations about it, whose verdicts follow as news of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from timeline.models import Change, Item
from timeline.when import When

from ..models import Notification, Subscription

Kind = Notification.Kind

VERDICT_LABELS = {
    "met": "Met",
    "met_late": "Met late",
    "missed": "Missed",
    "partly_met": "Partly met",
    "void": "Void",
    "open": "Reopened",
}


@dataclass(frozen=True)
class News:
    kind: str
    news: str  # Subscription.REMINDERS | MOVES | VERDICTS | NEW_ITEMS
    headline: str
    detail: str
    verdict: dict | None = None


def news_of_change(change: Change, item: Item) -> News | None:
    """What subscribers hear of `change`, or None if it is not news to them."""
    if change.kind == Change.Kind.OVERDUE_NOTICED:
        # The editor alert: internal, so it goes to the item's assignee alone.
        return News(Kind.DUE_NOW, Subscription.ASSIGNED, f"Due now, needs a verdict: {item.title}",
                    (change.reason or "").strip())
    if not change.public:
        return None
    title = item.title
    # Only the public note reaches subscribers; the reason is the editor's
    # internal note and stays in the change log.
    reason = (change.public_note or "").strip()
    kind = change.kind
    if kind in (Change.Kind.CREATED, Change.Kind.PUBLISHED):
        # A `created` row is public only when the item was published at once.
        return News(Kind.NEW_ITEM, Subscription.NEW_ITEMS, f"New: {title}", _first(item.summary, reason))
    if kind == Change.Kind.POSTPONED or (kind == Change.Kind.EDITED and _when_changed(change)):
        verb = "Moved" if kind == Change.Kind.POSTPONED else "Date corrected"
        return News(Kind.MOVED, Subscription.MOVES, f"{verb}: {title}", _sentences(_moved_text(change), reason))
    if kind == Change.Kind.CONFIRMED:
        return News(Kind.CONFIRMED, Subscription.MOVES, f"Confirmed: {title}", reason)
    if kind == Change.Kind.CANCELLED:
        return News(Kind.CANCELLED, Subscription.MOVES, f"Cancelled: {title}", reason)
    if kind == Change.Kind.RETRACTED:
        return News(Kind.RETRACTED, Subscription.MOVES, f"Withdrawn: {title}",
                    _sentences("The newsroom retracted this item.", reason))
    if kind == Change.Kind.TRIGGERED:
        return News(Kind.UPDATED, Subscription.MOVES, f"Triggered: {title}",
                    _sentences("The condition came about; the expectation is now open.", reason))
    if kind == Change.Kind.CORRECTION:
        if not ({"when", "status", "editorial_state"} & _changed_fields(change)):
            return None
        return News(Kind.UPDATED, Subscription.MOVES, f"Corrected: {title}", reason)
    if kind == Change.Kind.HAPPENED:
        actual = change.after.get("actual_when")
        text = f"It happened {_display(actual)}." if actual else ""
        return News(Kind.HAPPENED, Subscription.VERDICTS, f"Happened: {title}", _sentences(text, reason))
    if kind in (Change.Kind.SETTLED, Change.Kind.OVERTURNED):
        status = change.after.get("status", item.status)
        label = VERDICT_LABELS.get(status, status)
        prefix = f"Verdict changed: {label}" if kind == Change.Kind.OVERTURNED and status != "open" else label
        decided_by = change.after.get("decided_by") or ""
        verdict = {"status": status, "decided_by": decided_by, "note": reason}
        return News(Kind.VERDICT, Subscription.VERDICTS, f"{prefix}: {title}", reason, verdict)
    return None


def _changed_fields(change: Change) -> set[str]:
    return {name for name in change.after if change.before.get(name) != change.after.get(name)}


def _when_changed(change: Change) -> bool:
    return "when" in change.after and change.before.get("when") != change.after.get("when")


def _display(when_dict: dict | None) -> str:
    if not when_dict:
        return "undated"
    try:
        return When.from_dict(when_dict).display()
    except Exception:  # an old row we cannot read back is no reason to lose the news
        return when_dict.get("text") or "at a date we cannot show"


def _moved_text(change: Change) -> str:
    before, after = change.before.get("when"), change.after.get("when")
    if not before or not after:
        return ""
    return f"Was {_display(before)}; now {_display(after)}."


def _sentences(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _first(*texts: str) -> str:
    for text in texts:
        if text and text.strip():
            text = text.strip()
            return text if len(text) <= 500 else text[:497].rstrip() + "…"
    return ""
