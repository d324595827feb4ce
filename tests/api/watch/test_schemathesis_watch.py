"""Schemathesis over watch's operations, with their path parameters pinned to
real rows, so generated requests reach the views and services rather than
stopping at 404 (tests/api/test_schemathesis_live.py walks the whole schema
but knows no subscription or delivery).

As an admin, who may do everything here: read and change someone's
subscription, rotate its secret, unsubscribe it, read and resend a dead
delivery. Same checks, seed and bounds as the live test.
"""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from tests.api.conftest import Record
from tests.api.schemathesis_run import run_schemathesis
from tests.api.watch.conftest import Alerts

MAX_EXAMPLES = 10
TIME_BUDGET = 45
# subscriptions: list, create, retrieve, patch, delete, rotate-secret; deliveries: list, retrieve, resend
OPERATIONS = 9


@pytest.mark.django_db(transaction=True)
def test_watch_operations_conform_to_the_schema(live_server, admin_user, subscriber, outsider, clock, channels,
                                                 tmp_path):
    alerts = Alerts(record=Record(clock), subscriber=subscriber, outsider=outsider, clock=clock, channels=channels)
    pins = [
        (r"^/api/v1/subscriptions/\\{pk\\}", "pk", alerts.subscription.pk),
        (r"^/api/v1/deliveries/\\{pk\\}", "pk", alerts.dead.pk),
    ]
    token = Token.objects.create(user=admin_user)

    outcome = run_schemathesis(
        base_url=live_server.url, token=token.key, pins=pins, tmp_path=tmp_path, max_examples=MAX_EXAMPLES,
        time_budget=TIME_BUDGET, extra=("--include-path-regex", "^/api/v1/(subscriptions|deliveries)/"),
    )

    assert outcome.report["operations"]["tested"] == OPERATIONS
    assert outcome.report["failures"] == [] and outcome.report["errors"] == []
    assert outcome.returncode == 0, "schemathesis found failures (see the output above)"
