"""`manage.py deliveries`: the operators' list, filtered by state, as text or JSON."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import send_due, subscribe
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services
from watch.channels.base import DeliveryError
from watch.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliveries(now, email_channel):
    storyline = make_storyline(slug="ops")
    milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline])
    subscribe("bounces@example.org", now=now, storyline="ops", news=["moves"])
    subscribe("fine@example.org", now=now, storyline="ops", news=["moves"])
    timeline.milestone_confirm(milestone=milestone, by=SYSTEM, now=now)
    services.process_changes(now=now)
    email_channel.failures = [DeliveryError("550 5.1.1 no such user", retryable=False)]
    send_due(now)
    return Delivery.objects.order_by("id")


def run(*args) -> str:
    out = io.StringIO()
    call_command("deliveries", *args, stdout=out)
    return out.getvalue()


def test_lists_dead_deliveries_with_their_error(deliveries):
    dead = deliveries.get(state="dead")
    output = run("--state", "dead")
    assert dead.public_id in output
    assert "550 5.1.1 no such user" in output
    assert deliveries.get(state="sent").public_id not in output


def test_json_lines(deliveries):
    rows = [json.loads(line) for line in run("--json").splitlines()]
    assert sorted(row["state"] for row in rows) == ["dead", "sent"]
    assert {row["id"] for row in rows} == set(deliveries.values_list("public_id", flat=True))
    assert all(row["channel"] == "email" and row["attempts"] == 1 for row in rows)


def test_says_so_when_there_is_nothing(db):
    assert run("--state", "dead") == "No deliveries in state dead.\n"
