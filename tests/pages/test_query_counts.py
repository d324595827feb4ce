"""Every page answers in the same few queries whatever the size of the
record: measured at 10 items, then at 1,000, and asserted equal (and under a
cap, with pytest-django's django_assert_max_num_queries)."""

import pytest

from tests.pages.bulk import BulkWorld

pytestmark = pytest.mark.django_db

# The most queries any page may take; each page's own count is in docs/pages.md.
CAP = 12


def pages(world: BulkWorld) -> dict[str, str]:
    return {
        "home": "/",
        "storyline": "/storylines/bulk/",
        "storyline, second page, filtered": "/storylines/bulk/?page=2&status=met&scoreboard_page=2",
        "milestone": f"/items/{world.milestone.public_id}/",
        "expectation": f"/items/{world.expectation.public_id}/",
        "event": f"/items/{world.event.public_id}/",
        "actor": "/actors/bulk-actor/",
        "outlet": "/outlets/bulk-outlet/",
        "search": "/search/?q=bulky",
        "search with every filter": "/search/?q=e&storyline=bulk&actor=bulk-actor&holder=bulk-actor"
                                    "&reported_by=bulk-outlet&kind=expectation&status=met_late"
                                    f"&year={world.deadline_year('met_late')}",
        "search by year": f"/search/?holder=bulk-actor&year={world.deadline_year('met')}",
    }


PAGE_NAMES = [
    "home", "storyline", "storyline, second page, filtered", "milestone", "expectation", "event", "actor", "outlet",
    "search", "search with every filter", "search by year",
]


def queries_for(client, url, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(CAP) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    # An empty list skips its prefetches: compare pages that show something.
    assert b'<h2 id="results-heading">0 items</h2>' not in response.content, url
    return len(captured)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_the_same_queries_at_10_and_at_1000_items(client, django_assert_max_num_queries, name):
    world = BulkWorld()
    world.grow_to(10)
    assert set(pages(world)) == set(PAGE_NAMES)
    small = queries_for(client, pages(world)[name], django_assert_max_num_queries)

    world.grow_to(1000)
    assert world.made == 1000
    large = queries_for(client, pages(world)[name], django_assert_max_num_queries)

    assert small == large, f"{name}: {small} queries at 10 items, {large} at 1,000"
    print(f"{name}: {large} queries")
