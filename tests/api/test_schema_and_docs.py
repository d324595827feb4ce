"""The OpenAPI schema documents every endpoint with its errors in the one
body, and the docs pages work offline (Swagger UI and Redoc from
drf-spectacular-sidecar, no CDN)."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/ErrorBody"


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    # --fail-on-warn turns every generator warning (an unresolvable type, an
    # enum name clash) into a failure; --validate checks OpenAPI 3.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_every_operation_documents_its_errors_in_the_one_body(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        where = f"{method.upper()} {path}"
        for status in ("401", "429"):
            assert responses[status]["content"]["application/json"]["schema"]["$ref"] == ERROR_REF, where
            assert responses[status]["content"]["application/json"]["examples"], where
        if method in ("post", "patch") and not path.endswith("/when/parse/"):
            assert {"400", "403", "415", "422"} <= set(responses), where
        if "{public_id}" in path:
            assert "404" in responses, where
        if "{public_id}" in path and method in ("post", "patch"):
            assert {"409", "412"} <= set(responses), where
            names = {p["name"] for p in operation["parameters"]}
            assert {"If-Match", "Idempotency-Key"} <= names, where


def test_error_codes_and_statuses_are_enums(schema):
    components = schema["components"]["schemas"]
    assert "transition_not_allowed" in components["ErrorCodeEnum"]["enum"]
    assert components["ItemStatusEnum"]["enum"][:3] == ["recorded", "scheduled", "confirmed"]
    assert components["PrecisionEnum"]["enum"][-1] == "undated"


def test_an_item_is_one_of_three_kinds(schema):
    item = schema["components"]["schemas"]["Item"]
    assert item["discriminator"]["mapping"] == {
        "event": "#/components/schemas/EventOut",
        "milestone": "#/components/schemas/MilestoneOut",
        "expectation": "#/components/schemas/ExpectationOut",
    }


def test_the_schema_is_served(client):
    response = client.get("/api/schema/?format=json", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert json.loads(response.content)["openapi"].startswith("3.")


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_load_their_scripts_from_our_static_files(client, page):
    response = client.get(page)

    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
    assets = re.findall(r'(?:src|href)="/static/([^"?]+)', html)
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        assert finders.find(asset), f"{asset} is not among the static files"


def test_each_action_is_documented_from_the_lifecycle_table(anonymous_client):
    from timeline import lifecycle

    schema = anonymous_client.get("/api/schema/?format=json").json()
    descriptions = {
        operation["operationId"]: operation.get("description", "")
        for path in schema["paths"].values() for operation in path.values() if isinstance(operation, dict)
    }
    for operation_id in ("milestones_confirm", "milestones_cancel", "expectations_settle", "items_publish"):
        move = operation_id.split("_", 1)[1]
        assert descriptions[operation_id].strip() == lifecycle.describe(move)
    assert "Allowed from (status): scheduled, confirmed." in descriptions["milestones_postpone"]
