"""Webhooks reach only allowed addresses, resolved once and connected to as checked.

No test here lets a request leave this machine: the address decisions are
tested on check_url alone with a fixed resolver, every send runs under the
network guard of conftest.py (which refuses any connection beyond loopback),
and the refusal of a private address is also run in a process with no network
at all (`unshare -n`), so that even a broken guard could not reach 10.0.0.5.
"""

import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from watch.channels.base import DeliveryError
from watch.channels.webhook import WebhookChannel
from watch.netguard import AddressNotAllowed, HostNotResolved, InvalidWebhookURL, check_url, parse_webhook_url

from .receivers import WebhookReceiver, make_outgoing

REPO_ROOT = Path(__file__).resolve().parents[3]


def answering(*addresses):
    """A resolver that answers `addresses` for any host, and counts its calls."""

    def resolver(host, port):
        resolver.calls.append((host, port))
        return list(addresses)

    resolver.calls = []
    return resolver


# The default policy: public addresses only ---------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.0.0.5", "private"),
        ("192.168.1.10", "private"),
        ("172.16.0.1", "private"),
        ("169.254.169.254", "link-local"),  # the cloud metadata service
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6
        ("::ffff:10.0.0.5", "private"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("0.0.0.0", "unspecified"),
        ("0.1.2.3", "this network"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff0e::1", "multicast"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fec0::1", "site-local"),
        ("2002:a00:5::1", "6to4 form of a private"),  # 6to4 wrapping 10.0.0.5
        ("64:ff9b::a00:5", "NAT64 form of a private"),  # NAT64 wrapping 10.0.0.5
        ("198.18.0.1", "private"),  # benchmarking
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),  # the broadcast address
    ],
)
def test_a_host_resolving_to_a_non_public_address_is_refused(address, reason):
    with pytest.raises(AddressNotAllowed) as caught:
        check_url("https://hooks.example.com/in", resolver=answering(address), allowed_networks=None)

    message = str(caught.value)
    assert caught.value.host == "hooks.example.com"
    resolved = ipaddress.ip_address(address)
    shown = getattr(resolved, "ipv4_mapped", None) or resolved  # ::ffff:a.b.c.d is judged as a.b.c.d
    assert f"Webhooks may not be sent to hooks.example.com: it resolves to {shown}, which is" in message
    assert reason in message


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111", "64:ff9b::5db8:d822"])
def test_a_host_resolving_to_public_addresses_passes(address, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = None
    resolver = answering(address)

    host, addresses = check_url("https://hooks.example.com/in", resolver=resolver)

    assert host == "hooks.example.com"
    assert addresses == [ipaddress.ip_address(address)]
    assert resolver.calls == [("hooks.example.com", 443)]


def test_one_private_address_among_public_ones_refuses_the_whole_host(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = None
    resolver = answering("93.184.216.34", "10.0.0.5", "2606:4700:4700::1111")

    with pytest.raises(AddressNotAllowed) as caught:
        check_url("https://hooks.example.com/in", resolver=resolver)

    assert caught.value.address == "10.0.0.5"
    assert len(resolver.calls) == 1  # resolved once, never again


def test_an_ip_literal_is_checked_without_resolving(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = None
    resolver = answering("93.184.216.34")

    for url in ("http://10.0.0.5/hook", "http://[::1]:8080/hook", "http://[::ffff:169.254.169.254]/"):
        with pytest.raises(AddressNotAllowed):
            check_url(url, resolver=resolver)

    assert resolver.calls == []


def test_a_loopback_address_in_disguise_is_refused_before_any_resolver(settings):
    # 2130706433 is 127.0.0.1 written as one number; getaddrinfo reads it
    # without any DNS. It is refused as a spelling, before anything resolves it
    # (tests/attacks/test_webhook_targets.py tries the other spellings).
    settings.WEBHOOK_ALLOWED_NETWORKS = None

    with pytest.raises(InvalidWebhookURL, match="non-standard spelling"):
        check_url("http://2130706433/hook")


def test_a_host_that_resolves_to_nothing_is_reported_as_such():
    with pytest.raises(HostNotResolved, match="hooks.example.com"):
        check_url("https://hooks.example.com/in", resolver=answering())
    with pytest.raises(HostNotResolved, match="not an IP address"):
        check_url("https://hooks.example.com/in", resolver=answering("localhost"))


# An allow-list, as in tests ---------------------------------------------------------


def test_with_an_allow_list_only_its_networks_pass(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]

    assert check_url("http://hooks.test:8080/in", resolver=answering("127.0.0.1"))[1] == [
        ipaddress.ip_address("127.0.0.1")
    ]
    assert check_url("http://hooks.test/in", resolver=answering("::ffff:127.0.0.1"))[1] == [
        ipaddress.ip_address("127.0.0.1")
    ]
    for refused in ("127.0.0.2", "::1", "93.184.216.34"):
        with pytest.raises(AddressNotAllowed, match=r"outside the networks webhooks may reach \(127.0.0.1/32\)"):
            check_url("http://hooks.test/in", resolver=answering(refused))


def test_an_allow_list_that_is_not_networks_is_a_configuration_error(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32", "localhost"]

    with pytest.raises(ImproperlyConfigured, match="'localhost'"):
        check_url("http://hooks.test/in", resolver=answering("127.0.0.1"))


# The URL itself ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("ftp://hooks.example.com/in", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("hooks.example.com/in", "http:// or https://"),
        ("https:///in", "no host"),
        ("https://user:secret@hooks.example.com/in", "user name or password"),
        ("https://@hooks.example.com/in", "user name or password"),
        ("https://hooks.example.com:99999/in", "port"),
        ("https://hooks.example.com:0/in", "port"),
        ("https://hooks.example.com/in put", "spaces or control characters"),
        ("https://hooks.example.com/in\r\nX-Injected: 1", "spaces or control characters"),
        ("https://[hooks.example.com]/in", "IPv6 address"),
        ("https://[10.0.0.5]/in", "IPv4 address cannot be in brackets|not an IPv6 address"),
        ("https://hooks..example.com/in", "not a valid host name"),
        ("", "empty"),
    ],
)
def test_a_malformed_url_is_refused_saying_why(url, complaint):
    resolver = answering("93.184.216.34")

    with pytest.raises(InvalidWebhookURL, match=complaint):
        check_url(url, resolver=resolver)

    assert resolver.calls == []


def test_a_url_splits_into_what_the_connection_needs():
    target = parse_webhook_url("HTTPS://Hooks.Example.COM/in/?token=1#ignored")
    assert (target.scheme, target.host, target.port, target.request_target, target.host_header) == (
        "https", "hooks.example.com", 443, "/in/?token=1", "hooks.example.com",
    )
    target = parse_webhook_url("http://[2606:4700::1111]:8080")
    assert (target.host, target.port, target.request_target, target.host_header) == (
        "2606:4700::1111", 8080, "/", "[2606:4700::1111]:8080",
    )
    assert parse_webhook_url("https://bücher.example/in").host == "xn--bcher-kva.example"


# Sending ------------------------------------------------------------------------------


def test_a_refused_address_fails_permanently_and_opens_no_socket(settings, network_guard):
    settings.WEBHOOK_ALLOWED_NETWORKS = None
    channel = WebhookChannel(resolver=answering("10.0.0.5"))

    with pytest.raises(DeliveryError) as caught:
        channel.send(make_outgoing(channel="webhook", address="http://internal.example/hook"))

    assert caught.value.retryable is False
    assert "10.0.0.5" in caught.value.message
    assert network_guard.connects == []
    assert network_guard.lookups == []


def test_a_refused_address_opens_no_socket_even_in_a_process_without_a_network():
    # If the guard were broken, the send would try 10.0.0.5; in a network
    # namespace of its own with only a loopback that is down, no packet can
    # leave whatever the code does, and the failure would be a retryable
    # connection error rather than the permanent refusal asserted here.
    if not shutil.which("unshare"):
        pytest.skip("unshare (util-linux) is not installed; the in-process guard test covers this")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -n is not permitted here: {probe.stderr.decode().strip()}")

    script = textwrap.dedent(
        """
        import json, socket, sys
        import django
        django.setup()
        from watch.channels.base import DeliveryError
        from watch.channels.webhook import WebhookChannel
        from tests.watch.channels.receivers import make_outgoing

        connects = []
        sys.addaudithook(lambda event, args: connects.append(str(args[1])) if event == "socket.connect" else None)
        outcome = {"interfaces": [name for _, name in socket.if_nameindex()]}
        channel = WebhookChannel(resolver=lambda host, port: ["10.0.0.5"])
        try:
            channel.send(make_outgoing(channel="webhook", address="http://internal.example/hook"))
            outcome["sent"] = True
        except DeliveryError as exc:
            outcome.update(retryable=exc.retryable, message=exc.message)
        outcome["connects"] = connects
        print(json.dumps(outcome))
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env.pop("WEBHOOK_ALLOWED_NETWORKS", None)
    result = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", script],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["interfaces"] == ["lo"]  # the premise: no way out of this process
    assert outcome.get("sent") is None
    assert outcome["retryable"] is False
    assert "10.0.0.5" in outcome["message"]
    assert outcome["connects"] == []


def test_the_request_goes_to_the_checked_address_with_the_host_name_kept(webhook_receiver, network_guard):
    # hooks.test exists in no DNS; the request can only arrive through the
    # address the resolver gave the guard.
    resolver = answering("127.0.0.1")
    channel = WebhookChannel(resolver=resolver)

    note = channel.send(make_outgoing(channel="webhook", address=webhook_receiver.url("/hook", host="hooks.test")))

    assert note == "HTTP 200"
    [request] = webhook_receiver.requests
    assert request.headers["host"] == f"hooks.test:{webhook_receiver.port}"
    assert resolver.calls == [("hooks.test", webhook_receiver.port)]
    assert "hooks.test" not in network_guard.lookups  # nothing resolved the name a second time
    assert network_guard.connects == [("127.0.0.1", webhook_receiver.port)]


def test_an_ipv6_address_is_connected_to_as_checked(settings, network_guard):
    if not socket.has_ipv6:
        pytest.skip("this Python has no IPv6 support")
    try:
        receiver = WebhookReceiver(address="::1").start()
    except OSError as exc:
        pytest.skip(f"no IPv6 loopback here: {exc}")
    settings.WEBHOOK_ALLOWED_NETWORKS = ["::1/128"]
    try:
        note = WebhookChannel(resolver=answering("::1")).send(
            make_outgoing(channel="webhook", address=f"http://hooks.test:{receiver.port}/hook")
        )
    finally:
        receiver.stop()

    assert note == "HTTP 200"
    [request] = receiver.requests
    assert request.headers["host"] == f"hooks.test:{receiver.port}"
    assert [address[:2] for address in network_guard.connects] == [("::1", receiver.port)]


# https: pinned to the address, verified for the host name ------------------------------


@pytest.fixture
def tls_receiver(tls_files, allow_loopback, settings):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls_files / "hooks.pem", tls_files / "hooks.key")
    settings.WEBHOOK_CA_BUNDLE = str(tls_files / "ca.pem")
    receiver = WebhookReceiver(ssl_context=context).start()
    yield receiver
    receiver.stop()


def test_https_is_pinned_to_the_address_but_verified_for_the_host_name(tls_receiver):
    channel = WebhookChannel(resolver=answering("127.0.0.1"))

    note = channel.send(make_outgoing(channel="webhook", address=tls_receiver.url("/hook", host="hooks.test")))

    assert note == "HTTP 200"
    assert tls_receiver.server_names == ["hooks.test"]  # SNI names the host, not 127.0.0.1
    [request] = tls_receiver.requests
    assert request.headers["host"] == f"hooks.test:{tls_receiver.port}"


def test_https_to_a_host_the_certificate_does_not_name_fails(tls_receiver):
    # other.test resolves to the same address, but the certificate there is
    # for hooks.test: the name check must use the URL's host, not the IP.
    channel = WebhookChannel(resolver=answering("127.0.0.1"))

    with pytest.raises(DeliveryError) as caught:
        channel.send(make_outgoing(channel="webhook", address=tls_receiver.url("/hook", host="other.test")))

    assert "TLS with other.test failed" in caught.value.message
    assert "other.test" in caught.value.message
    assert tls_receiver.requests == []
