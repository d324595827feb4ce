"""Where our server may send a request to a URL someone typed: URL checks,
the address allow-list, and a connection pinned to the checked address.

A webhook URL is typed by a subscriber, a calendar to import by an editor, so
without a guard either is a way to make our server send requests into our own
network (the cloud metadata service at 169.254.169.254, an admin port on
localhost, a database on 10.x). The guard:

1. parses the URL strictly (http or https, a host, no user name or password);
2. resolves the host once;
3. checks every address it resolves to: by default only public addresses
   pass; with the policy's setting (WEBHOOK_ALLOWED_NETWORKS,
   FW_ICS_IMPORT_ALLOWED_NETWORKS) set to a list of CIDRs, only addresses
   inside those networks pass (tests allow ["127.0.0.1/32"]);
4. returns the addresses it checked, and the caller connects to one of those
   (`pinned_pool`), never resolving the name again. Resolving twice would let a DNS server
   answer a public address to the check and a private one to the connection
   (DNS rebinding).

If any address of a host is refused, the whole host is refused: which address
a client picks is not ours to predict, and a host that mixes public and private
addresses is exactly what a rebinding attack looks like.

Each use names its Policy (what the URL is for, which setting holds its
allow-list), so a refusal says what was refused: watch.netguard is the
webhooks' policy, timeline.feeds.ics_in.fetch the calendar importer's.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
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


@dataclass(frozen=True)
class Policy:
    """Who asks, in the words of its refusals, and where its allow-list is."""

    what: str  # "webhook": "The webhook URL has no host."
    refused: str  # "Webhooks may not be sent to {host}"
    reach: str  # "webhooks may": "... the networks webhooks may reach", "webhooks may only go to ..."
    setting: str  # the setting of its allow-list; None there means public addresses only

    def allowed_networks(self):
        return getattr(settings, self.setting)


class InvalidURL(ValueError):
    """The URL itself is unusable: wrong scheme, no host, credentials, bad port."""


class AddressNotAllowed(ValueError):
    """The host resolves to an address this policy may not reach."""

    def __init__(self, message: str, *, host: str, address: str):
        super().__init__(message)
        self.host = host
        self.address = address


class HostNotResolved(ValueError):
    """The host name did not resolve (now). Unlike the other two, trying again
    later may help: DNS can be briefly down, or a record not yet published."""


@dataclass(frozen=True)
class Target:
    """A checked-for-shape URL, split the way a connection needs it."""

    scheme: str  # "http" | "https"
    host: str  # lower-case ASCII (IDNA) name or IP literal, without brackets
    port: int
    request_target: str  # path and query, never empty: what goes on the request line
    host_header: str  # the Host header: the name, and the port unless it is the scheme's default


def parse_url(url: str, *, policy: Policy) -> Target:
    """Split a URL, or raise InvalidURL saying what is wrong with it."""
    what = policy.what
    if not isinstance(url, str) or not url:
        raise InvalidURL(f"The {what} URL is empty.")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidURL(f"The {what} URL is longer than {MAX_URL_LENGTH} characters.")
    # A space or a control character in the URL would end up on the request
    # line; refuse rather than quote it, so the subscriber sees the typo.
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        raise InvalidURL(f"The {what} URL contains spaces or control characters.")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InvalidURL(f"The {what} URL cannot be read: {exc}.") from None

    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidURL(f"A {what} URL must start with http:// or https://.")
    if "@" in parts.netloc:
        raise InvalidURL(f"A {what} URL must not carry a user name or password.")
    host = parts.hostname or ""
    if not host:
        raise InvalidURL(f"The {what} URL has no host.")
    try:
        port = parts.port
    except ValueError:
        raise InvalidURL(f"The {what} URL's port is not a number between 1 and 65535.") from None
    if port == 0:
        raise InvalidURL(f"The {what} URL's port is not a number between 1 and 65535.")

    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    is_ipv6 = isinstance(literal, ipaddress.IPv6Address)
    if parts.netloc.startswith("[") and not is_ipv6:
        raise InvalidURL(f"The {what} URL's host [{host}] is not an IPv6 address.")
    if literal is None:
        host = _ascii_host_name(host, what)
        if _numeric_spelling(host):
            # 2130706433, 0177.0.0.1, 0x7f.1, 127.1: the C resolver reads each
            # as an IPv4 address (127.0.0.1), no DNS asked; Python does not.
            # Refused here, so the answer never depends on which resolver runs.
            raise InvalidURL(
                f"The {what} URL's host {host} is an IP address in a non-standard spelling; "
                f"write it as four decimal numbers (a.b.c.d)."
            )

    port = port or DEFAULT_PORTS[scheme]
    shown_host = f"[{host}]" if is_ipv6 else host
    host_header = shown_host if port == DEFAULT_PORTS[scheme] else f"{shown_host}:{port}"
    request_target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=scheme, host=host, port=port, request_target=request_target, host_header=host_header)


def check_url(
    url: str,
    *,
    policy: Policy,
    resolver: Resolver | None = None,
    allowed_networks: Iterable[str | IPNetwork] | None = None,
) -> tuple[str, list[IPAddress]]:
    """Check a URL and the addresses its host resolves to.

    Returns (host, addresses): the host as it goes into the Host header and TLS
    name check, and the addresses to connect to, all of them checked. Raises
    InvalidURL, HostNotResolved or AddressNotAllowed (all ValueError).

    `resolver(host, port) -> list[str]` defaults to the system's getaddrinfo;
    `allowed_networks` defaults to the policy's setting, where None means
    "public addresses only".
    """
    target = parse_url(url, policy=policy)
    networks = _allowed_networks(
        policy.allowed_networks() if allowed_networks is None else allowed_networks, policy
    )
    literal = _ip_literal(target.host)
    if literal is not None:
        addresses = [literal]
    else:
        addresses = _resolve(target.host, target.port, resolver or system_resolver)

    for address in addresses:
        refusal = _refusal(address, networks, policy)
        if refusal:
            raise AddressNotAllowed(
                f"{policy.refused.format(host=target.host)}: it resolves to {address}, {refusal}.",
                host=target.host,
                address=str(address),
            )
    return target.host, addresses


def is_public_address(address: IPAddress) -> bool:
    """Whether the default (no allow-list) lets a request reach `address`."""
    return _why_not_public(address) is None


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the operating system resolves `host` to, in its order of preference."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostNotResolved(f"The host {host} could not be resolved: {exc}.") from None
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
        raise HostNotResolved(f"The host {host} resolves to no address.")
    return addresses


def _refusal(address: IPAddress, networks: list[IPNetwork] | None, policy: Policy) -> str | None:
    """Why `address` is refused, or None if it may be reached."""
    if networks is None:
        reason = _why_not_public(address)
        return f"which is {reason}; {policy.reach} only go to public addresses" if reason else None
    if any(address.version == network.version and address in network for network in networks):
        return None
    allowed = ", ".join(str(network) for network in networks) or "none"
    return f"which is outside the networks {policy.reach} reach ({allowed})"


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


def _allowed_networks(value, policy: Policy) -> list[IPNetwork] | None:
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
                f"{policy.setting} holds {entry!r}, which is not a network such as '127.0.0.1/32'."
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


def _numeric_spelling(host: str) -> bool:
    """Whether every label of `host` is a number (decimal, octal 0..., hex 0x...):
    no real host name is, since a top-level domain is never all digits."""
    labels = host.rstrip(".").split(".")
    return all(
        label.isdigit() or (label.startswith("0x") and all(c in "0123456789abcdef" for c in label[2:]))
        for label in labels
    )


def _ascii_host_name(host: str, what: str) -> str:
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidURL(f"The {what} URL's host {host!r} is not a valid host name.") from None
    labels = ascii_host.rstrip(".").split(".")
    if not all(label and len(label) <= 63 and all(c.isalnum() or c in "-_" for c in label) for label in labels):
        raise InvalidURL(f"The {what} URL's host {host!r} is not a valid host name.")
    return ascii_host.lower()


def pinned_pool(
    target: Target, address: IPAddress, timeout: urllib3.Timeout, *, ca_certs: str = ""
) -> urllib3.HTTPConnectionPool:
    """A connection pool to the checked `address`, never to the name: the
    Host header, and for https the SNI and certificate check, still name the
    host. No retries and no proxies: a retry is the caller's decision, and a
    proxy would resolve the name again."""
    common = {"host": str(address), "port": target.port, "timeout": timeout, "retries": False, "maxsize": 1}
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            **common,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=ca_certs or certifi.where(),
        )
    return urllib3.HTTPConnectionPool(**common)
