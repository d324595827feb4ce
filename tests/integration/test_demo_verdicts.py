"""The demo: `manage.py load_demo` loads the example storyline as of the
article (30 Dec 2025), adds the demo subscriber and runs the overdue sweep;
the two January expectations are missed by the system, and the worker mails
the demo subscriber one "Missed" notice for each, naming it."""

import io

import pytest
from django.core.management import call_command

from tests.integration.support import text_of, wait_changes_processed, wait_for_idle_broker, wait_until
from timeline import demo
from timeline.models import Expectation, Item
from watch.demo import DEMO_EMAIL

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

JANUARY_EXPECTATIONS = [spec["title"] for spec in demo.EXPECTATIONS[:2]]


def test_load_demo_then_the_sweeps_mail_the_two_january_verdicts_to_the_demo_subscriber(
    clock, celery_on_redis, mailbox
):
    assert all("Jan" in title for title in JANUARY_EXPECTATIONS)  # the two the brief names

    output = io.StringIO()
    call_command("load_demo", now=clock.isoformat(), stdout=output)
    assert "2 missed by the system" in output.getvalue()

    wait_until(lambda: len(mailbox.messages(to=DEMO_EMAIL)) >= 2, timeout=60,
               what="the two 'Missed' notices to the demo subscriber",
               seen=lambda: [m["Subject"] for m in mailbox.messages()])
    wait_changes_processed()
    wait_for_idle_broker(celery_on_redis)

    missed = {
        e.title: e for e in Expectation.objects.filter(title__in=JANUARY_EXPECTATIONS)
    }
    assert {e.status for e in missed.values()} == {Item.Status.MISSED}
    assert {e.decided_by for e in missed.values()} == {Expectation.DecidedBy.SYSTEM}

    messages = mailbox.messages(to=DEMO_EMAIL)
    assert sorted(m["Subject"] for m in messages) == sorted(f"Missed: {title}" for title in JANUARY_EXPECTATIONS)
    for message in messages:
        title = message["Subject"].removeprefix("Missed: ")
        body = text_of(message)
        assert title in body
        assert "decided automatically" in body
    # Nobody else was written to: the demo subscriber is the only one.
    assert mailbox.count() == 2
