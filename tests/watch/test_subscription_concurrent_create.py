"""Two requests subscribing the same address to the same storyline at the same
moment end with one live subscription, not two (which would double every
message's fan-out bookkeeping and show twice on the manage page)."""

import threading

import pytest
from django.db import connection

from tests.builders import make_storyline
from watch import services
from watch.models import Subscription

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_creates_leave_one_live_subscription(now):
    storyline = make_storyline()
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def subscribe():
        try:
            barrier.wait(timeout=10)
            outcomes.append(services.subscription_create(
                now=now, email="reader@example.org", storyline=storyline, confirmed=True,
            ))
        except Exception as exc:  # reported below: the test fails on any error
            errors.append(exc)
        finally:
            connection.close()

    for _ in range(10):  # the race is timing-dependent: run it a few times
        Subscription.objects.all().delete()
        outcomes.clear()
        threads = [threading.Thread(target=subscribe) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        assert Subscription.objects.filter(unsubscribed_at__isnull=True).count() == 1
        # One request created it; the other got the same subscription back.
        assert sorted(o.created for o in outcomes) == [False, True]
        assert outcomes[0].subscription.pk == outcomes[1].subscription.pk
