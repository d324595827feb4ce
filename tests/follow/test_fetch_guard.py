"""Every fetch of a feed or a page goes through the address guard, against
the local outlet: the User-Agent names us, a 304 is reported as such, the
size cap and the deadline hold, a redirect is followed only to an address
the guard allows, and a refused one is never connected to.

The connection spy wraps urllib3's real create_connection (it still makes
the connection) only to record which addresses were dialled: the one way to
show that no packet went to the refused address."""

from __future__ import annotations

import pytest
import urllib3.util.connection

from follow.fetch import FEED_ACCEPT, USER_AGENT, FetchError, fetch

from .support import PRIVATE_TARGET


@pytest.fixture
def dialled(monkeypatch):
    addresses = []
    real = urllib3.util.connection.create_connection

    def spy(address, *args, **kwargs):
        addresses.append(address[0])
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", spy)
    return addresses


def test_a_feed_is_fetched_with_our_user_agent_and_its_validators(outlet):
    fetched = fetch(outlet.url("/feeds/rss.xml"), accept=FEED_ACCEPT)
    assert fetched.status == 200
    assert b"Board of Peace" in fetched.body
    assert fetched.etag.startswith('"') and fetched.last_modified.endswith("GMT")
    request = outlet.requests[-1]
    assert request.headers["user-agent"] == USER_AGENT and "ForecastWatch" in USER_AGENT
    assert request.headers["accept-encoding"] == "identity"
    assert "if-none-match" not in request.headers

    again = fetch(outlet.url("/feeds/rss.xml"), accept=FEED_ACCEPT, etag=fetched.etag,
                  last_modified=fetched.last_modified)
    assert again.not_modified and again.body == b"" and again.etag == fetched.etag
    assert outlet.requests[-1].headers["if-none-match"] == fetched.etag
    assert outlet.requests[-1].headers["if-modified-since"] == fetched.last_modified


def test_a_redirect_to_a_private_address_is_refused_and_never_dialled(outlet, dialled):
    with pytest.raises(FetchError) as refused:
        fetch(outlet.url("/feeds/private.xml"))
    assert PRIVATE_TARGET.split("/")[2] in refused.value.message  # 10.20.30.40
    assert "outside the networks followed feeds may reach" in refused.value.message
    assert not refused.value.retryable
    assert dialled == ["127.0.0.1"]  # the outlet itself, once; never 10.20.30.40


def test_with_no_allow_list_only_public_addresses_pass(outlet, settings, dialled):
    settings.FW_FOLLOW_ALLOWED_NETWORKS = None
    with pytest.raises(FetchError) as refused:
        fetch(outlet.url("/feeds/rss.xml"))
    assert "a loopback address" in refused.value.message
    # A name resolves once, through the resolver given: here fixed answers, no DNS query.
    with pytest.raises(FetchError) as private:
        fetch("http://feeds.internal.example/rss", resolver=lambda host, port: ["192.168.4.20"])
    assert "a private address" in private.value.message
    assert dialled == []


def test_a_name_is_resolved_once_and_the_checked_address_dialled(outlet, dialled):
    asked = []

    def resolver(host, port):
        asked.append((host, port))
        return ["127.0.0.1"]

    fetched = fetch(f"http://news.example:{outlet.port}/pages/wire-iran-talks.html", resolver=resolver)
    assert b"Pezeshkian" in fetched.body
    assert asked == [("news.example", outlet.port)]
    assert dialled == ["127.0.0.1"]
    assert outlet.requests[-1].headers["host"] == f"news.example:{outlet.port}"


def test_a_redirect_the_guard_allows_is_followed(outlet):
    fetched = fetch(outlet.url("/feeds/to-atom.xml"))
    assert fetched.url == outlet.url("/feeds/atom.xml")
    assert b"<feed" in fetched.body
    assert [r.path for r in outlet.requests] == ["/feeds/to-atom.xml", "/feeds/atom.xml"]


def test_the_size_cap_and_the_deadline_hold(outlet, settings):
    settings.FW_FOLLOW_MAX_BYTES = 1024 * 1024
    with pytest.raises(FetchError, match="more than 1048576"):
        fetch(outlet.url("/feeds/huge.xml"))
    with pytest.raises(FetchError, match="did not answer within 1 s") as slow:
        fetch(outlet.url("/feeds/slow.xml"))
    assert slow.value.retryable


def test_bad_addresses_and_answers_say_what_is_wrong(outlet):
    with pytest.raises(FetchError, match="must start with http"):
        fetch("ftp://example.org/feed")
    with pytest.raises(FetchError, match="HTTP 404") as missing:
        fetch(outlet.url("/feeds/gone.xml"))
    assert not missing.value.retryable
