"""Throttling on the shared cache: past the rate, 429 with Retry-After in
the one error body. Test settings relax the rates; this test tightens them
and counts in Redis, as production does (CACHE_URL=rediscache://...)."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.api.conftest import API

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_rates_on_redis(settings, redis_url, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    # DRF copies DEFAULT_THROTTLE_RATES into this class attribute when
    # rest_framework.throttling loads, so overriding the setting now would
    # change nothing: the attribute is what each throttle reads (as DRF's own
    # tests set THROTTLE_RATES on their throttle classes).
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"})
    return redis_url


def test_anonymous_callers_are_throttled_per_address(anonymous_client, tight_rates_on_redis):
    statuses = [anonymous_client.get(f"{API}/storylines/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = anonymous_client.get(f"{API}/storylines/")
    assert response.json()["error"]["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_accounts_have_their_own_count(anonymous_client, editor_client, subscriber_client, tight_rates_on_redis):
    for _ in range(3):
        anonymous_client.get(f"{API}/storylines/")
    assert anonymous_client.get(f"{API}/storylines/").status_code == 429

    assert [editor_client.get(f"{API}/storylines/").status_code for _ in range(6)] == [200] * 5 + [429]
    assert subscriber_client.get(f"{API}/storylines/").status_code == 200


def test_counts_live_in_the_shared_cache(anonymous_client, tight_rates_on_redis):
    import redis

    anonymous_client.get(f"{API}/storylines/")

    keys = redis.Redis.from_url(tight_rates_on_redis).keys("*throttle_anon*")
    assert keys, "the anonymous count is not in Redis"
