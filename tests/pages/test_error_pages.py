"""Errors in the site's look, and in the API's JSON body under /api/."""

import pytest
from django.test import Client

from tests.pages.conftest import page_text

pytestmark = pytest.mark.django_db


def test_a_page_that_does_not_exist_is_a_404_page_of_the_site(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    html = page_text(response)
    assert "<title>Page not found · Forecast Watch</title>" in html
    assert '<link rel="stylesheet" href="/static/site/site.css">' in html
    assert '<a href="/search/">Search the record</a>' in html


def test_an_api_path_that_does_not_exist_answers_in_the_api_body(client):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}, "current": None}}


@pytest.mark.urls("tests.pages.urls_failing")
def test_a_server_error_is_a_500_page_of_the_site_and_json_under_the_api():
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")
    assert response.status_code == 500
    html = page_text(response)
    assert "<h1>Something went wrong on our side</h1>" in html
    assert 'href="/static/site/site.css"' in html and "a bug" not in html

    api = client.get("/api/v1/boom/")
    assert api.status_code == 500 and api.json()["error"]["code"] == "server_error"


def test_watchs_bad_link_page_wears_the_site_layout(client):
    response = client.get("/watch/confirm/not-a-token/")

    assert response.status_code == 400
    html = page_text(response)
    assert 'class="brand"' in html and 'href="/static/site/site.css"' in html
    assert '<meta name="robots" content="noindex">' in html
