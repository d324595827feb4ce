"""What each calendar feed holds: published milestones and expectation
deadlines of its storyline, actor or the whole record; cancelled and
retracted ones for a while (FW_FEED_KEEP_CANCELLED), then no more; never a
draft, an event, an undated item, or a retraction of something never public."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.builders import day_when, make_milestone
from timeline import services

from .conftest import events_by_uid, fetch_ics


def uids(client, url):
    return set(events_by_uid(fetch_ics(client, url)[1]))


def ids(*items):
    return {str(item.public_id) for item in items}


def test_the_storyline_feed_holds_its_dated_milestones_and_deadlines(client, record):
    held = uids(client, reverse("feeds:storyline-ics", kwargs={"slug": record.storyline.slug}))

    assert held == ids(record.month, record.davos, record.meeting, record.deadline, record.cancelled,
                       record.retracted)


def test_the_actor_and_the_other_storyline_hold_only_theirs(client, record):
    assert uids(client, reverse("feeds:actor-ics", kwargs={"slug": record.actor.slug})) == \
        ids(record.month, record.davos)
    assert uids(client, reverse("feeds:storyline-ics", kwargs={"slug": record.other.slug})) == ids(record.davos)


def test_everything_holds_every_storyline(client, record):
    loose = make_milestone(now=record.now, title="In no storyline", when=day_when(record.now.date() + timedelta(days=9)))

    held = uids(client, reverse("feeds:all-ics"))

    assert ids(loose, record.month, record.davos) <= held
    assert not held & ids(record.draft, record.undated, record.event)


def test_a_retracted_draft_never_appears(client, record, editor):
    services.item_retract(item=record.draft, by=editor, now=record.now, reason="Never mind.")

    assert str(record.draft.public_id) not in uids(client, reverse("feeds:all-ics"))


def test_cancelled_and_retracted_items_leave_after_the_keep_period(client, record, settings):
    settings.FW_FEED_KEEP_CANCELLED = timedelta(hours=1)

    held = uids(client, reverse("feeds:storyline-ics", kwargs={"slug": record.storyline.slug}))

    assert not held & ids(record.cancelled, record.retracted)
    assert ids(record.month, record.davos) <= held


@pytest.mark.parametrize("name", ["feeds:storyline-ics", "feeds:actor-ics"])
def test_an_unknown_slug_is_404(client, db, name):
    assert client.get(reverse(name, kwargs={"slug": "nowhere"})).status_code == 404


def test_a_write_is_refused(client, record):
    assert client.post(reverse("feeds:all-ics")).status_code == 405
