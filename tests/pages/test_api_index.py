"""GET /api/v1/ answers with the API's index instead of 404."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_index_lists_the_collections_the_schema_and_the_docs(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    resources = body["resources"]
    for path in ("storylines", "actors", "outlets", "sources", "events", "milestones", "expectations", "items",
                 "due", "when/parse", "subscriptions", "deliveries"):
        assert resources[path] == f"http://testserver/api/v1/{path}/", path
    assert not any("<" in url for url in resources.values())
    assert body["schema"] == "http://testserver/api/schema/"
    assert body["docs"] == "http://testserver/api/docs/"
    assert body["redoc"] == "http://testserver/api/redoc/"
    assert client.get("/api/schema/").status_code == 200
    assert client.get(resources["storylines"]).status_code == 200  # a public read, as listed


def test_the_index_is_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["paths"]["/api/v1/"]["get"]["operationId"] == "api_index"
