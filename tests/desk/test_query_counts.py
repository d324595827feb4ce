"""Every desk page answers in the same number of queries at 10 items and at
1,000 (bulk-inserted, tests/pages/bulk.py), under a cap."""

from datetime import timedelta

import pytest

from tests.pages.bulk import BulkWorld
from timeline.models import Item

pytestmark = pytest.mark.django_db

CAP = 16


def urls(world: BulkWorld) -> dict[str, str]:
    first, last = (world.now - timedelta(days=45)).date(), (world.now + timedelta(days=45)).date()
    return {
        "agenda": "/desk/",
        "agenda, a range, filtered": f"/desk/?from={first}&to={last}&storyline=bulk&actor=bulk-actor",
        "needs a verdict": "/desk/verdicts/",
        "needs a verdict, mine": "/desk/verdicts/?assignee=me",
        "recent": "/desk/recent/",
        "proposed": "/desk/proposed/",
    }


def grow(world: BulkWorld, n: int, editor) -> None:
    world.grow_to(n)
    # A few proposals and items assigned to the editor, whatever the size.
    fresh = Item.objects.order_by("-pk").values_list("pk", flat=True)
    Item.objects.filter(pk__in=list(fresh[:3])).update(editorial_state=Item.EditorialState.PROPOSED)
    overdue = Item.objects.needs_verdict(world.now).values_list("pk", flat=True)
    Item.objects.filter(pk__in=list(overdue[:5])).update(assignee=editor)


@pytest.mark.parametrize("name", [
    "agenda", "agenda, a range, filtered", "needs a verdict", "needs a verdict, mine", "recent", "proposed",
])
def test_the_same_queries_at_10_and_at_1000_items(client, editor, django_assert_max_num_queries, name):
    client.force_login(editor)
    world = BulkWorld()
    grow(world, 10, editor)
    counts = []
    for size in (10, 1000):
        grow(world, size, editor)
        with django_assert_max_num_queries(CAP) as captured:
            response = client.get(urls(world)[name])
        assert response.status_code == 200
        body = response.content.decode()
        assert "Nothing needs a verdict" not in body and "No proposals wait" not in body, name
        assert "Nothing in the last" not in body, name
        counts.append(len(captured))
    assert counts[0] == counts[1], f"{name}: {counts[0]} queries at 10 items, {counts[1]} at 1,000"
    print(f"{name}: {counts[1]} queries")
