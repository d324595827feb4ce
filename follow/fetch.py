"""Fetching a feed or an article page: always through the address guard.

A feed URL is typed by an editor and an article link comes from a feed, so
either could point our worker into our own network. Every request here goes
through core.netguard with the followed feeds' policy: the URL is parsed
strictly, its host resolved once, every address checked (public addresses
only, unless FW_FOLLOW_ALLOWED_NETWORKS says otherwise; tests allow
127.0.0.1/32), and the connection made to a checked address (`pinned_pool`),
never to the name again.

Unlike a webhook, a feed may redirect (http to https, an old path to a new
one), so up to FW_FOLLOW_MAX_REDIRECTS redirects are followed; each target
goes through the guard as if typed, so a redirect to a private address is
refused before any packet is sent to it. Also: one deadline for the whole
fetch, redirects included (FW_FOLLOW_TIMEOUT); a size cap on what is read
(FW_FOLLOW_MAX_BYTES), the declared Content-Length checked first; an
uncompressed answer asked for, so the cap is the size on the wire; and a
User-Agent that names us, so an outlet can tell who is asking.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin

import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError, ReadTimeoutError

from core import netguard

from . import conf

USER_AGENT = "ForecastWatch-Follow/1 (the feed reader of a newsroom's Forecast Watch)"
REDIRECTS = (301, 302, 303, 307, 308)
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


class _FollowPolicy(netguard.Policy):
    # The allow-list is read through follow.conf (a setting, else the
    # environment), so the project's settings module need not name it.
    def allowed_networks(self):
        return conf.allowed_networks()


FOLLOW = _FollowPolicy(
    what="feed", refused="Feeds and articles may not be fetched from {host}", reach="followed feeds may",
    setting="FW_FOLLOW_ALLOWED_NETWORKS",
)


class FetchError(Exception):
    """Why a fetch gave nothing, in words for the editor. `retryable` says
    whether trying again later may help (a timeout, a 503) or not (a
    refused address, a 404)."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.message = message
        self.retryable = retryable


@dataclass(frozen=True)
class Fetched:
    url: str  # where the body came from, after redirects
    status: int  # 200, or 304 when the validators matched
    body: bytes
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch(url: str, *, accept: str = PAGE_ACCEPT, etag: str = "", last_modified: str = "",
          resolver: netguard.Resolver | None = None) -> Fetched:
    """GET `url` through the guard, following checked redirects; raises FetchError."""
    seconds = conf.timeout()
    deadline = time.monotonic() + seconds
    conditional = {}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    current = url
    for hop in range(conf.max_redirects() + 1):
        response_url, status, headers, body = _get_once(current, accept=accept, conditional=conditional,
                                                        resolver=resolver, deadline=deadline, seconds=seconds)
        if status in REDIRECTS:
            location = headers.get("Location", "")
            if not location:
                raise FetchError(f"{_host(current)} answered HTTP {status} without saying where to.", retryable=False)
            current = urljoin(current, location)
            continue
        if status == 304 and conditional:
            return Fetched(url=response_url, status=304, body=b"", etag=headers.get("ETag", etag),
                           last_modified=headers.get("Last-Modified", last_modified))
        if status != 200:
            raise FetchError(f"{_host(current)} answered HTTP {status}.",
                             retryable=status in (408, 429) or status >= 500)
        return Fetched(url=response_url, status=200, body=body, etag=headers.get("ETag", ""),
                       last_modified=headers.get("Last-Modified", ""),
                       content_type=headers.get("Content-Type", ""))
    raise FetchError(f"{url} redirected more than {conf.max_redirects()} times.", retryable=False)


def _host(url: str) -> str:
    try:
        return netguard.parse_url(url, policy=FOLLOW).host
    except netguard.InvalidURL:
        return url[:200]


def _get_once(url: str, *, accept: str, conditional: dict, resolver, deadline: float, seconds: float):
    try:
        target = netguard.parse_url(url, policy=FOLLOW)
        _, addresses = netguard.check_url(url, policy=FOLLOW, resolver=resolver)
    except netguard.HostNotResolved as exc:
        raise FetchError(str(exc), retryable=True) from None
    except (netguard.InvalidURL, netguard.AddressNotAllowed) as exc:
        raise FetchError(str(exc), retryable=False) from None
    headers = {"Host": target.host_header, "User-Agent": USER_AGENT, "Accept": accept,
               "Accept-Encoding": "identity", **conditional}
    limit = conf.max_bytes()
    failures = []
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        pool = netguard.pinned_pool(target, address, urllib3.Timeout(connect=remaining, read=remaining))
        response = None
        try:
            response = pool.urlopen("GET", target.request_target, headers=headers, redirect=False, retries=False,
                                    preload_content=False)
            body = b""
            if response.status == 200:
                body = _body(target, response, limit=limit, deadline=deadline, seconds=seconds)
            return url, response.status, response.headers, body
        except NewConnectionError as exc:  # a ConnectTimeoutError too, so first
            failures.append(f"{address}: {_reason(exc)}")
        except ConnectTimeoutError:
            failures.append(f"{address}: no connection within {seconds:g} s")
        except ReadTimeoutError:
            raise FetchError(f"{target.host} did not answer within {seconds:g} s.", retryable=True) from None
        except HTTPError as exc:
            raise FetchError(f"The request to {target.host} failed: {_reason(exc)}", retryable=True) from None
        finally:
            if response is not None:
                response.release_conn()
            pool.close()
    if not failures:
        raise FetchError(f"{target.host} did not answer within {seconds:g} s.", retryable=True)
    raise FetchError(f"Could not connect to {target.host} ({'; '.join(failures)}).", retryable=True)


def _body(target: netguard.Target, response, *, limit: int, deadline: float, seconds: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(f"{target.host} sent {declared} bytes: more than {limit} (FW_FOLLOW_MAX_BYTES).",
                         retryable=False)
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(f"{target.host} took longer than {seconds:g} s to send it.", retryable=True)
        chunk = response.read1(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise FetchError(f"{target.host} sent more than {limit} bytes (FW_FOLLOW_MAX_BYTES).", retryable=False)
        chunks.append(chunk)


def _reason(exc: Exception) -> str:
    cause = exc.__cause__
    if cause is None and exc.args and isinstance(exc.args[-1], BaseException):
        cause = exc.args[-1]
    reason = cause or exc
    return " ".join(str(reason).split()) or type(reason).__name__
