"""Schemathesis over the whole schema against a live server.

pytest-django's live_server runs the real stack (routing, auth, throttles,
transactions) on a loopback port against the test database; schemathesis
(its CLI, in a subprocess) fetches /api/schema/, generates requests for
every operation, valid and invalid, authenticated as an editor with a token,
and checks each answer: no server error, a documented status code, the
documented content type and headers, and a body that matches the schema.

Path parameters of existing resources are pinned to the record made here
(a milestone, an expectation, an event, a storyline, an actor), so generated
bodies reach the services instead of stopping at 404.

Bounded: a fixed seed, a few examples per operation, a time budget, so it
fits in `make test`. The test prints the requests made and the failures.
"""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from tests.api.conftest import Record
from tests.api.schemathesis_run import run_schemathesis

MAX_EXAMPLES = 10
TIME_BUDGET = 80  # seconds of generation at most


def item_pins(record: Record) -> list[tuple[str, str, object]]:
    """Each item route's path pinned to a real item of the record."""
    return [
        (r"^/api/v1/milestones/\\{public_id\\}", "public_id", record.milestone.public_id),
        (r"^/api/v1/expectations/\\{public_id\\}", "public_id", record.expectation.public_id),
        (r"^/api/v1/(events|items)/\\{public_id\\}", "public_id", record.event.public_id),
        (r"^/api/v1/storylines/\\{slug\\}", "slug", record.storyline.slug),
        (r"^/api/v1/actors/\\{slug\\}", "slug", record.actor.slug),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_api_conforms_to_its_schema(live_server, editor, clock, tmp_path):
    token = Token.objects.create(user=editor)

    outcome = run_schemathesis(base_url=live_server.url, token=token.key, pins=item_pins(Record(clock)),
                               tmp_path=tmp_path, max_examples=MAX_EXAMPLES, time_budget=TIME_BUDGET)

    report = outcome.report
    assert report["operations"]["tested"] == report["operations"]["total"]
    assert report["failures"] == [] and report["errors"] == []
    assert outcome.returncode == 0, "schemathesis found failures (see the output above)"
