"""Every endpoint and method of watch's API (namespace "watch-api" under
/api/v1/), for each role: anonymous, subscriber (a plain account),
editor (staff in "editors") and admin (superuser).

Registered in tests/api/test_role_matrix.py's MATRICES_ELSEWHERE; a new
watch route without a row here fails test_every_watch_endpoint_has_a_row.

The subscriber owns "mine" (a subscription by email and webhook, a sent
email delivery and a dead webhook delivery); the outsider owns "other". An
editor is a subscriber too (its own subscriptions only) who reads every
delivery; an admin manages everything and alone may resend.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api.conftest import API, token_client
from tests.api.test_role_matrix import ROLES, api_endpoints

pytestmark = pytest.mark.django_db

NAMESPACE = "watch-api"

LIST = (401, 200, 200, 200)
SUBSCRIBED = (401, 201, 201, 201)
OWN = (401, 200, 404, 200)           # the subscriber's: the editor may not see it, the admin may
OTHERS = (401, 404, 404, 200)        # someone else's: only the admin
OWN_GONE = (401, 204, 404, 204)
OTHERS_GONE = (401, 404, 404, 204)
OWN_DELIVERY = (401, 200, 200, 200)  # editors read every delivery
OTHERS_DELIVERY = (401, 404, 200, 200)
RESEND = (401, 403, 403, 200)
NOT_RESENDABLE = (401, 403, 403, 409)

# (url name, method[, variant]) -> (path kwargs, body, expected status per role)
MATRIX = {
    ("subscription-list", "GET"): ({}, None, LIST),
    ("subscription-list", "POST"): ({}, {"actor": "trump", "channels": ["email"], "lead_times": ["1d"]}, SUBSCRIBED),
    ("subscription-detail", "GET"): ({"pk": "mine"}, None, OWN),
    ("subscription-detail", "GET", "other"): ({"pk": "other"}, None, OTHERS),
    ("subscription-detail", "PATCH"): ({"pk": "mine"}, {"lead_times": ["2d"]}, OWN),
    ("subscription-detail", "PATCH", "other"): ({"pk": "other"}, {"news": ["verdicts"]}, OTHERS),
    ("subscription-detail", "DELETE"): ({"pk": "mine"}, None, OWN_GONE),
    ("subscription-detail", "DELETE", "other"): ({"pk": "other"}, None, OTHERS_GONE),
    ("subscription-rotate-secret", "POST"): ({"pk": "mine"}, {}, OWN),
    ("subscription-rotate-secret", "POST", "other"): ({"pk": "other"}, {}, OTHERS),
    ("delivery-list", "GET"): ({}, None, LIST),
    ("delivery-detail", "GET"): ({"pk": "mine sent"}, None, OWN_DELIVERY),
    ("delivery-detail", "GET", "other"): ({"pk": "other sent"}, None, OTHERS_DELIVERY),
    ("delivery-resend", "POST"): ({"pk": "mine dead"}, {}, RESEND),
    ("delivery-resend", "POST", "other"): ({"pk": "other dead"}, {}, RESEND),
    ("delivery-resend", "POST", "sent"): ({"pk": "mine sent"}, {}, NOT_RESENDABLE),
}


def test_every_watch_endpoint_has_a_row():
    rows = {(f"{NAMESPACE}:{name}", method) for name, method, *_ in MATRIX}
    ours = {(name, method) for name, method in api_endpoints() if name.startswith(f"{NAMESPACE}:")}

    assert ours == rows


@pytest.fixture
def resolve(alerts):
    return {
        "mine": alerts.subscription.pk, "other": alerts.other_subscription.pk,
        "mine sent": alerts.sent.pk, "mine dead": alerts.dead.pk,
        "other sent": alerts.other_sent.pk, "other dead": alerts.other_dead.pk,
    }.__getitem__


@pytest.mark.parametrize("role", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("row", list(MATRIX), ids=lambda row: " ".join(row))
def test_role_gets_the_expected_status(request, resolve, role, row):
    kwargs, body, expected = MATRIX[row]
    name, method = row[0], row[1]
    user = {"anonymous": None, "subscriber": "subscriber", "editor": "editor", "admin": "admin_user"}[ROLES[role]]
    client = token_client(request.getfixturevalue(user) if user else None)
    url = reverse(f"{NAMESPACE}:{name}", kwargs={k: resolve(v) for k, v in kwargs.items()})

    call = getattr(client, method.lower())
    response = call(url, body, format="json") if body is not None else call(url)

    assert response.status_code == expected[role], response.content
    assert url.startswith(API)
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "fields", "current"}
