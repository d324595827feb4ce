"""Cursor pagination in the When's order, stable across pages.

DRF's CursorPagination positions on the first ordering field and breaks ties
with an offset capped at 1,000; 2,500 undated items share one sort_key, so
only a cursor holding (sort_key, public_id) walks them without repeats or gaps.
"""

from datetime import date

import pytest

from tests.api.conftest import API
from tests.builders import day_when, make_milestone
from timeline.models import Item
from timeline.when import When

pytestmark = pytest.mark.django_db

MANY = 2_500


def walk(client, url, link="next"):
    """Follow `link` from url: the pages as lists of ids, and the last body."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json()
        body = response.json()
        pages.append([entry["id"] for entry in body["results"]])
        url = body[link]
    return pages, body


def test_2500_items_with_one_sort_key_page_without_repeats_or_gaps(anonymous_client, clock):
    undated = When.undated("TBD")
    for n in range(MANY):
        make_milestone(now=clock, when=undated, title=f"Undated {n}")
    make_milestone(now=clock, when=day_when(date(2026, 1, 23)), title="Dated")
    expected = [str(p) for p in Item.objects.order_by("sort_key", "public_id").values_list("public_id", flat=True)]
    assert len(expected) == MANY + 1 and expected[0] == str(Item.objects.get(title="Dated").public_id)

    forward, last = walk(anonymous_client, f"{API}/milestones/?page_size=100")
    assert len(forward) == 26
    assert [i for page in forward for i in page] == expected  # every item once, in order

    # Back from the last page: the same pages, last to first.
    backward, first = walk(anonymous_client, last["previous"], link="previous")
    assert [page for page in reversed(backward)] == forward[:-1]
    assert first["next"] is not None

    descending, _ = walk(anonymous_client, f"{API}/items/?ordering=-when&page_size=200")
    assert [i for page in descending for i in page] == list(reversed(expected))


def test_rows_added_between_pages_do_not_shift_the_walk(anonymous_client, clock, db):
    for n in range(10):
        make_milestone(now=clock, when=day_when(date(2026, 1, 1 + n)), title=f"Day {n}")
    first = anonymous_client.get(f"{API}/milestones/?page_size=5").json()
    make_milestone(now=clock, when=day_when(date(2025, 12, 1)), title="Earlier, added meanwhile")

    second = anonymous_client.get(first["next"]).json()

    assert [r["title"] for r in first["results"] + second["results"]] == [f"Day {n}" for n in range(10)]
