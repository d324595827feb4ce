"""API test helpers: a client per role (token authentication, as real clients
use it) and a small published record to read and act on."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.builders import day_when, make_actor, make_event, make_expectation, make_milestone, make_storyline

API = "/api/v1"


def token_client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def anonymous_client(db):
    return APIClient()


@pytest.fixture
def subscriber_client(subscriber):
    return token_client(subscriber)


@pytest.fixture
def editor_client(editor):
    return token_client(editor)


@pytest.fixture
def admin_client(admin_user):
    return token_client(admin_user)


@pytest.fixture
def clock():
    """The real time at the start of the test, for windows relative to it:
    the API reads the clock itself, so its `overdue` is about now."""
    return datetime.now(timezone.utc).replace(microsecond=0)


class Record:
    """A storyline with a published milestone and expectation, a draft
    milestone, and a published event."""

    def __init__(self, clock: datetime):
        self.storyline = make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
        self.actor = make_actor("Donald Trump", slug="trump", aliases=["the U.S. president"])
        future = (clock + timedelta(days=30)).date()
        self.milestone = make_milestone(
            now=clock, when=day_when(future, tz="Europe/Zurich", text="in a month"), title="Board of Peace meets",
            storylines=[self.storyline], actors=[self.actor],
        )
        self.draft = make_milestone(
            now=clock, when=day_when(future, text="soon"), title="A draft milestone", published=False,
            storylines=[self.storyline],
        )
        self.expectation = make_expectation(
            now=clock, when=day_when(future), title="The board meets with Trump in the chair",
            storylines=[self.storyline], about_milestone=self.milestone,
        )
        self.event = make_event(
            now=clock, when=day_when(date(2025, 12, 29), text="on Monday"), title="Netanyahu and Trump meet",
            storylines=[self.storyline], actors=[self.actor],
        )


@pytest.fixture
def record(db, clock):
    return Record(clock)


def etag_of(response) -> str:
    return response["ETag"]
