"""How often a person may ask to subscribe: per address and per client IP.

The counting is REST framework's SimpleRateThrottle (a sliding window of
request times in the default cache, Redis in production, so every web process
shares one count), used here from a plain Django view; the rates are
settings.WATCH_SUBSCRIBE_RATE_PER_ADDRESS and _PER_IP. Addresses are counted
under a hash, so the cache holds no one's email address.
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class _Counted(SimpleRateThrottle):
    def __init__(self, *, scope: str, rate: str, ident: str):
        self.scope, self.rate, self.ident = scope, rate, ident
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}


def client_ip(request) -> str:
    """The client's address as the API's throttles read it (NUM_PROXIES)."""
    return SimpleRateThrottle.get_ident(SimpleRateThrottle.__new__(SimpleRateThrottle), request) or "unknown"


def per_ip(request) -> _Counted:
    return _Counted(scope="watch-subscribe-ip", rate=settings.WATCH_SUBSCRIBE_RATE_PER_IP, ident=client_ip(request))


def per_address(address: str) -> _Counted:
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()
    return _Counted(scope="watch-subscribe-address", rate=settings.WATCH_SUBSCRIBE_RATE_PER_ADDRESS, ident=digest)


def over_limit(request, throttle: _Counted) -> int | None:
    """None if the request is within the limit (and counts it), else how
    many whole seconds to wait (the Retry-After)."""
    if throttle.allow_request(request, None):
        return None
    return max(1, math.ceil(throttle.wait() or 1))
