"""Rate limits per anonymous address and per account, on the default cache.

In production the default cache is Redis (CACHE_URL=rediscache://...), so the
count is shared by every web process; with the embedded defaults it is the
process's local memory. Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].

DRF's SimpleRateThrottle copies the rates into a class attribute at import,
so settings overridden later (tests, reloads) would be ignored; these read
them at each request instead.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _RatesFromSettings:
    def get_rate(self):
        rates = api_settings.DEFAULT_THROTTLE_RATES
        if self.scope not in rates:
            raise ImproperlyConfigured(f"No throttle rate for scope {self.scope!r} in DEFAULT_THROTTLE_RATES.")
        return rates[self.scope]  # None switches the limit off


class AnonymousThrottle(_RatesFromSettings, AnonRateThrottle):
    """Callers without credentials, per client address (scope "anon")."""

    scope = "anon"


class AccountThrottle(_RatesFromSettings, UserRateThrottle):
    """Signed-in callers, per account (scope "user")."""

    scope = "user"
