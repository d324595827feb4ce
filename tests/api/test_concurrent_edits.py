"""Two editors write the same item at once with the same If-Match: the
service's conditional UPDATE lets one win; the other gets 412, not a lost
update. On PostgreSQL, since SQLite's immediate transactions hide the race."""

import pytest

from tests.api.conftest import API, token_client
from tests.api.races import InThread, row_locked, wait_for_lock_waiters
from tests.factories import make_editor
from timeline.models import Change, Item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_second_of_two_concurrent_patches_is_412(record):
    milestone = record.milestone
    url = f"{API}/milestones/{milestone.public_id}/"
    etag = f'"{milestone.public_id}-r1"'
    alice, bob = token_client(make_editor("alice")), token_client(make_editor("bob"))

    with row_locked("timeline_item", milestone.pk):
        # Both read revision 1 and reach the conditional UPDATE, which waits
        # on the row lock; once it is released one of them finds 0 rows.
        first = InThread(lambda: alice.patch(url, {"title": "Alice"}, format="json", HTTP_IF_MATCH=etag))
        second = InThread(lambda: bob.patch(url, {"title": "Bob"}, format="json", HTTP_IF_MATCH=etag))
        first.start()
        second.start()
        wait_for_lock_waiters(2)

    statuses = sorted([first.outcome().status_code, second.outcome().status_code])
    assert statuses == [200, 412]
    loser = next(t.result for t in (first, second) if t.result.status_code == 412)
    assert loser.json()["error"]["current"]["revision"] == 2
    milestone = Item.objects.get(pk=milestone.pk)
    assert milestone.revision == 2 and milestone.title in ("Alice", "Bob")
    assert Change.objects.filter(item=milestone, kind="edited").count() == 1


def test_concurrent_transitions_without_if_match_still_move_once(record):
    milestone = record.milestone
    url = f"{API}/milestones/{milestone.public_id}/confirm/"
    alice, bob = token_client(make_editor("alice")), token_client(make_editor("bob"))

    with row_locked("timeline_item", milestone.pk):
        first = InThread(lambda: alice.post(url, {}, format="json"))
        second = InThread(lambda: bob.post(url, {}, format="json"))
        first.start()
        second.start()
        wait_for_lock_waiters(2)

    assert sorted([first.outcome().status_code, second.outcome().status_code]) == [200, 412]
    assert Change.objects.filter(item=milestone, kind="confirmed").count() == 1
