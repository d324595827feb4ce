"""The moment of a request, read once.

Services take `now`; a request hands them the same instant everywhere it
needs one (the service call, the overdue flag of every item it renders, the
`overdue` filter), so an answer never disagrees with itself about the time.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

_ATTRIBUTE = "_forecast_watch_now"


def request_now(request) -> datetime:
    """The request's `now` (aware, UTC), fixed at first use."""
    django_request = getattr(request, "_request", request)  # a DRF Request wraps Django's
    moment = getattr(django_request, _ATTRIBUTE, None)
    if moment is None:
        moment = timezone.now()
        setattr(django_request, _ATTRIBUTE, moment)
    return moment
