"""Where a webhook may go: URL checks and the address allow-list.

A webhook URL is typed by a subscriber, so without a guard it is a way to make
our server send requests into our own network (the cloud metadata service at
169.254.169.254, an admin port on localhost, a database on 10.x). The guard:

1. parses the URL strictly (http or https, a host, no user name or password);
2. resolves the host once;
3. checks every address it resolves to: by default only public addresses
   pass; with settings.WEBHOOK_ALLOWED_NETWORKS set to a list of CIDRs, only
   addresses inside those networks pass (tests allow ["127.0.0.1/32"]);
4. returns the addresses it checked, and the channel connects to one of those,
   never resolving the name again. Resolving twice would let a DNS server
   answer a public address to the check and a private one to the connection
   (DNS rebinding).

If any address of a host is refused, the whole host is refused: which address
a client picks is not ours to predict, and a host that mixes public and private
addresses is exactly what a rebinding attack looks like.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

MAX_URL_LENGTH = 2048
DEFAULT_PORTS = {"http": 80, "https": 443}

# Ranges that ipaddress's is_global / is_private do not flag on every Python
# version we may run on, named here so the refusal can say what they are.
_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT, RFC 6598
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")  # RFC 1122 "this host on this network"
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: embeds an IPv4 address
_NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: translates into local networks


class InvalidWebhookURL(ValueError):
    """The URL itself is unusable: wrong scheme, no host, credentials, bad port."""


class AddressNotAllowed(ValueError):
    """The host resolves to an address webhooks may not reach."""

    def __init__(self, message: str, *, host: str, address: str):
        super().__init__(message)
        self.host = host
        self.address = address


class HostNotResolved(ValueError):
    """The host name did not resolve (now). Unlike the other two, trying again
    later may help: DNS can be briefly down, or a record not yet published."""


@dataclass(frozen=True)
class WebhookTarget:
    """A checked-for-shape webhook URL, split the way a connection needs it."""

    scheme: str  # "http" | "https"
    host: str  # lower-case ASCII (IDNA) name or IP literal, without brackets
    port: int
    request_target: str  # path and query, never empty: what goes on the request line
    host_header: str  # the Host header: the name, and the port unless it is the scheme's default


def parse_webhook_url(url: str) -> WebhookTarget:
    """Split a webhook URL, or raise InvalidWebhookURL saying what is wrong with it."""
    if not isinstance(url, str) or not url:
        raise InvalidWebhookURL("The webhook URL is empty.")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidWebhookURL(f"The webhook URL is longer than {MAX_URL_LENGTH} characters.")
    # A space or a control character in the URL would end up on the request
    # line; refuse rather than quote it, so the subscriber sees the typo.
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        raise InvalidWebhookURL("The webhook URL contains spaces or control characters.")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InvalidWebhookURL(f"The webhook URL cannot be read: {exc}.") from None

    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidWebhookURL("A webhook URL must start with http:// or https://.")
    if "@" in parts.netloc:
        raise InvalidWebhookURL("A webhook URL must not carry a user name or password.")
    host = parts.hostname or ""
    if not host:
        raise InvalidWebhookURL("The webhook URL has no host.")
    try:
        port = parts.port
    except ValueError:
        raise InvalidWebhookURL("The webhook URL's port is not a number between 1 and 65535.") from None
    if port == 0:
        raise InvalidWebhookURL("The webhook URL's port is not a number between 1 and 65535.")

    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    is_ipv6 = isinstance(literal, ipaddress.IPv6Address)
    if parts.netloc.startswith("[") and not is_ipv6:
        raise InvalidWebhookURL(f"The webhook URL's host [{host}] is not an IPv6 address.")
    if literal is None:
        host = _ascii_host_name(host)

    port = port or DEFAULT_PORTS[scheme]
    shown_host = f"[{host}]" if is_ipv6 else host
    host_header = shown_host if port == DEFAULT_PORTS[scheme] else f"{shown_host}:{port}"
    request_target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return WebhookTarget(scheme=scheme, host=host, port=port, request_target=request_target, host_header=host_header)


def check_url(
    url: str,
    *,
    resolver: Resolver | None = None,
    allowed_networks: Iterable[str | IPNetwork] | None = None,
) -> tuple[str, list[IPAddress]]:
    """Check a webhook URL and the addresses its host resolves to.

    Returns (host, addresses): the host as it goes into the Host header and TLS
    name check, and the addresses to connect to, all of them checked. Raises
    InvalidWebhookURL, HostNotResolved or AddressNotAllowed (all ValueError).

    `resolver(host, port) -> list[str]` defaults to the system's getaddrinfo;
    `allowed_networks` defaults to settings.WEBHOOK_ALLOWED_NETWORKS, where
    None means "public addresses only".
    """
    target = parse_webhook_url(url)
    networks = _allowed_networks(settings.WEBHOOK_ALLOWED_NETWORKS if allowed_networks is None else allowed_networks)
    literal = _ip_literal(target.host)
    if literal is not None:
        addresses = [literal]
    else:
        addresses = _resolve(target.host, target.port, resolver or system_resolver)

    for address in addresses:
        refusal = _refusal(address, networks)
        if refusal:
            raise AddressNotAllowed(
                f"Webhooks may not be sent to {target.host}: it resolves to {address}, {refusal}.",
                host=target.host,
                address=str(address),
            )
    return target.host, addresses


def is_public_address(address: IPAddress) -> bool:
    """Whether the default policy (no allow-list) lets a webhook reach `address`."""
    return _why_not_public(address) is None


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the operating system resolves `host` to, in its order of preference."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostNotResolved(f"The webhook host {host} could not be resolved: {exc}.") from None
    return [info[4][0] for info in infos]


def _resolve(host: str, port: int, resolver: Resolver) -> list[IPAddress]:
    answers = resolver(host, port)
    addresses: list[IPAddress] = []
    for answer in answers or ():
        try:
            address = _unmap(ipaddress.ip_address(answer))
        except ValueError:
            raise HostNotResolved(f"Resolving {host} gave {answer!r}, which is not an IP address.") from None
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise HostNotResolved(f"The webhook host {host} resolves to no address.")
    return addresses


def _refusal(address: IPAddress, networks: list[IPNetwork] | None) -> str | None:
    """Why `address` is refused, or None if it may be reached."""
    if networks is None:
        reason = _why_not_public(address)
        return f"which is {reason}; webhooks may only go to public addresses" if reason else None
    if any(address.version == network.version and address in network for network in networks):
        return None
    allowed = ", ".join(str(network) for network in networks) or "none"
    return f"which is outside the networks webhooks may reach ({allowed})"


def _why_not_public(address: IPAddress) -> str | None:
    """A short description of why `address` is not a public one, or None."""
    if isinstance(address, ipaddress.IPv6Address):
        # Forms that carry an IPv4 address inside: judge the address they lead to.
        if address.ipv4_mapped is not None:
            reason = _why_not_public(address.ipv4_mapped)
            return f"an IPv4-mapped form of {reason}" if reason else None
        if address in _NAT64_WELL_KNOWN:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
            reason = _why_not_public(embedded)
            return f"a NAT64 form of {reason}" if reason else None
        if address in _NAT64_LOCAL_USE:
            return "a local-use NAT64 address"
        if address.sixtofour is not None:
            reason = _why_not_public(address.sixtofour)
            return f"a 6to4 form of {reason}" if reason else None
        if address.teredo is not None:
            return "a Teredo tunnel address"
        if address.is_site_local:
            return "a site-local address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv4Address):
        if address in _THIS_NETWORK:
            return 'a "this network" address (0.0.0.0/8)'
        if address in _SHARED_ADDRESS_SPACE:
            return "a carrier-grade NAT address (100.64.0.0/10)"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "not a globally reachable address"
    return None


def _allowed_networks(value) -> list[IPNetwork] | None:
    if value is None:
        return None
    if isinstance(value, (str, ipaddress.IPv4Network, ipaddress.IPv6Network)):
        value = [value]
    networks = []
    for entry in value:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except (TypeError, ValueError):
            raise ImproperlyConfigured(
                f"WEBHOOK_ALLOWED_NETWORKS holds {entry!r}, which is not a network such as '127.0.0.1/32'."
            ) from None
    return networks


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return _unmap(ipaddress.ip_address(host))
    except ValueError:
        return None


def _unmap(address: IPAddress) -> IPAddress:
    """::ffff:a.b.c.d is a.b.c.d: compare and connect to it as IPv4."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _ascii_host_name(host: str) -> str:
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidWebhookURL(f"The webhook URL's host {host!r} is not a valid host name.") from None
    labels = ascii_host.rstrip(".").split(".")
    if not all(label and len(label) <= 63 and all(c.isalnum() or c in "-_" for c in label) for label in labels):
        raise InvalidWebhookURL(f"The webhook URL's host {host!r} is not a valid host name.")
    return ascii_host.lower()
