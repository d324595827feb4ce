"""Fixtures for the service tests: a storyline and a milestone ahead of the clock.

The clock (`now`, 2026-11-25 12:00 UTC) and the people (`editor`, ...) come
from tests/conftest.py.
"""

from datetime import date, timedelta

import pytest

from tests.builders import day_when, make_milestone, make_storyline


@pytest.fixture
def storyline(db):
    return make_storyline("Gaza ceasefire", slug="gaza-ceasefire")


@pytest.fixture
def milestone(db, now, storyline):
    """A published, scheduled milestone on a day a month ahead."""
    return make_milestone(
        now=now, when=day_when(date(2026, 12, 28), text="on Dec. 28"), storylines=[storyline],
        title="First meeting of the Board of Peace",
    )


@pytest.fixture
def later(now):
    """A moment after `now`, for the second write of a test."""
    return now + timedelta(hours=1)
