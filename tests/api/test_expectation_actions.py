"""Settle, overturn, review and trigger through the API."""

from datetime import timedelta

import pytest

from tests.api.conftest import API
from tests.builders import day_when, make_expectation
from timeline import services

pytestmark = pytest.mark.django_db


def action(client, expectation, name, body=None):
    return client.post(f"{API}/expectations/{expectation.public_id}/{name}/", body or {}, format="json")


def test_settle_met_needs_evidence(editor_client, record):
    response = action(editor_client, record.expectation, "settle", {"status": "met", "note": "It happened."})
    assert response.status_code == 400
    assert "evidence" in response.json()["error"]["fields"]

    response = action(editor_client, record.expectation, "settle", {
        "status": "met", "note": "It happened.", "evidence_event": str(record.event.public_id),
    })

    assert response.status_code == 200, response.json()
    verdict = response.json()["verdict"]
    assert (response.json()["status"], verdict["status"], verdict["decided_by"]) == ("met", "met", "editor")
    assert verdict["evidence_event"] == str(record.event.public_id)


def test_settle_an_unknown_verdict_is_400(editor_client, record):
    response = action(editor_client, record.expectation, "settle", {"status": "maybe", "note": "?"})

    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]


def test_overturn_replaces_the_verdict_or_reopens(editor_client, record):
    action(editor_client, record.expectation, "settle", {"status": "missed", "note": "Nothing happened."})

    response = action(editor_client, record.expectation, "overturn", {"status": "open", "note": "Too early."})

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["verdict"]) == ("open", None)
    assert action(editor_client, record.expectation, "overturn", {"status": "met", "note": "x"}).status_code == 409


def test_review_lets_a_system_verdict_stand(editor_client, record, clock):
    late = make_expectation(now=clock, when=day_when((clock - timedelta(days=60)).date()), grace_period=timedelta(days=1))
    services.expectations_apply_grace(now=clock)
    assert action(editor_client, record.expectation, "review", {}).status_code == 409  # not a system verdict

    response = action(editor_client, late, "review", {"note": "Indeed missed."})

    assert response.status_code == 200, response.json()
    assert response.json()["verdict"]["reviewed_at"] is not None
    assert action(editor_client, late, "review", {}).status_code == 409  # only once


def test_trigger_opens_a_dormant_conditional_with_its_deadline(editor_client, record, clock):
    conditional = make_expectation(
        now=clock, when=day_when(clock.date()), expectation_type="conditional", status="dormant",
        condition="Hamas does not disarm.", trigger_deadline=timedelta(days=90),
    )

    response = action(editor_client, conditional, "trigger", {
        "trigger_event": str(record.event.public_id), "reason": "Hamas refused.",
    })

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "open" and body["trigger_event"] == str(record.event.public_id)
    assert body["target_kind"] == "by"
    assert body["when"]["start"] == "2025-12-29T00:00:00Z" and body["when"]["end"] == "2026-03-29T00:00:00Z"
    assert action(editor_client, conditional, "trigger", {}).status_code == 409
