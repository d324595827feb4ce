"""Old Idempotency-Keys are forgotten; recent ones keep answering retries."""

from datetime import timedelta

import pytest

from core.idempotency import idempotency_key_claim, idempotency_key_store
from core.models import IdempotencyKey
from core.tasks import prune_idempotency_keys

pytestmark = pytest.mark.django_db


def _key(name, created_at):
    claimed = idempotency_key_claim(user=None, key=name, method="POST", path="/api/v1/storylines/",
                                    request_hash="0" * 64, now=created_at, wait_seconds=1)
    idempotency_key_store(claimed=claimed, status=201, body={}, headers={})


def test_keys_older_than_the_keep_period_are_pruned(now, settings):
    settings.FW_API_IDEMPOTENCY_KEEP = timedelta(hours=48)
    _key("old", now - timedelta(hours=49))
    _key("recent", now - timedelta(hours=47))

    pruned = prune_idempotency_keys.run(now=now.isoformat())

    assert pruned == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]


def test_beat_prunes_daily():
    from config.celery_app import app

    app.finalize()
    entry = app.conf.beat_schedule["core-prune-idempotency-keys"]
    assert entry == {"task": "core.tasks.prune_idempotency_keys", "schedule": 24 * 3600}
    assert entry["task"] in app.tasks
