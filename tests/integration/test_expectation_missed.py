"""An expectation past its deadline: the overdue sweep notices it once (two
sweeps at once, and again later, still write one `overdue_noticed` row); after
the grace period the system calls it missed, and subscribers get the verdict
by email and webhook; an editor's overturn reaches them too."""

from datetime import timedelta

import pytest

from tests.builders import day_when, make_event, make_expectation
from tests.factories import make_editor
from tests.integration.support import (
    text_of, verified, wait_changes_processed, wait_for_arrivals, wait_for_idle_broker,
)
from timeline import services as timeline
from timeline import tasks as timeline_tasks
from timeline.models import Change, Expectation, Item
from watch import services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TITLE = "The Board of Peace first meets at Davos on Jan. 23"
EMAIL = "verdicts@example.org"
GRACE = timedelta(days=7)  # FW_DEFAULT_GRACE_DAYS, as the worker runs


def run_sweep_twice_at_once(now):
    # Two messages, two pool processes: the sweeps overlap.
    for _ in range(2):
        timeline_tasks.sweep_overdue.delay(now=now.isoformat())


def test_overdue_noticed_once_then_missed_by_the_system_and_the_verdicts_reach_subscribers(
    clock, celery_on_redis, mailbox, receiver
):
    deadline_day = (clock - timedelta(days=2)).date()
    expectation = make_expectation(
        now=clock - timedelta(days=10), when=day_when(deadline_day, tz="Europe/Zurich", text="on Jan. 23"),
        title=TITLE, target_kind="on",
    )
    wait_changes_processed()
    secret = services.subscription_create(
        now=clock, email=EMAIL, item=expectation, webhook_url=receiver.url("/ok/verdicts"), confirmed=True,
    ).webhook_secret
    noticed = Change.objects.filter(item_id=expectation.pk, kind=Change.Kind.OVERDUE_NOTICED)

    # Overdue, inside the grace period: noticed once, whatever runs twice.
    run_sweep_twice_at_once(clock)
    wait_for_idle_broker(celery_on_redis)
    run_sweep_twice_at_once(clock + timedelta(hours=1))
    wait_for_idle_broker(celery_on_redis)
    assert noticed.count() == 1
    expectation.refresh_from_db()
    assert expectation.status == Item.Status.OPEN
    # "Due now, needs a verdict" is for editors: subscribers hear nothing of it.
    wait_changes_processed()
    wait_for_idle_broker(celery_on_redis)
    assert (mailbox.count(), receiver.count()) == (0, 0)

    # Past the grace period: missed, decided by the system, once.
    past_grace = expectation.when_end + GRACE + timedelta(minutes=1)
    run_sweep_twice_at_once(past_grace)
    wait_for_arrivals(celery_on_redis, mailbox, receiver, emails=1, webhooks=1,
                      what="the system's verdict by email and by webhook")
    expectation = Expectation.objects.get(pk=expectation.pk)
    assert expectation.status == Item.Status.MISSED
    assert expectation.decided_by == Expectation.DecidedBy.SYSTEM
    assert Change.objects.filter(item_id=expectation.pk, kind=Change.Kind.SETTLED).count() == 1
    assert noticed.count() == 1

    [missed_mail] = mailbox.messages(to=EMAIL)
    assert missed_mail["Subject"] == f"Missed: {TITLE}"
    assert "decided automatically" in text_of(missed_mail)
    missed = verified(receiver.requests[0], secret)
    assert missed["type"] == "expectation.verdict"
    assert missed["data"]["item"]["public_id"] == str(expectation.public_id)
    assert missed["data"]["verdict"]["status"] == "missed"
    assert missed["data"]["verdict"]["decided_by"] == "system"

    # An editor overturns it, with evidence: subscribers hear of that too.
    editor = make_editor()
    meeting = make_event(now=past_grace, when=day_when(deadline_day + timedelta(days=1)),
                         title="The Board of Peace met a day late")
    timeline.expectation_overturn(
        expectation=expectation, by=editor, now=past_grace + timedelta(hours=1), status=Item.Status.MET_LATE,
        note="It met on the following day.", evidence_event=meeting,
    )
    wait_for_arrivals(celery_on_redis, mailbox, receiver, emails=2, webhooks=2,
                      what="the overturn by email and by webhook")
    overturn_mail = mailbox.messages(to=EMAIL)[1]
    assert overturn_mail["Subject"] == f"Verdict changed: Met late: {TITLE}"
    overturn = verified(receiver.requests[1], secret)
    assert overturn["type"] == "expectation.verdict"
    assert overturn["data"]["verdict"] == {
        "status": "met_late", "decided_by": "editor", "note": "It met on the following day.",
    }
    # Two pieces of news, one message each per channel; the later sweeps add nothing.
    run_sweep_twice_at_once(past_grace + timedelta(days=1))
    wait_changes_processed()
    wait_for_idle_broker(celery_on_redis)
    assert (mailbox.count(), receiver.count()) == (2, 2)
    assert len({r.webhook_id for r in receiver.requests}) == 2
