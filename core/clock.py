"""The clock: read once per unit of work, always aware.

Services take `now` and refuse a naive one (`require_aware`). Tasks and
commands take `now` as text, so that tests and operators can drive time in
a worker (`parse_instant`). A request reads the clock once and hands the
same instant to everything it does (`request_now`), so an answer or an admin
save never disagrees with itself about the time.
"""

from __future__ import annotations

from datetime import datetime, timezone as dt_timezone

from django.utils import timezone

from .errors import InvalidInput

_REQUEST_ATTRIBUTE = "_forecast_watch_now"


def require_aware(now: datetime) -> datetime:
    """`now` itself, or InvalidInput if it is not a timezone-aware datetime."""
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise InvalidInput("`now` must be a timezone-aware datetime.")
    return now


def parse_instant(text: str | None, *, naive_is_utc: bool = False, field: str = "now") -> datetime:
    """An ISO 8601 instant ("2026-11-25T12:00:00Z"), or the current time for None.

    A value without an offset is refused unless `naive_is_utc`: a message
    queued for a worker must say which instant it means, whereas an editor
    typing `--now 2026-11-25` at a prompt means UTC midnight. Errors are
    InvalidInput naming `field` and the value."""
    if text is None:
        return timezone.now()
    try:
        moment = datetime.fromisoformat(text.strip())
    except (AttributeError, TypeError, ValueError):  # AttributeError: not a string at all
        message = f"{field} takes an ISO 8601 date or time, e.g. 2026-11-25T12:00:00Z; got {text!r}."
        raise InvalidInput(message, fields={field: [message]}) from None
    if moment.tzinfo is not None:
        return moment
    if naive_is_utc:
        return moment.replace(tzinfo=dt_timezone.utc)
    message = f"{field} must carry a UTC offset, e.g. 2026-11-25T12:00:00Z; got {text!r}."
    raise InvalidInput(message, fields={field: [message]})


def request_now(request) -> datetime:
    """The request's `now` (aware, UTC), fixed at first use. Takes a Django
    request or a DRF one (which wraps Django's: both see the same instant)."""
    django_request = getattr(request, "_request", request)
    moment = getattr(django_request, _REQUEST_ATTRIBUTE, None)
    if moment is None:
        moment = timezone.now()
        setattr(django_request, _REQUEST_ATTRIBUTE, moment)
    return moment
