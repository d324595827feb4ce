"""A guard for the attack tests: no connection beyond loopback, and no name
resolved by the system, while armed (`no_network`).

Like tests/watch/channels/conftest.py it is a Python audit hook (installed
once, armed per test): it refuses any socket.connect to an address that is
not loopback, so even a broken address guard in the code under test could not
send a packet into a network, and it records getaddrinfo calls, so a test can
prove the code asked only the fixed resolver it was given.
"""

from __future__ import annotations

import ipaddress
import socket
import sys

import pytest


class OutsideConnection(RuntimeError):
    """A test tried to connect beyond loopback."""


class Guard:
    def __init__(self):
        self.armed = False
        self.connects: list = []
        self.lookups: list = []

    def audit(self, event, args):
        if not self.armed:
            return
        if event == "socket.getaddrinfo":
            self.lookups.append(args[0])
        elif event == "socket.connect":
            sock, address = args
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                self.connects.append(address)
                host = str(address[0]).split("%", 1)[0]
                if not ipaddress.ip_address(host).is_loopback:
                    raise OutsideConnection(f"a test tried to connect to {address}")


_GUARD = Guard()
sys.addaudithook(_GUARD.audit)


@pytest.fixture
def no_network():
    _GUARD.connects.clear()
    _GUARD.lookups.clear()
    _GUARD.armed = True
    yield _GUARD
    _GUARD.armed = False
