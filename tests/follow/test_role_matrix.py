"""Every endpoint and method of the followed-feeds API (namespace
"follow-api" under /api/v1/follow/), for each role: anonymous, subscriber,
editor and admin. Editors and admins only, reads included. Registered in
tests/api/test_role_matrix.py's MATRICES_ELSEWHERE."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from django.urls import reverse

from follow import services
from tests.api.conftest import API, token_client
from tests.api.test_role_matrix import ROLES, api_endpoints
from timeline import services as timeline

pytestmark = pytest.mark.django_db

NAMESPACE = "follow-api"
READ = (401, 403, 200, 200)
CREATED = (401, 403, 201, 201)

MATRIX = {
    ("feed-list", "GET"): ({}, None, READ),
    ("feed-list", "POST"): ({}, {"url": "https://example.org/new.xml", "outlet": "axios"}, CREATED),
    ("feed-detail", "GET"): ({"pk": "feed"}, None, READ),
    ("feed-detail", "PATCH"): ({"pk": "feed"}, {"interval": "1h"}, READ),
    ("feed-mute", "POST"): ({"pk": "feed"}, {}, READ),
    ("feed-unmute", "POST"): ({"pk": "feed"}, {}, READ),
    ("feed-mute-kind", "POST"): ({"pk": "feed"}, {"kind": "event"}, READ),
    ("feed-unmute-kind", "POST"): ({"pk": "feed"}, {"kind": "event"}, READ),
    ("article-list", "GET"): ({}, None, READ),
}


def test_every_follow_endpoint_has_a_row():
    rows = {(f"{NAMESPACE}:{name}", method) for name, method, *_ in MATRIX}
    ours = {(name, method) for name, method in api_endpoints() if name.startswith(f"{NAMESPACE}:")}
    assert ours == rows


@pytest.mark.parametrize("role", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("row", list(MATRIX), ids=lambda row: " ".join(row))
def test_role_gets_the_expected_status(request, role, row):
    outlet = timeline.outlet_create(name="Axios", slug="axios")
    feed = services.feed_follow(url="https://example.org/feed.xml", outlet=outlet,
                                now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    kwargs, body, expected = MATRIX[row]
    user = {"anonymous": None, "subscriber": "subscriber", "editor": "editor", "admin": "admin_user"}[ROLES[role]]
    client = token_client(request.getfixturevalue(user) if user else None)
    url = reverse(f"{NAMESPACE}:{row[0]}", kwargs={k: feed.pk for k in kwargs})
    call = getattr(client, row[1].lower())
    response = call(url, body, format="json") if body is not None else call(url)
    assert response.status_code == expected[role], response.content
    assert url.startswith(API)
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "fields", "current"}
