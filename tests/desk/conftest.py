import io

import pytest
from django.core.management import call_command

DEMO_NOW = "2026-11-25T12:00:00Z"


@pytest.fixture
def demo(db):
    call_command("load_demo", "--now", DEMO_NOW, stdout=io.StringIO())


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
