"""Where calendars to import come from: a file, every .ics in a folder, or a
URL fetched through the address guard (core.netguard: public addresses only
unless FW_ICS_IMPORT_ALLOWED_NETWORKS says otherwise, the host resolved once
and connected to as checked), with a size cap and a deadline. No redirect
is followed: its target was never checked, so the editor is told where it
points instead."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import urllib3
from django.conf import settings
from urllib3.exceptions import HTTPError

from core import netguard

IMPORTS = netguard.Policy(
    what="calendar", refused="Calendars may not be fetched from {host}", reach="calendar imports may",
    setting="FW_ICS_IMPORT_ALLOWED_NETWORKS",
)
USER_AGENT = "ForecastWatch-CalendarImport/1"


class Unreadable(Exception):
    """A source that gave no calendar: why, in words for the editor."""


@dataclass(frozen=True)
class Document:
    name: str  # the file's path or the URL, as the summary names it
    data: bytes


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://", "webcal://"))


def documents(location: str, *, resolver: netguard.Resolver | None = None) -> list[Document]:
    """The calendars at `location`; raises Unreadable when there are none."""
    if is_url(location):
        return [Document(location, fetch(location, resolver=resolver))]
    path = Path(location)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".ics")
        if not files:
            raise Unreadable(f"{location} holds no .ics file.")
        return [Document(str(p), read_file(p)) for p in files]
    if not path.is_file():
        raise Unreadable(f"{location} is neither a file, a folder nor an http(s) URL.")
    return [Document(str(path), read_file(path))]


def read_file(path: Path) -> bytes:
    limit = settings.FW_ICS_IMPORT_MAX_BYTES
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise Unreadable(f"{path} cannot be read: {exc.strerror or exc}.") from None
    if len(data) > limit:
        raise Unreadable(f"{path} is larger than {limit} bytes (FW_ICS_IMPORT_MAX_BYTES).")
    return data


def fetch(url: str, *, resolver: netguard.Resolver | None = None) -> bytes:
    """GET `url` through the address guard; the body, at most the size cap."""
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://"):]  # what calendar apps mean by it
    try:
        target = netguard.parse_url(url, policy=IMPORTS)
        _, addresses = netguard.check_url(url, policy=IMPORTS, resolver=resolver)
    except ValueError as exc:  # InvalidURL, HostNotResolved, AddressNotAllowed
        raise Unreadable(str(exc)) from None
    seconds = float(settings.FW_ICS_IMPORT_TIMEOUT)
    limit = settings.FW_ICS_IMPORT_MAX_BYTES
    headers = {"Host": target.host_header, "User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5",
               "Accept-Encoding": "identity"}
    failures = []
    for address in addresses:
        pool = netguard.pinned_pool(target, address, urllib3.Timeout(connect=seconds, read=seconds))
        try:
            response = pool.urlopen("GET", target.request_target, headers=headers, redirect=False, retries=False,
                                    preload_content=False)
            try:
                return _body(target, response, limit=limit, deadline=time.monotonic() + seconds)
            finally:
                response.release_conn()
        except HTTPError as exc:
            failures.append(f"{address}: {exc.__class__.__name__}")
        finally:
            pool.close()
    raise Unreadable(f"Could not fetch {url} ({'; '.join(failures)}).")


def _body(target: netguard.Target, response, *, limit: int, deadline: float) -> bytes:
    if 300 <= response.status < 400:
        location = response.headers.get("Location", "")
        raise Unreadable(f"{target.host} answered HTTP {response.status}, a redirect, which is not followed"
                         + (f"; import {location[:200]} instead." if location else "."))
    if response.status != 200:
        raise Unreadable(f"{target.host} answered HTTP {response.status}.")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Unreadable(f"The calendar is {declared} bytes: more than {limit} bytes (FW_ICS_IMPORT_MAX_BYTES).")
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise Unreadable(f"{target.host} took longer than {settings.FW_ICS_IMPORT_TIMEOUT:g} s to send the calendar.")
        chunk = response.read1(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise Unreadable(f"The calendar is more than {limit} bytes (FW_ICS_IMPORT_MAX_BYTES).")
        chunks.append(chunk)
