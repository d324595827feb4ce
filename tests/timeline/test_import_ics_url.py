"""A calendar URL is fetched through the address guard (public addresses
only unless FW_ICS_IMPORT_ALLOWED_NETWORKS allows more), with a size cap and
a timeout, and no redirect followed. The server here is on loopback, and the
channel tests' network guard refuses any connection beyond it."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.builders import make_storyline
from tests.watch.channels.conftest import network_guard  # noqa: F401  (armed for every test here)
from timeline.feeds.ics_in import import_location
from timeline.models import Milestone

GOOGLE = (Path(__file__).parent / "fixtures" / "ics" / "google.ics").read_bytes()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the stdlib's name)
        self.server.requests.append((self.path, self.headers.get("Host")))
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "http://10.0.0.5/calendar.ics")
            self.end_headers()
            return
        if self.path == "/slow":
            self.send_response(200)
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"X" * 10)
                self.wfile.flush()
                time.sleep(0.05)
            return
        body = GOOGLE * (50 if self.path == "/huge" else 1)
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        if self.path != "/huge-undeclared":
            self.send_header("Content-Length", str(len(body)))
        else:
            body = GOOGLE * 50
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def storyline(db):
    return make_storyline("Gaza ceasefire", slug="gaza")


@pytest.fixture
def loopback_allowed(settings):
    settings.FW_ICS_IMPORT_ALLOWED_NETWORKS = ["127.0.0.1/32"]


def run(url, storyline, now, **options):
    return import_location(url, storyline=storyline, by="system", now=now, **options)


def only_rejection(report) -> str:
    assert not report.created
    [rejection] = report.rejections
    return rejection.reason


def test_a_url_on_an_allowed_network_imports(server, storyline, now, loopback_allowed, network_guard):  # noqa: F811
    url = f"http://calendars.test:{server.server_port}/desk.ics"

    report = run(url, storyline, now, resolver=lambda host, port: ["127.0.0.1"])

    assert report.created == 6
    assert server.requests == [("/desk.ics", f"calendars.test:{server.server_port}")]
    assert network_guard.connects == [("127.0.0.1", server.server_port)]
    assert "calendars.test" not in network_guard.lookups  # resolved once, by the guard's resolver
    assert Milestone.objects.count() == 6


def test_by_default_only_public_addresses_are_fetched(server, storyline, now):
    reason = only_rejection(run(f"http://127.0.0.1:{server.server_port}/desk.ics", storyline, now))

    assert reason == ("Calendars may not be fetched from 127.0.0.1: it resolves to 127.0.0.1, which is a "
                      "loopback address; calendar imports may only go to public addresses.")
    assert server.requests == []


def test_a_name_resolving_to_a_private_address_is_refused_unconnected(storyline, now, network_guard):  # noqa: F811
    reason = only_rejection(run("https://calendar.example.org/x.ics", storyline, now,
                                resolver=lambda host, port: ["10.0.0.5"]))

    assert "it resolves to 10.0.0.5, which is a private address" in reason
    assert network_guard.connects == []


def test_webcal_means_https(storyline, now, network_guard):  # noqa: F811
    reason = only_rejection(run("webcal://calendar.example.org/x.ics", storyline, now,
                                resolver=lambda host, port: ["192.168.1.1"]))

    assert "calendar.example.org" in reason and "private address" in reason


def test_a_redirect_is_not_followed(server, storyline, now, loopback_allowed):
    reason = only_rejection(run(f"http://127.0.0.1:{server.server_port}/moved", storyline, now))

    assert reason == ("127.0.0.1 answered HTTP 302, a redirect, which is not followed; "
                      "import http://10.0.0.5/calendar.ics instead.")
    assert [path for path, _ in server.requests] == ["/moved"]


@pytest.mark.parametrize("path", ["/huge", "/huge-undeclared"])
def test_a_calendar_over_the_cap_is_refused(server, storyline, now, loopback_allowed, settings, path):
    settings.FW_ICS_IMPORT_MAX_BYTES = 10_000

    reason = only_rejection(run(f"http://127.0.0.1:{server.server_port}{path}", storyline, now))

    assert "more than 10000 bytes (FW_ICS_IMPORT_MAX_BYTES)" in reason


def test_a_server_that_drips_runs_into_the_deadline(server, storyline, now, loopback_allowed, settings):
    settings.FW_ICS_IMPORT_TIMEOUT = 0.5
    started = time.monotonic()

    reason = only_rejection(run(f"http://127.0.0.1:{server.server_port}/slow", storyline, now))

    assert reason == "127.0.0.1 took longer than 0.5 s to send the calendar."
    assert time.monotonic() - started < 1.5


def test_a_server_that_is_not_there(storyline, now, loopback_allowed):
    reason = only_rejection(run("http://127.0.0.1:9/x.ics", storyline, now))

    assert reason.startswith("Could not fetch http://127.0.0.1:9/x.ics (127.0.0.1: ")
