"""A threaded HTTP server on 127.0.0.1, on a free port, for the tests' own
receivers and outlets (tests/integration/support.HttpReceiver,
tests/follow/support.Outlet): they give it their request handler and keep
what they record."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LoopbackHTTPServer:
    def __init__(self, handler_class: type[BaseHTTPRequestHandler]):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
        self.server.daemon_threads = True
        # A client that gave up (a worker killed mid-request, a fetch past its
        # timeout) leaves a broken pipe behind: expected, not worth a trace.
        self.server.handle_error = lambda request, client_address: None
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        return self.base + path
