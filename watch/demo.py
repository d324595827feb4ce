"""The demo subscriber of `make run`: alerts printed by the worker's console mail.

load_demo calls ensure_demo_subscriber() before it runs the overdue sweep:
the subscriptions must exist when the change rows are processed (by the
sweep, later), so the system's "missed" verdicts on the two January
expectations become notifications, and the worker prints them.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone

from timeline.models import Storyline

from . import services
from .models import Subscriber, Subscription

log = logging.getLogger(__name__)

DEMO_EMAIL = "demo@example.org"
DEMO_STORYLINES = ("gaza-ceasefire", "iran-nuclear-and-missile-programs")
# New items are left out on purpose: the demo publishes a dozen items at once,
# and a dozen "New:" mails would bury the verdicts the demo is there to show.
DEMO_NEWS = (Subscription.REMINDERS, Subscription.MOVES, Subscription.VERDICTS)


def ensure_demo_subscriber(*, now: datetime | None = None) -> Subscriber | None:
    """The confirmed demo subscriber, following both example storylines by
    email, immediately. Idempotent: running it again changes nothing. A
    storyline that does not exist yet is skipped (and logged); with neither,
    there is no subscriber and None is returned."""
    now = now or timezone.now()
    for slug in DEMO_STORYLINES:
        storyline = Storyline.objects.filter(slug=slug).first()
        if storyline is None:
            log.warning("Demo subscriber: no storyline %r yet, not subscribed to it", slug)
            continue
        services.subscription_create(
            now=now, email=DEMO_EMAIL, storyline=storyline, news=DEMO_NEWS, confirmed=True,
        )
    return Subscriber.objects.filter(email=DEMO_EMAIL).first()
