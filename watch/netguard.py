"""Where a webhook may go: the address guard of core.netguard with the
webhooks' policy (settings.WEBHOOK_ALLOWED_NETWORKS; unset, public addresses
only). The guard resolves the host once, checks every address, and the
channel connects to a checked one (core.netguard.pinned_pool), so a DNS
answer cannot change between the check and the connection."""

from __future__ import annotations

from collections.abc import Iterable

from core.netguard import (  # noqa: F401  (the names watch has always used)
    DEFAULT_PORTS, MAX_URL_LENGTH, AddressNotAllowed, HostNotResolved, IPAddress, IPNetwork, Policy, Resolver,
    Target, is_public_address, pinned_pool, system_resolver,
)
from core.netguard import InvalidURL as InvalidWebhookURL
from core.netguard import check_url as _check_url
from core.netguard import parse_url

WebhookTarget = Target

__all__ = [
    "DEFAULT_PORTS", "MAX_URL_LENGTH", "WEBHOOKS", "AddressNotAllowed", "HostNotResolved", "IPAddress", "IPNetwork",
    "InvalidWebhookURL", "Policy", "Resolver", "WebhookTarget", "check_url", "is_public_address",
    "parse_webhook_url", "pinned_pool", "system_resolver",
]

WEBHOOKS = Policy(
    what="webhook", refused="Webhooks may not be sent to {host}", reach="webhooks may",
    setting="WEBHOOK_ALLOWED_NETWORKS",
)


def parse_webhook_url(url: str) -> WebhookTarget:
    """Split a webhook URL, or raise InvalidWebhookURL saying what is wrong with it."""
    return parse_url(url, policy=WEBHOOKS)


def check_url(
    url: str,
    *,
    resolver: Resolver | None = None,
    allowed_networks: Iterable[str | IPNetwork] | None = None,
) -> tuple[str, list[IPAddress]]:
    """Check a webhook URL and the addresses its host resolves to: see core.netguard.check_url."""
    return _check_url(url, policy=WEBHOOKS, resolver=resolver, allowed_networks=allowed_networks)
