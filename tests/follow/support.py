"""A local outlet for the tests: a threaded HTTP server on 127.0.0.1 that
serves the feeds and article pages of tests/follow/fixtures, and keeps every
request it gets (path and headers) so tests can see what our fetcher sent.

    /feeds/<name>.xml        a feed of fixtures/feeds ({base} becomes this server's URL),
                             with an ETag and a Last-Modified; 304 when they match
    /feeds/always-304.xml    304 to any conditional request (else the RSS feed)
    /feeds/slow.xml          waits `slow_seconds`, then the RSS feed
    /feeds/private.xml       302 to http://10.20.30.40/feed.xml (a private address)
    /feeds/to-atom.xml       301 to /feeds/atom.xml (a redirect that may be followed)
    /feeds/huge.xml          more bytes than any test's size cap
    /pages/<name>.html       an article page of fixtures/pages

`set(path, body)` serves other content at a path (a feed that gains an entry).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.loopback import LoopbackHTTPServer

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
FEEDS = FIXTURES / "feeds"
PRIVATE_TARGET = "http://10.20.30.40/feed.xml"
LAST_MODIFIED = formatdate(1767700000, usegmt=True)


@dataclass
class Request:
    path: str
    headers: dict[str, str]  # names lower-cased
    status: int = 0


class Outlet(LoopbackHTTPServer):
    def __init__(self, *, slow_seconds: float = 3.0):
        self.slow_seconds = slow_seconds
        self._lock = threading.Lock()
        self._requests: list[Request] = []
        self._overrides: dict[str, bytes] = {}
        super().__init__(self._handler())

    def set(self, path: str, body: str | bytes) -> None:
        with self._lock:
            self._overrides[path] = body.encode() if isinstance(body, str) else body

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._overrides.clear()

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def hits(self) -> Counter:
        return Counter(r.path for r in self.requests)

    def feed(self, name: str) -> bytes:
        return (FEEDS / name).read_text().replace("{base}", self.base).encode()

    def _content(self, path: str) -> tuple[int, bytes, str, dict]:
        with self._lock:
            override = self._overrides.get(path)
        if override is not None:
            return 200, override, "application/rss+xml", {}
        if path == "/feeds/private.xml":
            return 302, b"", "text/plain", {"Location": PRIVATE_TARGET}
        if path == "/feeds/to-atom.xml":
            return 301, b"", "text/plain", {"Location": "/feeds/atom.xml"}
        if path == "/feeds/huge.xml":
            return 200, b"<rss>" + b" " * (3 * 1024 * 1024) + b"</rss>", "application/rss+xml", {}
        if path in ("/feeds/always-304.xml", "/feeds/slow.xml"):
            return 200, self.feed("rss.xml"), "application/rss+xml", {}
        if path.startswith("/feeds/") and (FEEDS / path.removeprefix("/feeds/")).is_file():
            kind = "application/atom+xml" if "atom" in path else "application/rss+xml"
            return 200, self.feed(path.removeprefix("/feeds/")), kind, {}
        if path.startswith("/pages/") and (PAGES / path.removeprefix("/pages/")).is_file():
            return 200, (PAGES / path.removeprefix("/pages/")).read_bytes(), "text/html; charset=utf-8", {}
        return 404, b"not here", "text/plain", {}

    def _handler(self):
        outlet = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                record = Request(path=path, headers={k.lower(): v for k, v in self.headers.items()})
                with outlet._lock:
                    outlet._requests.append(record)
                if path == "/feeds/slow.xml":
                    time.sleep(outlet.slow_seconds)
                status, body, kind, extra = outlet._content(path)
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                conditional = self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")
                if status == 200 and path.startswith("/feeds/"):
                    if (path == "/feeds/always-304.xml" and conditional) or self.headers.get("If-None-Match") == etag:
                        status, body = 304, b""
                    extra = {**extra, "ETag": etag, "Last-Modified": LAST_MODIFIED}
                record.status = status
                try:
                    self.send_response(status)
                    for name, value in extra.items():
                        self.send_header(name, value)
                    if status != 304:
                        self.send_header("Content-Type", kind)
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if status != 304:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format, *args):
                pass

        return Handler
