"""Every endpoint and method of /api/v1/, for each role: anonymous,
subscriber (a plain account), editor (staff in "editors" with the model
permissions) and admin (superuser).

The endpoints come from the URL resolver, so a new route without a row here
(or, for another app's routes under /api/v1/, without a registered matrix)
fails test_every_endpoint_has_a_row. Writes send a valid body, so the
editor's status is the real outcome (201, 200, or the lifecycle's 409).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.api.conftest import API, token_client
from timeline import services
from timeline.models import Source

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "subscriber", "editor", "admin")
READ = (200, 200, 200, 200)
WRITE_OK = (401, 403, 200, 200)
CREATED = (401, 403, 201, 201)
REFUSED = (401, 403, 409, 409)  # allowed to try; the lifecycle says no
HIDDEN = (404, 404, 200, 200)   # a draft: invisible to readers, and not even said to exist

WHEN = {"edtf": "2026-02", "tz": "UTC"}

# (url name, method[, variant]) -> (path kwargs, body, expected status per role)
MATRIX = {
    ("index", "GET"): ({}, None, READ),
    ("storyline-list", "GET"): ({}, None, READ),
    ("storyline-list", "POST"): ({}, {"name": "Iran"}, CREATED),
    ("storyline-detail", "GET"): ({"slug": "gaza-ceasefire"}, None, READ),
    ("storyline-detail", "PATCH"): ({"slug": "gaza-ceasefire"}, {"description": "Phases."}, WRITE_OK),
    ("storyline-timeline", "GET"): ({"slug": "gaza-ceasefire"}, None, READ),
    ("storyline-timelinejs", "GET"): ({"slug": "gaza-ceasefire"}, None, READ),
    ("storyline-export", "GET"): ({"slug": "gaza-ceasefire"}, None, (401, 403, 200, 200)),
    ("actor-list", "GET"): ({}, None, READ),
    ("actor-list", "POST"): ({}, {"name": "Hamas"}, CREATED),
    ("actor-detail", "GET"): ({"slug": "trump"}, None, READ),
    ("actor-detail", "PATCH"): ({"slug": "trump"}, {"aliases": ["POTUS"]}, WRITE_OK),
    ("outlet-list", "GET"): ({}, None, READ),
    ("outlet-list", "POST"): ({}, {"name": "Reuters"}, CREATED),
    ("outlet-detail", "GET"): ({"slug": "axios"}, None, READ),
    ("source-list", "GET"): ({}, None, READ),
    ("source-list", "POST"): ({}, {"outlet": "axios", "title": "New", "url": "https://example.org/new",
                                   "published_at": "2025-12-30T06:00:00Z"}, CREATED),
    ("source-detail", "GET"): ({"pk": "source"}, None, READ),
    ("event-list", "GET"): ({}, None, READ),
    ("event-list", "POST"): ({}, {"title": "An event", "when": {"edtf": "2025-06", "tz": "UTC"}}, CREATED),
    ("event-detail", "GET"): ({"public_id": "event"}, None, READ),
    ("event-detail", "PATCH"): ({"public_id": "event"}, {"title": "Renamed"}, WRITE_OK),
    ("milestone-list", "GET"): ({}, None, READ),
    ("milestone-list", "POST"): ({}, {"title": "A milestone", "when": WHEN}, CREATED),
    ("milestone-detail", "GET"): ({"public_id": "milestone"}, None, READ),
    ("milestone-detail", "GET", "draft"): ({"public_id": "draft"}, None, HIDDEN),
    ("milestone-detail", "PATCH"): ({"public_id": "milestone"}, {"title": "Renamed"}, WRITE_OK),
    ("milestone-confirm", "POST"): ({"public_id": "milestone"}, {}, WRITE_OK),
    ("milestone-postpone", "POST"): ({"public_id": "milestone"}, {"when": WHEN}, WRITE_OK),
    ("milestone-happened", "POST"): ({"public_id": "milestone"}, {"event": "event"}, WRITE_OK),
    ("milestone-cancel", "POST"): ({"public_id": "milestone"}, {"reason": "Called off."}, WRITE_OK),
    ("expectation-list", "GET"): ({}, None, READ),
    ("expectation-list", "POST"): ({}, {"title": "An expectation", "when": WHEN}, CREATED),
    ("expectation-detail", "GET"): ({"public_id": "expectation"}, None, READ),
    ("expectation-detail", "PATCH"): ({"public_id": "expectation"}, {"criteria": "Met if..."}, WRITE_OK),
    ("expectation-settle", "POST"): ({"public_id": "expectation"}, {"status": "missed", "note": "No."}, WRITE_OK),
    ("expectation-overturn", "POST"): ({"public_id": "expectation"}, {"status": "missed", "note": "No."}, REFUSED),
    ("expectation-review", "POST"): ({"public_id": "expectation"}, {}, REFUSED),
    ("expectation-trigger", "POST"): ({"public_id": "expectation"}, {}, REFUSED),
    ("item-list", "GET"): ({}, None, READ),
    ("item-detail", "GET"): ({"public_id": "milestone"}, None, READ),
    ("item-detail", "GET", "draft"): ({"public_id": "draft"}, None, HIDDEN),
    ("item-history", "GET"): ({"public_id": "milestone"}, None, READ),
    ("item-history", "GET", "draft"): ({"public_id": "draft"}, None, HIDDEN),
    ("item-citations", "POST"): ({"public_id": "event"}, {"source": "source"}, (401, 403, 201, 201)),
    ("item-publish", "POST"): ({"public_id": "draft"}, {"uncited_reason": "Announced on air."}, WRITE_OK),
    ("item-retract", "POST"): ({"public_id": "milestone"}, {"reason": "Wrong."}, WRITE_OK),
    ("item-correct", "POST"): ({"public_id": "milestone"}, {"reason": "Typo.", "title": "Fixed"}, WRITE_OK),
    ("due", "GET"): ({}, None, READ),
    ("when-parse", "POST"): ({}, {"text": "in January", "as_of": "2025-12-30", "tz": "UTC"}, READ),
}


def api_endpoints():
    """(url name, method) of every route under /api/v1/, from the resolver."""
    found = set()

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and (prefix + str(pattern.pattern)).startswith("api/v1/"):
                # One DRF view class per path: the methods it allows are the rows.
                for method in pattern.callback.cls().allowed_methods:
                    if method not in ("OPTIONS", "HEAD"):
                        found.add((f"{namespace}:{pattern.name}", method))

    walk(get_resolver().url_patterns, "", None)
    return found


# Other apps mount their API under /api/v1/ too (watch: subscriptions,
# deliveries) with a namespace of their own and keep their role matrix beside
# their tests, built on api_endpoints() above. Register the namespace here
# with that file, so a route nobody walks still fails this test.
MATRICES_ELSEWHERE: dict[str, str] = {"watch-api": "tests/api/watch/test_role_matrix.py",
                                      "follow-api": "tests/follow/test_role_matrix.py"}


def test_every_endpoint_has_a_row():
    rows = {(f"api-v1:{name}", method) for name, method, *_ in MATRIX}
    endpoints = api_endpoints()
    ours = {(name, method) for name, method in endpoints if name.startswith("api-v1:")}

    assert ours == rows
    unwalked = sorted({name for name, _ in endpoints - ours if name.split(":")[0] not in MATRICES_ELSEWHERE})
    assert not unwalked, f"routes under /api/v1/ without a role matrix: {unwalked}"
    for path in MATRICES_ELSEWHERE.values():
        assert (Path(__file__).resolve().parents[2] / path).is_file(), path


@pytest.fixture
def resolve(record, clock):
    outlet = services.outlet_create(name="Axios")
    services.source_create(outlet=outlet, title="Scoop", url="https://www.axios.com/scoop", published_at=clock)
    objects = {"milestone": record.milestone, "expectation": record.expectation, "event": record.event,
               "draft": record.draft}

    def value(name):
        if name == "source":
            return Source.objects.get().pk
        return str(objects[name].public_id) if name in objects else name

    return value


@pytest.mark.parametrize("role", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("row", list(MATRIX), ids=lambda row: " ".join(row))
def test_role_gets_the_expected_status(request, resolve, role, row):
    from django.urls import reverse

    kwargs, body, expected = MATRIX[row]
    name, method = row[0], row[1]
    user = {"anonymous": None, "subscriber": "subscriber", "editor": "editor", "admin": "admin_user"}[ROLES[role]]
    client = token_client(request.getfixturevalue(user) if user else None)
    url = reverse(f"api-v1:{name}", kwargs={k: resolve(v) for k, v in kwargs.items()})
    if body is not None:
        body = {k: resolve(v) if isinstance(v, str) and v in ("event", "source") else v for k, v in body.items()}

    response = getattr(client, method.lower())(url, body, format="json") if body is not None else \
        getattr(client, method.lower())(url)

    assert response.status_code == expected[role], response.content
    assert url.startswith(API)
