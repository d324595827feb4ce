"""OPTIONS answers every route with what it accepts (DRF's metadata), for
readers and editors alike; schemathesis once found it a 500 on actions."""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.api.test_role_matrix import api_endpoints

pytestmark = pytest.mark.django_db


def url_of(name, public_id):
    for kwargs in ({}, {"slug": "gaza-ceasefire"}, {"public_id": public_id}, {"pk": 1}):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot build a URL for {name}")


@pytest.mark.parametrize("client_name", ["anonymous_client", "editor_client"])
def test_options_on_every_route(request, client_name, record):
    client = request.getfixturevalue(client_name)

    for name in sorted({name for name, _ in api_endpoints()}):
        url = url_of(name, str(record.milestone.public_id))
        response = client.options(url)
        assert response.status_code == 200, (url, response.content)
        if client_name == "editor_client" and "POST" in response["Allow"]:
            assert "POST" in response.json()["actions"], url
