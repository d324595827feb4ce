"""Token authentication (`Authorization: Token ...`, tokens made by
`manage.py drf_create_token USER` or the admin) and session authentication."""

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.conftest import API
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_token_from_drf_create_token_authenticates(editor, capsys):
    call_command("drf_create_token", "editor")
    key = Token.objects.get(user=editor).key
    assert key in capsys.readouterr().out
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.post(f"{API}/storylines/", {"name": "Gaza ceasefire"}, format="json")

    assert response.status_code == 201


def test_session_authentication_needs_the_csrf_token(editor):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="editor", password=PASSWORD)

    refused = client.post(f"{API}/storylines/", {"name": "Gaza ceasefire"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]

    client.get(f"{API}/storylines/", HTTP_ACCEPT="text/html")  # the browsable API sets the csrftoken cookie
    response = client.post(f"{API}/storylines/", {"name": "Gaza ceasefire"}, format="json",
                           HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code == 201


def test_a_signed_in_session_reads_drafts_as_an_editor(editor, record):
    client = APIClient()
    client.force_login(editor)

    assert client.get(f"{API}/items/{record.draft.public_id}/").status_code == 200
