"""Every webhook target the issue names is refused twice: when a subscriber
gives it (the API answers 400 on webhook_url) and when a delivery is sent to
it anyway (a row written before the rule, or a DNS answer that changed): a
permanent failure, with no connection opened.

No packet can leave this machine whatever the code does: names are resolved
only by fixed resolvers the tests hand in (core.netguard.system_resolver is
replaced, and the guard of conftest.py records any getaddrinfo), the guard
refuses any connection beyond loopback, and the delivery half runs again in
a process with no network at all (`unshare -n`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core import netguard as core_netguard
from tests.conftest import service_unavailable
from tests.api.conftest import API, token_client
from tests.builders import make_storyline
from tests.watch.channels.receivers import make_outgoing
from watch.channels.base import DeliveryError
from watch.channels.webhook import WebhookChannel
from watch.models import Subscription

pytestmark = pytest.mark.django_db

REPO_ROOT = Path(__file__).resolve().parents[2]

# (url, what the fixed resolver answers for its host name): every case of the issue.
TARGETS = {
    "loopback 127.0.0.1": ("http://127.0.0.1/hook", []),
    "loopback 127.8.9.10": ("http://127.8.9.10:8080/hook", []),
    "loopback ::1": ("http://[::1]/hook", []),
    "localhost": ("http://localhost/hook", ["127.0.0.1", "::1"]),
    "10/8": ("http://10.0.0.5/hook", []),
    "172.16/12": ("http://172.20.1.1/hook", []),
    "192.168/16": ("http://192.168.1.10/hook", []),
    "cloud metadata 169.254.169.254": ("http://169.254.169.254/latest/meta-data/", []),
    "fc00::/7": ("http://[fd12:3456::1]/hook", []),
    "fe80::/10": ("http://[fe80::1]/hook", []),
    "IPv4-mapped loopback": ("http://[::ffff:127.0.0.1]/hook", []),
    "IPv4-mapped metadata": ("http://[::ffff:169.254.169.254]/hook", []),
    "IPv4-mapped hex form": ("http://[::ffff:7f00:1]/hook", []),
    "decimal 2130706433": ("http://2130706433/hook", ["93.184.216.34"]),
    "octal 0177.0.0.1": ("http://0177.0.0.1/hook", ["93.184.216.34"]),
    "hex 0x7f.0.0.1": ("http://0x7f.0.0.1/hook", ["93.184.216.34"]),
    "short 127.1": ("http://127.1/hook", ["93.184.216.34"]),
    "octal metadata 0251.0376.0251.0376": ("http://0251.0376.0251.0376/", ["93.184.216.34"]),
    "a name resolving to loopback": ("https://hooks.attacker.example/in", ["127.0.0.1"]),
    "a name resolving to metadata": ("https://hooks.attacker.example/in", ["169.254.169.254"]),
    "a name with one private address among public ones": (
        "https://hooks.attacker.example/in", ["93.184.216.34", "10.1.2.3"]),
    "a name resolving to IPv4-mapped private": ("https://hooks.attacker.example/in", ["::ffff:192.168.0.1"]),
    "a name resolving to link-local IPv6": ("https://hooks.attacker.example/in", ["fe80::abcd"]),
}

CHECKED = {"validation": 0, "delivery": 0}


def fixed(answers):
    def resolver(host, port):
        resolver.calls.append(host)
        return list(answers)

    resolver.calls = []
    return resolver


@pytest.fixture
def public_only(settings, monkeypatch):
    """The production policy (public addresses only), and no system resolver:
    anything the code would resolve goes to the case's fixed answers."""
    settings.WEBHOOK_ALLOWED_NETWORKS = None
    answers = {"value": []}

    def system(host, port):
        return list(answers["value"])

    monkeypatch.setattr(core_netguard, "system_resolver", system)
    return answers


@pytest.mark.parametrize("case", list(TARGETS))
def test_the_api_refuses_the_target_when_it_is_given(case, public_only, no_network, subscriber):
    url, answers = TARGETS[case]
    public_only["value"] = answers
    make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    response = token_client(subscriber).post(f"{API}/subscriptions/", {
        "storyline": "gaza-ceasefire", "channels": ["webhook"], "webhook_url": url,
    }, format="json")
    CHECKED["validation"] += 1

    assert response.status_code == 400, (case, response.status_code, response.content[:300])
    error = response.json()["error"]
    assert error["code"] == "invalid_input" and "webhook_url" in error["fields"], error
    assert not Subscription.objects.exists()
    assert no_network.connects == [] and no_network.lookups == []


@pytest.mark.parametrize("case", list(TARGETS))
def test_a_delivery_to_the_target_fails_for_good_without_a_connection(case, settings, no_network):
    settings.WEBHOOK_ALLOWED_NETWORKS = None
    url, answers = TARGETS[case]
    resolver = fixed(answers)
    CHECKED["delivery"] += 1

    with pytest.raises(DeliveryError) as caught:
        WebhookChannel(resolver=resolver).send(make_outgoing(channel="webhook", address=url))

    assert caught.value.retryable is False, caught.value.message
    assert no_network.connects == [] and no_network.lookups == []
    assert len(resolver.calls) <= 1  # resolved once at most (literals and bad spellings: never)


def test_the_refusals_hold_in_a_process_without_a_network():
    """The delivery half again, under `unshare -n` (only a loopback that is
    down): even with a broken guard no packet could leave, and a refusal must
    still be the permanent one, not a connection error."""
    if not shutil.which("unshare"):
        service_unavailable("unshare (util-linux) is not installed; the audit-hook guard covers this")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        service_unavailable(f"unshare -n is not permitted here: {probe.stderr.decode().strip()}")
    script = textwrap.dedent(
        """
        import json, sys
        import django
        django.setup()
        from django.conf import settings
        from watch.channels.base import DeliveryError
        from watch.channels.webhook import WebhookChannel
        from tests.watch.channels.receivers import make_outgoing

        settings.WEBHOOK_ALLOWED_NETWORKS = None
        connects = []
        sys.addaudithook(lambda e, a: connects.append(str(a[1])) if e == "socket.connect" else None)
        outcome = {}
        for case, (url, answers) in json.loads(sys.argv[1]).items():
            channel = WebhookChannel(resolver=lambda host, port, answers=answers: list(answers))
            try:
                channel.send(make_outgoing(channel="webhook", address=url))
                outcome[case] = "sent"
            except DeliveryError as exc:
                outcome[case] = "permanent" if not exc.retryable else "retryable: " + exc.message
        print(json.dumps({"outcome": outcome, "connects": connects}))
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", script, json.dumps(TARGETS)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["outcome"] == {case: "permanent" for case in TARGETS}
    assert report["connects"] == []


# -- A redirect from an allowed address to a forbidden one ---------------------------------

class Redirector:
    """A receiver on 127.0.0.1 that answers every POST with a redirect to `location`."""

    def __init__(self, location: str, status: int = 307):
        outer = self
        self.hits = 0

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.hits += 1
                self.send_response(status)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("location", [
    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/admin", "http://[::1]:6379/",
    "http://localhost:5432/",
])
def test_a_redirect_from_an_allowed_receiver_to_a_forbidden_one_is_not_followed(
    status, location, settings, no_network
):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the allowed receiver is on loopback here
    with Redirector(location, status) as receiver:
        with pytest.raises(DeliveryError) as caught:
            WebhookChannel(resolver=fixed([])).send(make_outgoing(channel="webhook", address=receiver.url))
        assert receiver.hits == 1
    assert caught.value.retryable is False
    assert "redirects are not followed" in caught.value.message
    port = int(receiver.url.split(":")[2].split("/")[0])
    assert no_network.connects == [("127.0.0.1", port)]  # one connection, to the checked address
    assert no_network.lookups == ["127.0.0.1"]  # urllib3 "resolving" the checked literal: no DNS


def test_a_dns_answer_that_changes_after_the_check_is_never_asked_for(settings, no_network):
    """Resolve once, connect to the checked address: a resolver that would
    answer loopback-then-private (rebinding) is called once, and the request
    goes to the address that was checked."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with Redirector("/landing", 200) as receiver:
        port = int(receiver.url.split(":")[2].split("/")[0])
        answers = iter([["127.0.0.1"], ["10.0.0.5"], ["10.0.0.5"]])
        calls = []

        def rebinding(host, port_):
            calls.append(host)
            return next(answers)

        result = WebhookChannel(resolver=rebinding).send(
            make_outgoing(channel="webhook", address=f"http://hooks.rebind.example:{port}/hook"))
    assert result.startswith("HTTP 200")
    assert calls == ["hooks.rebind.example"]
    assert no_network.connects == [("127.0.0.1", port)]
    assert no_network.lookups == ["127.0.0.1"]  # the checked address, never the name
