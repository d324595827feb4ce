"""Fixtures of the followed-feeds tests: a local outlet (support.Outlet) on
127.0.0.1, and the guard's allow-list set to loopback only, so that nothing
a test does can reach beyond this machine: any other address, private or
public, is refused before a connection is made."""

from __future__ import annotations

import pytest

from .support import Outlet


@pytest.fixture(scope="session")
def outlet_server():
    server = Outlet(slow_seconds=3.0).start()
    yield server
    server.stop()


@pytest.fixture
def outlet(outlet_server, settings):
    settings.FW_FOLLOW_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.FW_FOLLOW_TIMEOUT = 1.0
    outlet_server.reset()
    yield outlet_server
    outlet_server.reset()
