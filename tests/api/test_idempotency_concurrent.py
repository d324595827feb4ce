"""Two requests with the same Idempotency-Key at the same moment, on
PostgreSQL: the second waits on the first one's key row and, once it
commits, replays its result; if the first holds the key too long, the
second answers 409 request_in_progress."""

import pytest

from core.models import IdempotencyKey
from tests.api.conftest import API, token_client
from tests.api.races import InThread, row_locked, wait_for_lock_waiters
from timeline.models import Change

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def postpone(client, milestone):
    return client.post(f"{API}/milestones/{milestone.public_id}/postpone/",
                       {"when": {"edtf": "2026-02", "tz": "UTC"}, "reason": "Moved."},
                       format="json", HTTP_IDEMPOTENCY_KEY="postpone-once")


def test_the_second_request_replays_the_first_once_it_commits(editor, record):
    milestone = record.milestone
    clients = token_client(editor), token_client(editor)

    # The first request claims the key, then waits on the item's row lock
    # inside its transaction; the second then waits on the first's key row.
    with row_locked("timeline_item", milestone.pk):
        first = InThread(lambda: postpone(clients[0], milestone))
        first.start()
        wait_for_lock_waiters(1)
        second = InThread(lambda: postpone(clients[1], milestone))
        second.start()
        wait_for_lock_waiters(2)

    first, second = first.outcome(), second.outcome()
    assert (first.status_code, second.status_code) == (200, 200)
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json() and second["ETag"] == first["ETag"]
    assert Change.objects.filter(item=milestone, kind="postponed").count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_a_key_held_too_long_answers_409_request_in_progress(editor, record, settings):
    settings.FW_API_IDEMPOTENCY_WAIT = 1
    milestone = record.milestone
    clients = token_client(editor), token_client(editor)

    with row_locked("timeline_item", milestone.pk):
        first = InThread(lambda: postpone(clients[0], milestone))
        first.start()
        wait_for_lock_waiters(1)
        second = postpone(clients[1], milestone)  # waits 1 s on the key, then gives up

        assert second.status_code == 409
        assert second.json()["error"]["code"] == "request_in_progress"

    assert first.outcome().status_code == 200
    assert postpone(clients[1], milestone)["Idempotent-Replayed"] == "true"
    assert Change.objects.filter(item=milestone, kind="postponed").count() == 1
