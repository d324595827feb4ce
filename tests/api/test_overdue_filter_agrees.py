"""The `overdue` filter of the item list and each item's own `overdue` field
say the same thing: a retracted item is in neither (it once was in the filter,
whose copy of the rule forgot retraction)."""

from datetime import date

import pytest

from tests.api.conftest import API
from tests.builders import day_when, make_milestone
from timeline import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_milestones(clock, editor):
    kept = make_milestone(now=clock, when=day_when(date(2026, 1, 23)), title="Board of Peace meets")
    retracted = make_milestone(now=clock, when=day_when(date(2026, 1, 24)), title="A meeting that was never planned")
    services.item_retract(item=retracted, by=editor, now=clock, reason="The report was wrong.")
    return kept, retracted


def test_an_editor_s_overdue_list_leaves_out_a_retracted_item(editor_client, past_milestones):
    listed = editor_client.get(f"{API}/items/?overdue=true").json()["results"]

    assert [row["title"] for row in listed] == ["Board of Peace meets"]
    assert all(row["overdue"] for row in listed)


def test_the_filter_and_the_field_agree_for_every_item(editor_client, past_milestones):
    overdue = {row["id"] for row in editor_client.get(f"{API}/items/?overdue=true").json()["results"]}
    others = editor_client.get(f"{API}/items/?overdue=false").json()["results"]

    assert not overdue & {row["id"] for row in others}
    assert [row["overdue"] for row in others] == [False] * len(others)
    assert "A meeting that was never planned" in {row["title"] for row in others}
