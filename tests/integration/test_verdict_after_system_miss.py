"""A system verdict yields to facts, as subscribers see it (issue 8): the
worker's sweep calls an expectation missed after its grace period, and a
storyline subscriber gets "Missed" by email and webhook; then the milestone it
is about is marked happened within the window, and the subscriber gets one
"Met" per channel (not one per matching subscription), whose text gives the
explanation once."""

from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest

from tests.builders import day_when, make_expectation, make_milestone, make_storyline
from tests.factories import make_editor
from tests.integration.support import (
    text_of, verified, wait_changes_processed, wait_for_arrivals, wait_for_idle_broker,
)
from tests.timeline.services.helpers import month_when
from timeline import services as timeline
from timeline import tasks as timeline_tasks
from timeline.models import Expectation, Item, Milestone
from watch import services
from watch.models import Notification

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ZONE = "Europe/Brussels"
TITLE = "Trump announces phase two"
EXPECTATION_TITLE = "Phase two is announced in January"
EMAIL = "desk@example.org"
MET_NOTE = "It happened on 15 Jan 2026, within the target window (January 2026)."
# The record is of January 2026, long past the wall clock the worker delivers
# by; the sweep and the editor's write carry their own `now`.
RECORDED = datetime(2025, 12, 20, 9, 0, tzinfo=timezone.utc)
PAST_GRACE = datetime(2026, 2, 8, 6, 0, tzinfo=timezone.utc)  # January ends 31 Jan 23:00 UTC; 7 days' grace
MARKED = datetime(2026, 2, 10, 12, 0, tzinfo=timezone.utc)


def verdicts_of(requests, secret):
    return [(r.webhook_id, payload) for r in requests
            if (payload := verified(r, secret))["type"] == "expectation.verdict"]


def test_the_system_miss_then_one_met_per_channel_once_the_milestone_happened(
    clock, celery_on_redis, mailbox, receiver
):
    storyline = make_storyline("Gaza ceasefire")
    january = month_when(2026, 1, tz=ZONE, text="in January")
    milestone = make_milestone(now=RECORDED, when=january, storylines=[storyline], title=TITLE)
    expectation = make_expectation(now=RECORDED, when=january, about_milestone=milestone, target_kind="during",
                                   storylines=[storyline], title=EXPECTATION_TITLE)
    wait_changes_processed()
    # Following the storyline and the expectation itself: one endpoint per channel all the same.
    hook = receiver.url("/ok/desk")
    secret = services.subscription_create(
        now=clock, email=EMAIL, storyline=storyline, webhook_url=hook, news=["verdicts"], confirmed=True,
    ).webhook_secret
    services.subscription_create(now=clock, email=EMAIL, item=expectation, webhook_url=hook, news=["verdicts"],
                                 confirmed=True)

    # The worker's sweep, past the grace period: missed, decided by the system.
    timeline_tasks.sweep_overdue.delay(now=PAST_GRACE.isoformat())
    wait_for_arrivals(celery_on_redis, mailbox, receiver, emails=1, webhooks=1,
                      what="the system's 'Missed' by email and by webhook")
    assert Expectation.objects.get(pk=expectation.pk).status == Item.Status.MISSED
    [missed_mail] = mailbox.messages(to=EMAIL)
    assert missed_mail["Subject"] == f"Missed: {EXPECTATION_TITLE}"
    [(_, missed)] = verdicts_of(receiver.requests, secret)
    assert missed["data"]["verdict"]["status"] == "missed"

    # The milestone happened on Jan. 15, as the editor records once February
    # is well under way. Read again: the sweep noticed it overdue, a new revision.
    milestone = Milestone.objects.get(pk=milestone.pk)
    timeline.milestone_mark_happened(milestone=milestone, by=make_editor(), now=MARKED, as_of=date(2026, 1, 16),
                                     actual=day_when(date(2026, 1, 15), tz=ZONE, text="on Jan. 15"))
    # Two pieces of news: the milestone happened, and the expectation's new verdict.
    wait_for_arrivals(celery_on_redis, mailbox, receiver, emails=3, webhooks=3,
                      what="'Happened' and 'Met' by email and by webhook")
    # Whatever runs again adds nothing.
    timeline_tasks.sweep_overdue.delay(now=(MARKED + timedelta(days=1)).isoformat())
    wait_changes_processed()
    wait_for_idle_broker(celery_on_redis)
    assert (mailbox.count(), receiver.count()) == (3, 3)

    fresh = Expectation.objects.get(pk=expectation.pk)
    assert (fresh.status, fresh.decided_by, fresh.verdict_note) == ("met", "system", MET_NOTE)

    mails = mailbox.messages(to=EMAIL)
    assert Counter(m["Subject"] for m in mails) == Counter({
        f"Missed: {EXPECTATION_TITLE}": 1, f"Happened: {TITLE}": 1, f"Met: {EXPECTATION_TITLE}": 1,
    })
    assert len({m["Message-ID"] for m in mails}) == 3, "one delivery per message"
    [met_mail] = [m for m in mails if m["Subject"] == f"Met: {EXPECTATION_TITLE}"]
    text = text_of(met_mail)
    html = met_mail.get_body(preferencelist=("html",)).get_content()
    assert text.count(MET_NOTE) == 1, text
    assert html.count(MET_NOTE) == 1, html
    assert "decided automatically by the system" in text
    assert "No outcome was recorded" not in text

    verdicts = verdicts_of(receiver.requests, secret)
    assert len({webhook_id for webhook_id, _ in verdicts}) == len(verdicts) == 2
    [met] = [payload for _, payload in verdicts if payload["data"]["verdict"]["status"] == "met"]
    assert met["data"]["item"]["public_id"] == str(expectation.public_id)
    assert met["data"]["verdict"] == {"status": "met", "decided_by": "system", "note": MET_NOTE}
    assert met["data"]["detail"] == MET_NOTE
    # One notification per endpoint and verdict, however many subscriptions match.
    assert Counter(Notification.objects.filter(item_id=expectation.pk).values_list("endpoint__kind", "kind")) == {
        ("email", "verdict"): 2, ("webhook", "verdict"): 2,
    }
