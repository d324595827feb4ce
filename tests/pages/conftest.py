"""Fixtures of the page tests: the demo storyline as `make run` loads it, and
a hand-built record with every state a page must show (tests/pages/support.py)."""

import io

import pytest
from django.core.management import call_command

from tests.pages.support import build_record

# The demo's sweep clock: long after January 2026, so both January
# expectations are missed by the system (the pages read the real clock, which
# is later still; nothing in the demo changes state after February 2026).
DEMO_NOW = "2026-11-25T12:00:00Z"


@pytest.fixture
def demo(db):
    call_command("load_demo", "--now", DEMO_NOW, stdout=io.StringIO())


@pytest.fixture
def record(editor):
    return build_record(editor)


def page_text(response) -> str:
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    return response.content.decode()
