"""The webhook channel: a signed JSON POST, per Standard Webhooks 1.0.

Headers: `webhook-id` (the delivery id, the same on every retry, so a receiver
can dedupe), `webhook-timestamp` (this attempt's time, in seconds) and
`webhook-signature` ("v1,<base64 HMAC-SHA256 of id.timestamp.body>", one per
secret, space-separated: two while a secret is being rotated). Each attempt is
signed afresh, since receivers refuse timestamps more than a few minutes old.

How the request is made, and why:
- The URL goes through watch.netguard.check_url, which resolves the host once
  and checks every address. We then connect to a checked address ourselves
  (urllib3's connection pool, given the IP as its host), so nothing resolves
  the name a second time. The Host header still names the host, and for https
  the TLS SNI and certificate check use the host name (urllib3's
  `server_hostname` / `assert_hostname`), not the IP.
- urllib3 directly, rather than requests: requests reads proxies from the
  environment, follows redirects and resolves names itself, all of which we
  would have to switch off; a pool pinned to an address does none of them.
- Keep-alive: each worker process keeps one pool per (scheme, host, port,
  checked address), at most POOLS_KEPT of them, so consecutive sends to one
  receiver reuse its connection instead of opening one each (a new TCP and
  TLS handshake per webhook was most of the cost of a fast receiver). A
  connection goes back to its pool only when the answer was read to its end;
  urllib3 drops one the receiver has closed before reusing it.
- Short timeouts (settings WEBHOOK_CONNECT_TIMEOUT and WEBHOOK_READ_TIMEOUT,
  per socket operation, from the environment: config/settings/base.py), no
  retries inside the call (a retry is a new attempt scheduled by the delivery
  pipeline), and at most a few hundred bytes of the answer read, for the
  error note. WEBHOOK_CA_BUNDLE names the CAs an https receiver may use.

Outcomes: any 2xx is success, whatever the body says (receivers often answer
"OK" or HTML; the status is the contract). A 3xx is a permanent failure: a
redirect is not followed, since its target was never checked, and the same
URL will redirect again, so the subscriber must update it. 408, 429 and 5xx,
timeouts and connection errors are worth retrying; other 4xx are not.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timezone

import urllib3
from django.conf import settings
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from .. import netguard
from .base import DeliveryError, NewsItem, Outgoing

PAYLOAD_VERSION = "1"
USER_AGENT = "ForecastWatch-Webhooks/1"
# How much of a failed answer we keep for the delivery's error note.
ANSWER_EXCERPT_BYTES = 300
# Pools (one kept-alive connection each) a worker process keeps, and the
# largest successful answer read to its end so its connection can be reused.
POOLS_KEPT = 64
DRAIN_MAX_BYTES = 64 * 1024

# The event type a receiver switches on, by the cause of the news.
_TYPES = {
    "moved": "item.moved",
    "cancelled": "item.cancelled",
    "verdict": "expectation.verdict",
    "new_item": "item.new",
    "happened": "item.happened",
    "confirmed": "item.confirmed",
    "retracted": "item.retracted",
    "updated": "item.updated",
}


class WebhookChannel:
    name = "webhook"

    def __init__(
        self,
        *,
        resolver: netguard.Resolver | None = None,
        clock: Callable[[], float] = time.time,
    ):
        # `resolver` answers the addresses of a host (default: the system's);
        # `clock` gives the wall-clock seconds each attempt is signed with.
        self.resolver = resolver
        self.clock = clock

    def send(self, outgoing: Outgoing) -> str:
        if not outgoing.news:
            raise DeliveryError("A delivery without news has nothing to say.", retryable=False)
        if not outgoing.delivery_id:
            raise DeliveryError("A delivery without an id cannot be deduplicated by its receiver.", retryable=False)
        if not outgoing.webhook_secrets:
            raise DeliveryError(
                "The webhook has no signing secret; an unsigned request would be refused.", retryable=False
            )
        try:
            target = netguard.parse_webhook_url(outgoing.address)
            _, addresses = netguard.check_url(outgoing.address, resolver=self.resolver)
        except netguard.HostNotResolved as exc:
            raise DeliveryError(str(exc), retryable=True) from exc
        except (netguard.InvalidWebhookURL, netguard.AddressNotAllowed) as exc:
            raise DeliveryError(str(exc), retryable=False) from exc

        timestamp = int(self.clock())
        body = json.dumps(
            build_payload(outgoing, sent_at=datetime.fromtimestamp(timestamp, tz=timezone.utc)),
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        headers = {
            "Host": target.host_header,
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            # Ask for an uncompressed answer: we read only a few bytes of it.
            "Accept-Encoding": "identity",
            "webhook-id": outgoing.delivery_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature_header(outgoing.delivery_id, timestamp, body, outgoing.webhook_secrets),
        }
        return _post(target, addresses, body, headers)


def build_payload(outgoing: Outgoing, *, sent_at: datetime) -> dict:
    """The JSON body: `type`, `version`, `id` (the delivery id), `timestamp`
    (this attempt, ISO 8601 UTC) and `data` (one piece of news, or for a digest
    `{"news": [...]}`)."""
    if outgoing.is_digest:
        event_type = "digest"
        data = {"count": len(outgoing.news), "news": [_news_data(news) for news in outgoing.news]}
    else:
        news = outgoing.news[0]
        event_type = event_type_of(news)
        data = _news_data(news)
    return {
        "type": event_type,
        "version": PAYLOAD_VERSION,
        "id": outgoing.delivery_id,
        "timestamp": sent_at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z"),
        "data": data,
    }


def event_type_of(news: NewsItem) -> str:
    if news.cause == "reminder":
        return f"{news.item_kind}.reminder"  # milestone.reminder, expectation.reminder
    return _TYPES.get(news.cause, f"item.{news.cause}")


def signature_header(delivery_id: str, timestamp: int, body: bytes, secrets: tuple[str, ...] | list[str]) -> str:
    """`v1,<signature>` for each secret, space-separated, as Standard Webhooks specifies."""
    signed = f"{delivery_id}.{timestamp}.".encode() + body
    signatures = []
    for position, secret in enumerate(secrets, start=1):
        digest = hmac.new(_secret_bytes(secret, position), signed, hashlib.sha256).digest()
        signatures.append("v1," + base64.b64encode(digest).decode("ascii"))
    return " ".join(signatures)


def _secret_bytes(secret: str, position: int) -> bytes:
    encoded = secret.removeprefix("whsec_")
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not key:
        # Say which secret without printing any of it: it is a credential.
        raise DeliveryError(
            f"Webhook signing secret number {position} is not whsec_ followed by base64.", retryable=False
        )
    return key


def _news_data(news: NewsItem) -> dict:
    when = news.when or {}
    data = {
        "cause": news.cause,
        "headline": news.headline,
        "detail": news.detail,
        "item": {
            "public_id": news.item_public_id,
            "kind": news.item_kind,
            "title": news.item_title,
            "url": news.item_url,
            "status": news.item_status,
            "editorial_state": news.editorial_state,
            "schedule_version": news.schedule_version,
        },
        "when": {
            "start": when.get("start"),
            "end": when.get("end"),
            "precision": when.get("precision"),
            "approximate": bool(when.get("approximate", False)),
            "tz": when.get("tz"),
            "edtf": when.get("edtf", ""),
            "text": when.get("text", ""),
            "display": news.when_display,
        },
    }
    if news.verdict is not None:
        data["verdict"] = news.verdict
    if news.notification_id:
        data["notification_id"] = news.notification_id
    return data


def _post(
    target: netguard.WebhookTarget, addresses: list[netguard.IPAddress], body: bytes, headers: dict[str, str]
) -> str:
    # Read at each send, not at import, so an override (a test, a reloaded
    # setting) reaches the next attempt.
    connect_timeout = float(settings.WEBHOOK_CONNECT_TIMEOUT)
    read_timeout = float(settings.WEBHOOK_READ_TIMEOUT)
    unreachable = []
    # Several addresses (IPv6 and IPv4, say) are tried in order, like a
    # browser would, but only while nothing has been sent: once the request
    # is out, a failure ends this attempt.
    for address in addresses:
        pool = _pool(target, address)
        response = None
        reusable = False
        try:
            response = pool.urlopen(
                "POST",
                target.request_target,
                body=body,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout),
            )
            outcome = _outcome(target, response)
            reusable = _drained(response)
            return outcome
        except NewConnectionError as exc:  # refused, unreachable: a ConnectTimeoutError too, so first
            unreachable.append(f"{address}: {_reason(exc)}")
        except ConnectTimeoutError:
            unreachable.append(f"{address}: no connection within {connect_timeout:g} s")
        except ReadTimeoutError as exc:
            raise DeliveryError(
                f"{target.host} did not answer within {read_timeout:g} s.", retryable=True
            ) from exc
        except SSLError as exc:
            # A certificate that does not match, or has expired: often fixed by
            # the receiver's next renewal, so worth retrying within the cap.
            raise DeliveryError(f"TLS with {target.host} failed: {_reason(exc)}", retryable=True) from exc
        except ProtocolError as exc:
            raise DeliveryError(
                f"{target.host} broke the connection or did not answer in HTTP: {_reason(exc)}", retryable=True
            ) from exc
        except HTTPError as exc:
            raise DeliveryError(f"The request to {target.host} failed: {_reason(exc)}", retryable=True) from exc
        finally:
            if response is not None:
                if reusable:
                    response.release_conn()
                else:
                    response.close()
                    _forget(pool)
    raise DeliveryError(f"Could not connect to {target.host} ({'; '.join(unreachable)}).", retryable=True)


_pools: OrderedDict[tuple, urllib3.HTTPConnectionPool] = OrderedDict()


def _pool(target: netguard.WebhookTarget, address: netguard.IPAddress) -> urllib3.HTTPConnectionPool:
    """This process's pool for the checked address (made on first use), the
    least recently used one closed when more than POOLS_KEPT are open."""
    # Operators with an internal CA (and tests) name their bundle.
    ca_certs = settings.WEBHOOK_CA_BUNDLE
    key = (target.scheme, target.host, target.port, str(address), ca_certs)
    pool = _pools.get(key)
    if pool is None:
        pool = _pools[key] = netguard.pinned_pool(target, address, urllib3.Timeout(), ca_certs=ca_certs)
        while len(_pools) > POOLS_KEPT:
            _pools.popitem(last=False)[1].close()
    _pools.move_to_end(key)
    return pool


def _forget(pool: urllib3.HTTPConnectionPool) -> None:
    """A pool whose connection is in doubt (an error, an answer not read to
    its end) is closed, and the next send opens a new one."""
    for key, kept in list(_pools.items()):
        if kept is pool:
            del _pools[key]
    pool.close()


def close_pools() -> None:
    """Close every kept connection (a worker process shutting down, tests)."""
    while _pools:
        _pools.popitem()[1].close()


def _drained(response: urllib3.BaseHTTPResponse) -> bool:
    """Read a small answer to its end so its connection can carry the next
    request; a large or open-ended one is not worth reading."""
    remaining = response.length_remaining
    if remaining is None or remaining > DRAIN_MAX_BYTES:
        return False
    try:
        response.drain_conn()
    except (HTTPError, OSError):
        return False
    return True


def _outcome(target: netguard.WebhookTarget, response: urllib3.BaseHTTPResponse) -> str:
    status = response.status
    if 200 <= status < 300:
        return f"HTTP {status}"
    if 300 <= status < 400:
        location = response.headers.get("Location", "")
        raise DeliveryError(
            f"HTTP {status} from {target.host}: redirects are not followed"
            + (f" (it points to {location[:200]})" if location else "")
            + "; the webhook URL needs updating.",
            retryable=False,
        )
    note = f"HTTP {status} from {target.host}"
    excerpt = _excerpt(response)
    if excerpt:
        note += f": {excerpt}"
    # 408 and 429 are a receiver asking us to come back later; a 5xx is a
    # receiver in trouble. Other 4xx (400, 401, 404, 410, ...) will not change
    # by themselves.
    raise DeliveryError(note, retryable=status in (408, 429) or not 400 <= status < 500)


def _excerpt(response: urllib3.BaseHTTPResponse) -> str:
    """The start of the answer, for the error note. One read at most (bounded
    by the read timeout), never decompressed, never more than a few hundred bytes."""
    try:
        raw = response.read1(ANSWER_EXCERPT_BYTES, decode_content=False)
    except (HTTPError, OSError):
        return ""
    return " ".join(raw.decode("utf-8", "replace").split())[:200]


def _reason(exc: Exception) -> str:
    """The underlying cause urllib3 wraps (refused, reset, certificate...), on one line."""
    cause = exc.__cause__
    if cause is None and exc.args and isinstance(exc.args[-1], BaseException):
        cause = exc.args[-1]
    reason = cause or exc
    return " ".join(str(reason).split()) or type(reason).__name__
