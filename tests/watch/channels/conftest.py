"""Fixtures for the channel tests: real receivers on loopback, and a guard that
no test here ever opens a connection beyond this machine.

The guard is a Python audit hook (sys.addaudithook): it sees every
socket.connect and getaddrinfo the process makes. Armed, it records them and
refuses any connection to an address that is not loopback, so even a broken
address guard in the code under test cannot send a request into a network.
Audit hooks cannot be removed, so it is installed once and armed per test.
"""

from __future__ import annotations

import ipaddress
import shutil
import socket
import subprocess
import sys

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import service_unavailable

from .receivers import SmtpRecorder, WebhookReceiver


class OutsideConnection(RuntimeError):
    """Raised by the guard: a test tried to connect beyond loopback."""


class NetworkGuard:
    def __init__(self):
        self.armed = False
        self.connects: list = []  # every address passed to socket.connect while armed
        self.lookups: list[str] = []  # every host name passed to getaddrinfo while armed

    def audit(self, event, args):
        if not self.armed:
            return
        if event == "socket.getaddrinfo":
            self.lookups.append(args[0])
        elif event == "socket.connect":
            sock, address = args
            self.connects.append(address)
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                host = str(address[0]).split("%", 1)[0]
                if not ipaddress.ip_address(host).is_loopback:
                    raise OutsideConnection(f"a test tried to connect to {address}")

    def reset(self):
        self.connects.clear()
        self.lookups.clear()


_GUARD = NetworkGuard()
sys.addaudithook(_GUARD.audit)


@pytest.fixture(autouse=True)
def network_guard():
    _GUARD.reset()
    _GUARD.armed = True
    yield _GUARD
    _GUARD.armed = False


@pytest.fixture
def allow_loopback(settings):
    """The test policy of the brief: webhooks may reach 127.0.0.1 and nothing else."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]


@pytest.fixture
def webhook_receiver(allow_loopback):
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A throwaway CA and a certificate for hooks.test it signed (openssl CLI)."""
    if not shutil.which("openssl"):
        # A missing tool on CI is a failure there (REQUIRE_SERVICES=1), not a quiet skip.
        service_unavailable("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=Forecast Watch test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", *ec, "-keyout", "hooks.key", "-out", "hooks.csr", "-subj", "/CN=hooks.test")
    (folder / "hooks.ext").write_text(
        "subjectAltName=DNS:hooks.test\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid,issuer\nsubjectKeyIdentifier=hash\n"
    )
    openssl("x509", "-req", "-in", "hooks.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "hooks.pem", "-days", "2", "-extfile", "hooks.ext")
    return folder


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    recorder = SmtpRecorder()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield recorder
    controller.stop()
