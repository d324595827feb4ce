"""What a channel is given to send, and the one error it may raise.

A channel (email, webhook) turns one Outgoing into one send. It never touches
the database: the delivery sweep builds the Outgoing, calls `send` outside any
transaction, and records the outcome. `delivery_id` is the stable id the
receiver dedupes by (webhook-id, the email's Message-ID): the same on every
attempt of the same delivery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class DeliveryError(Exception):
    """A send that failed. `retryable` says whether trying again can help
    (a timeout or a 503 can; a refused address or a 410 cannot)."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.message = message
        self.retryable = retryable


@dataclass(frozen=True)
class NewsItem:
    """One piece of news about one item, as a channel renders it."""

    cause: str  # reminder | moved | cancelled | verdict | new_item | happened | confirmed | retracted | updated
    headline: str  # "Reminder: … in 7 days", "Moved: …", "Missed: …"
    detail: str  # one or two sentences: the reason, the verdict note
    item_public_id: str
    item_kind: str
    item_title: str
    item_url: str
    item_status: str
    when: dict  # When.as_dict()
    when_display: str  # already in the right zone for this recipient
    schedule_version: int
    editorial_state: str = "published"
    verdict: dict | None = None  # {"status", "decided_by", "note"} for verdict news
    notification_id: str = ""


@dataclass(frozen=True)
class Outgoing:
    delivery_id: str  # stable across retries
    channel: str  # "email" | "webhook"
    address: str  # the email address or the webhook URL
    news: tuple[NewsItem, ...]  # one for an immediate delivery, many for a digest
    is_digest: bool = False
    recipient_tz: str = "UTC"
    unsubscribe_url: str = ""  # one-click (RFC 8058) POST target; GET shows a confirmation page
    manage_url: str = ""
    webhook_secrets: tuple[str, ...] = field(default=(), repr=False)  # whsec_…; the first signs


class Channel(Protocol):
    name: str

    def send(self, outgoing: Outgoing) -> str:
        """Send it; return a short note of how it went (status code, server
        reply). Raise DeliveryError on failure."""
        ...
