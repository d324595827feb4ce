"""What the fault tests share: a newsroom of subscribers to one storyline
(webhooks to the HTTP receiver, emails to the SMTP server), and the count at
the receivers by delivery id that every promise is checked against."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from tests.builders import make_milestone, make_storyline, time_when
from tests.integration.support import dispatch, restore_unacknowledged, wait_for_idle_broker, wait_until
from timeline.models import Change
from watch import services, tasks
from watch.channels.email import message_id
from watch.models import Delivery, Notification


@dataclass
class Newsroom:
    storyline: object
    milestones: list
    webhooks: int
    emails: int
    subscriptions: list = field(default_factory=list)

    @property
    def endpoints(self) -> int:
        return self.webhooks + self.emails


def newsroom(receiver, *, webhooks: int, emails: int, milestones: int = 1, slow_ms: int = 0,
             news=("moves", "new_items", "reminders"), now: datetime | None = None,
             lead_times=("1h",)) -> Newsroom:
    now = now or timezone.now()
    storyline = make_storyline()
    room = Newsroom(storyline=storyline, milestones=[], webhooks=webhooks, emails=emails)
    path = f"/slow/{slow_ms}" if slow_ms else "/ok"
    for n in range(webhooks):
        room.subscriptions.append(services.subscription_create(
            now=now, email=f"hook{n}@example.org", storyline=storyline, send_email=False,
            webhook_url=f"http://127.0.0.1:{receiver.port}{path}/desk{n}", news=list(news), lead_times=list(lead_times),
            confirmed=True,
        ).subscription)
    for n in range(emails):
        room.subscriptions.append(services.subscription_create(
            now=now, email=f"reader{n}@example.org", storyline=storyline, news=list(news), lead_times=list(lead_times),
            confirmed=True,
        ).subscription)
    for n in range(milestones):
        room.milestones.append(make_milestone(
            now=now, when=time_when(now + timedelta(days=2, hours=n)), storylines=[storyline],
            title=f"Ceasefire talks, round {n + 1}",
        ))
    return room


def states() -> Counter:
    return Counter(Delivery.objects.values_list("state", flat=True))


def recover(broker, published, *, rounds: int = 6, what: str = "everything owed to be sent") -> None:
    """What the minute sweeps do after a failure, run until nothing is left:
    process what is unprocessed, take back expired leases, hand out what is
    due (at a moment past any lease and backoff), and let Redis give back
    what a dead worker held (as it does once the visibility timeout passes)."""
    from tests.integration.support import WaitTimeout

    for round_ in range(rounds):
        # Each round hours later than the last: past any lease, and past the
        # backoff (at most WATCH_RETRY_MAX_DELAY_SECONDS) of what failed meanwhile.
        later = timezone.now() + timedelta(
            seconds=settings.WATCH_DELIVERY_LEASE_SECONDS + 60 + round_ * (settings.WATCH_RETRY_MAX_DELAY_SECONDS + 60))
        tasks.process_changes(now=later.isoformat())
        tasks.reclaim_leases(now=later.isoformat())
        dispatch(later, published)
        try:
            wait_for_idle_broker(broker, timeout=90, what=what,
                                 ignore=lambda m: m.where == "unacked")
            # The queue is empty once the worker has taken the last batch, not
            # once it has sent it: wait for this round's claims (their leases
            # run past `later`) to be settled, or the next round, hours later,
            # would take back leases the live worker is still sending under.
            wait_until(lambda: not Delivery.objects.filter(
                state=Delivery.State.SENDING, lease_expires_at__gt=later).exists(),
                timeout=90, what=f"{what}: this round's batches to be sent", seen=states)
        except WaitTimeout:
            pass
        owed = Delivery.objects.exclude(
            state__in=[Delivery.State.SENT, Delivery.State.DEAD, Delivery.State.WITHDRAWN]).count()
        if not owed and not Change.objects.filter(processed_at__isnull=True).exists():
            return
    raise AssertionError(f"still owed after {rounds} rounds: {states()}")


def restore_held(url: str, broker) -> None:
    """Redis hands a dead worker's unacknowledged messages out again after the
    visibility timeout (an hour; here, now)."""
    restore_unacknowledged(url)
    wait_for_idle_broker(broker, timeout=60, what="the worker to drop or finish the dead worker's messages")


def count_by_id(mailbox, receiver) -> tuple[Counter, Counter]:
    """How many times each delivery id arrived: webhooks by `webhook-id`,
    emails by `Message-ID`, mapped back to the delivery's public id."""
    by_message_id = {message_id(pid): pid for pid in Delivery.objects.values_list("public_id", flat=True)}
    hooks = Counter(request.webhook_id for request in receiver.requests)
    mails = Counter(by_message_id.get(str(m["Message-ID"]), "unknown " + str(m["Message-ID"]))
                    for m in mailbox.messages())
    return hooks, mails


def assert_each_owed_delivered_once_per_id(room: Newsroom, mailbox, receiver, *, changes) -> dict:
    """The promises, counted: one notification per endpoint and change (none
    written twice), each with one delivery, every delivery sent, every id
    arriving at least once, nothing arriving that is not a delivery's id,
    and a notification never reaching a receiver under two ids."""
    notifications = Notification.objects.filter(change__in=changes)
    keys = list(notifications.values_list("endpoint_id", "change_id"))
    assert len(keys) == len(set(keys)), "a notification was written twice"
    assert len(keys) == room.endpoints * len(changes), (len(keys), room.endpoints, len(changes))
    deliveries = Delivery.objects.filter(notifications__in=notifications).distinct()
    assert notifications.filter(delivery__isnull=True).count() == 0
    assert states() == Counter({Delivery.State.SENT: Delivery.objects.count()}), states()
    hooks, mails = count_by_id(mailbox, receiver)
    wanted_hooks = set(deliveries.filter(endpoint__kind="webhook").values_list("public_id", flat=True))
    wanted_mails = set(deliveries.filter(endpoint__kind="email").values_list("public_id", flat=True))
    assert wanted_hooks <= set(hooks), f"{len(wanted_hooks - set(hooks))} webhooks never arrived"
    assert wanted_mails <= set(mails), f"{len(wanted_mails - set(mails))} emails never arrived"
    all_ids = set(Delivery.objects.values_list("public_id", flat=True))
    assert set(hooks) <= all_ids and set(mails) <= all_ids, "an id arrived that no delivery has"
    # One id per notification at the receiver: the payload names the notification.
    ids_per_notification: dict[str, set] = {}
    for request in receiver.requests:
        for news in request.json()["data"].get("news", [request.json()["data"]]):
            ids_per_notification.setdefault(news.get("notification_id"), set()).add(request.webhook_id)
    assert all(len(ids) == 1 for ids in ids_per_notification.values()), "one piece of news under two ids"
    repeats = sum(n - 1 for n in hooks.values()) + sum(n - 1 for n in mails.values())
    return {"notifications": len(keys), "deliveries": deliveries.count(), "repeats": repeats,
            "webhook requests": sum(hooks.values()), "emails": sum(mails.values())}
