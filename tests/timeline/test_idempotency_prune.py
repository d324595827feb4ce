"""Old Idempotency-Keys are forgotten; recent ones keep answering retries."""

from datetime import timedelta

import pytest

from timeline.models import IdempotencyKey
from timeline.tasks import prune_idempotency_keys

pytestmark = pytest.mark.django_db


def _key(name, created_at):
    return IdempotencyKey.objects.create(
        key=name, method="POST", path="/api/v1/storylines/", request_hash="0" * 64,
        response_status=201, response_body={}, created_at=created_at,
    )


def test_keys_older_than_the_keep_period_are_pruned(now, settings):
    settings.FW_API_IDEMPOTENCY_KEEP = timedelta(hours=48)
    _key("old", now - timedelta(hours=49))
    _key("recent", now - timedelta(hours=47))

    pruned = prune_idempotency_keys.run(now=now.isoformat())

    assert pruned == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]
