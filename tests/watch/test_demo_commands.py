"""The demo: a subscriber for `make run`, and a practice reminder to watch."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from tests.builders import make_expectation, make_storyline, window_when
from tests.watch.support import send_due
from timeline import services as timeline
from watch import services
from watch.demo import DEMO_EMAIL, ensure_demo_subscriber
from watch.models import ReminderDue, Subscription

pytestmark = pytest.mark.django_db


def test_the_demo_subscriber_follows_both_storylines_and_is_idempotent(now):
    make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    make_storyline("Iran's nuclear and missile programs", slug="iran-nuclear-and-missile-programs")

    first = ensure_demo_subscriber(now=now)
    second = ensure_demo_subscriber(now=now)

    assert first.pk == second.pk and first.email == DEMO_EMAIL
    subscriptions = Subscription.objects.filter(subscriber=first)
    assert sorted(s.storyline.slug for s in subscriptions) == ["gaza-ceasefire", "iran-nuclear-and-missile-programs"]
    assert all(s.is_active and s.channels == ["email"] for s in subscriptions)


def test_the_systems_missed_verdict_reaches_the_demo_subscriber(now, email_channel):
    # What load_demo does: items long past, the demo subscriber, then the
    # overdue sweep; the change rows are processed afterwards.
    storyline = make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    start, end = now - timedelta(days=300), now - timedelta(days=270)
    expectation = make_expectation(now=start, when=window_when(start, end, precision="month"), storylines=[storyline])
    ensure_demo_subscriber(now=now)
    timeline.sweep_overdue(now=now)

    services.process_changes(now=now)
    send_due(now)

    headlines = [n.headline for o in email_channel.sent for n in o.news]
    assert headlines == [f"Missed: {expectation.title}"]
    assert email_channel.sent[0].news[0].verdict["decided_by"] == "system"


def test_demo_reminder_adds_a_practice_milestone_and_a_one_minute_reminder(email_channel):
    out = io.StringIO()
    call_command("demo_reminder", "--in", "2m", stdout=out)

    row = ReminderDue.objects.get(state="pending")
    assert row.lead == timedelta(minutes=1)
    assert row.item.title.startswith("PRACTICE — ")
    assert row.item.storylines.get().slug == "practice"
    assert "the reminder is due at" in out.getvalue()

    # The pipeline, run by hand at the minute it is due.
    services.process_changes(now=row.due_at)
    services.fire_due_reminders(now=row.due_at)
    send_due(row.due_at)
    [mail] = email_channel.sent
    assert mail.address == DEMO_EMAIL
    assert mail.news[0].headline == f"Reminder: in 1 minute: {row.item.title}"


def test_demo_reminder_needs_at_least_two_minutes():
    with pytest.raises(CommandError, match="at least 2m"):
        call_command("demo_reminder", "--in", "1m")


def test_load_demo_adds_the_demo_subscriber_before_its_sweep_and_the_verdicts_reach_it(now, email_channel):
    call_command("load_demo", "--now", now.isoformat(), stdout=io.StringIO())

    assert sorted(Subscription.objects.values_list("storyline__slug", flat=True)) == [
        "gaza-ceasefire", "iran-nuclear-and-missile-programs"]
    services.process_changes(now=now)
    send_due(now)
    headlines = [n.headline for o in email_channel.sent for n in o.news]
    assert len(headlines) == 2 and all(h.startswith("Missed: ") for h in headlines)
    assert {o.address for o in email_channel.sent} == {DEMO_EMAIL}
