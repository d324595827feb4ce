"""Real receivers on 127.0.0.1 for the channel tests, and builders of what channels send.

WebhookReceiver is a threaded http.server that records every request before
answering it; what it answers depends on the path:

    /hook                 200 with a JSON body
    /status/<code>        that status, with a short text body
    /redirect/<code>      that status, Location: /landing
    /landing              200 (a redirect that was followed would show up here)
    /text                 200 with an HTML body, not JSON
    /slow                 waits (until the test ends) before answering
    /not-http             answers bytes that are not HTTP, then hangs up

SmtpRecorder is an aiosmtpd handler that keeps every message it accepts and
refuses the recipients it is told to.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import threading
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.builders import day_when
from watch.channels.base import NewsItem, Outgoing
from watch.signing import new_webhook_secret


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes


class WebhookReceiver:
    def __init__(self, *, ssl_context: ssl.SSLContext | None = None, address: str = "127.0.0.1"):
        self.requests: list[RecordedRequest] = []
        self.server_names: list[str | None] = []  # TLS SNI of each handshake
        self._release = threading.Event()
        server_class = _IPv6HTTPServer if ":" in address else ThreadingHTTPServer
        self.server = server_class((address, 0), self._handler_class())
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, client_address: None  # failed handshakes are expected
        self.scheme = "http"
        if ssl_context is not None:
            ssl_context.sni_callback = lambda sslobj, name, ctx: self.server_names.append(name)
            self.server.socket = ssl_context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()  # let /slow handlers finish
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str = "/hook", *, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]

    def _handler_class(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.requests.append(
                    RecordedRequest(
                        method="POST",
                        path=self.path,
                        headers={name.lower(): value for name, value in self.headers.items()},
                        body=body,
                    )
                )
                self.answer()

            def answer(self):
                path = self.path
                if path in ("/hook", "/landing"):
                    return self.reply(200, b'{"ok": true}', "application/json")
                if path == "/text":
                    return self.reply(200, b"<html><body>Thanks!</body></html>", "text/html")
                if path.startswith("/status/"):
                    return self.reply(int(path.rsplit("/", 1)[1]), b"nope: the receiver said no", "text/plain")
                if path.startswith("/redirect/"):
                    return self.reply(int(path.rsplit("/", 1)[1]), b"", "text/plain", location="/landing")
                if path == "/slow":
                    receiver._release.wait(timeout=30)
                    return self.reply(200, b"too late", "text/plain")
                if path == "/not-http":
                    self.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\nthis is not http\r\n\r\n")
                    self.close_connection = True
                    return None
                return self.reply(404, b"no such hook", "text/plain")

            def reply(self, status, body, content_type, location=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                if location:
                    self.send_header("Location", location)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):  # keep test output clean
                pass

        return Handler


class _IPv6HTTPServer(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpRecorder:
    """An aiosmtpd handler: accepts every message, refuses listed recipients."""

    def __init__(self):
        self.envelopes = []
        self.refuse: dict[str, str] = {}  # address -> SMTP reply, e.g. "550 5.1.1 No such user"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
            for envelope in self.envelopes
        ]


# Builders -----------------------------------------------------------------------

DAVOS = day_when(date(2026, 1, 23), tz="Europe/Zurich", text="on Jan. 23")


def make_news(**fields) -> NewsItem:
    """News of the Davos milestone ("on Jan. 23", Europe/Zurich), a reminder unless told otherwise."""
    when = fields.pop("when", DAVOS)
    values = {
        "cause": "reminder",
        "headline": "Reminder: First meeting of the Gaza Board of Peace in 7 days",
        "detail": "Chaired by Trump, at the World Economic Forum in Davos.",
        "item_public_id": "ms_board_of_peace",
        "item_kind": "milestone",
        "item_title": "First meeting of the Gaza Board of Peace",
        "item_url": "http://127.0.0.1:8000/items/ms_board_of_peace/",
        "item_status": "scheduled",
        "when": when.as_dict(),
        "when_display": "23 Jan 2026",
        "schedule_version": 3,
    }
    values.update(fields)
    return NewsItem(**values)


def make_outgoing(*, channel: str, address: str, news=None, **fields) -> Outgoing:
    if channel == "webhook":
        fields.setdefault("webhook_secrets", (new_webhook_secret(),))
    values = {
        "delivery_id": "dlv_0001",
        "channel": channel,
        "address": address,
        "news": tuple(news) if news is not None else (make_news(),),
        "unsubscribe_url": "http://127.0.0.1:8000/watch/unsubscribe/tok123/",
        "manage_url": "http://127.0.0.1:8000/watch/manage/tok456/",
    }
    values.update(fields)
    return Outgoing(**values)
