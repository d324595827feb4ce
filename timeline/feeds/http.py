"""Serving a calendar: the conditional GET first, the calendar only if needed.

Calendars poll their subscriptions (Google every few hours, Apple and
Outlook as often as REFRESH-INTERVAL asks), so most requests should cost
the validators' few queries and end in a 304, never in a build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from . import ical
from .selectors import Validators

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _validator_headers(response: HttpResponse, validators: Validators, *, private: bool) -> HttpResponse:
    response["ETag"] = validators.etag
    if validators.last_modified is not None:
        response["Last-Modified"] = http_date(validators.last_modified.timestamp())
    # Private feeds are a secret URL: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-cache" if private else "public, max-age=300"
    return response


def calendar_response(
    request: HttpRequest,
    *,
    validators: Validators,
    entries: Callable[[], Iterable[ical.Entry]],
    name: str,
    filename: str,
    tz: Callable[[list[ical.Entry]], str] | None = None,
    private: bool = False,
) -> HttpResponse:
    """304 (or 412) when the client's copy is current, else the calendar of
    `entries()`, which is only called then."""
    last_modified = int(validators.last_modified.timestamp()) if validators.last_modified else None
    answered = get_conditional_response(request, etag=validators.etag, last_modified=last_modified)
    if answered is not None:
        return _validator_headers(answered, validators, private=private)
    built = list(entries())
    calendar = ical.build_calendar(
        built, name=name, uid=f"{filename}@{ical.site_host()}", tz=(tz or feed_zone)(built),
        refresh=settings.FW_FEED_REFRESH,
    )
    response = HttpResponse(b"" if request.method == "HEAD" else calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return _validator_headers(response, validators, private=private)


def feed_zone(entries: list[ical.Entry]) -> str:
    """X-WR-TIMEZONE: the zone most of the entries are in (ties by name), so
    a calendar that shows the feed on its own opens in the place's time."""
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.when.tz] = counts.get(entry.when.tz, 0) + 1
    if not counts:
        return settings.TIME_ZONE
    return min(counts, key=lambda tz: (-counts[tz], tz))
