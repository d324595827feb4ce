"""Articles that report again what the record holds: attached to the items,
never a second item. The record is the demo's (timeline.demo, the example
storyline, published), loaded through the services."""

from datetime import date, datetime, timezone

import pytest

from reading.models import ProposedChange
from reading.services import proposed_change_accept, proposed_change_reject, read_article
from timeline.demo import load_demo
from timeline.exceptions import TransitionNotAllowed
from timeline.models import Citation, Item, Milestone

from .reader_helpers import AXIOS_URL, NOW, PUBLISHED, article_text, local_dates, make_reference

pytestmark = pytest.mark.django_db

LATER = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
DAVOS_AGAIN = (
    "Trump will chair the first meeting of the Gaza Board of Peace in Davos on Jan. 23, two people familiar "
    "with the plans said. The board was set up under the Gaza ceasefire agreement."
)
DAVOS_MOVED = (
    "The first meeting of the Gaza Board of Peace, which Trump will chair in Davos, has been moved to Feb. 5, "
    "according to two diplomats."
)


@pytest.fixture
def record():
    ref = make_reference()
    load_demo(now=NOW)
    return ref


def davos() -> Milestone:
    return Milestone.objects.get(title__contains="first meeting")


def test_the_example_article_read_again_adds_no_item(record):
    before = Item.objects.count()
    reading = read_article(text=article_text(), published=PUBLISHED, outlet=record["axios"], url=AXIOS_URL, now=NOW)
    assert Item.objects.count() == before
    assert not reading.created
    assert len(reading.cited) == 13
    assert {e.item.editorial_state for e in reading.cited} == {"published"}


def test_a_storyline_given_does_not_hide_an_item_of_another(record):
    """Read under "Gaza ceasefire", the Iran items of the article are still found where they are."""
    before = Item.objects.count()
    reading = read_article(text=article_text(), published=PUBLISHED, outlet=record["axios"],
                           url="https://example.org/filed-under-gaza", storyline=record["storylines"]["gaza-ceasefire"],
                           now=NOW)
    assert Item.objects.count() == before and len(reading.cited) == 13


def test_another_outlet_reporting_davos_again_is_a_new_citation(record):
    milestones, expectations = Milestone.objects.count(), Item.objects.filter(kind="expectation").count()
    reading = read_article(text=DAVOS_AGAIN, published=date(2026, 1, 5), outlet=record["reuters"],
                           url="https://www.reuters.com/world/board-of-peace-davos", now=LATER)
    assert Milestone.objects.count() == milestones
    assert Item.objects.filter(kind="expectation").count() == expectations
    [entry] = reading.cited
    assert entry.item.pk == davos().pk
    citation = Citation.objects.get(item=davos(), source__outlet__slug="reuters")
    assert citation.quote.startswith("Trump will chair the first meeting")
    assert citation.attribution == "two people"
    assert not reading.created and not reading.postponements


def test_a_new_date_is_a_proposed_postponement_the_editor_accepts(record, editor):
    milestone = davos()
    reading = read_article(text=DAVOS_MOVED, published=date(2026, 1, 10), outlet=record["reuters"],
                           url="https://www.reuters.com/world/board-of-peace-moved", now=LATER)
    assert Milestone.objects.count() == 2 and not reading.created
    [entry] = reading.postponements
    change = entry.change
    assert change.item_id == milestone.pk and change.state == ProposedChange.State.PENDING
    assert (change.new_when.text, change.new_when.tz) == ("Feb. 5", "Europe/Zurich")
    milestone.refresh_from_db()
    assert local_dates(milestone) == (date(2026, 1, 23), date(2026, 1, 24)), "nothing moves before an editor accepts"

    proposed_change_accept(change=change, by=editor, now=LATER)
    milestone.refresh_from_db()
    assert milestone.postponed_count == 1
    assert local_dates(milestone) == (date(2026, 2, 5), date(2026, 2, 6)) and milestone.when_tz == "Europe/Zurich"
    assert milestone.changes.last().kind == "postponed"
    change.refresh_from_db()
    assert (change.state, change.decided_by_user) == ("accepted", editor)
    with pytest.raises(TransitionNotAllowed, match="already accepted"):
        proposed_change_reject(change=change, by=editor, now=LATER)


def test_the_same_new_date_from_two_articles_is_one_decision(record):
    first = read_article(text=DAVOS_MOVED, published=date(2026, 1, 10), outlet=record["reuters"],
                         url="https://www.reuters.com/world/board-of-peace-moved", now=LATER)
    second = read_article(text="The Board of Peace's first meeting in Davos was pushed back to Feb. 5, a diplomat said.",
                          published=date(2026, 1, 11), outlet=record["axios"], url="https://www.axios.com/moved",
                          now=LATER)
    assert ProposedChange.objects.count() == 1
    assert second.postponements[0].change.pk == first.postponements[0].change.pk
    assert Citation.objects.filter(item=davos(), source__url="https://www.axios.com/moved").exists()


def test_a_rejected_postponement_moves_nothing(record, editor):
    reading = read_article(text=DAVOS_MOVED, published=date(2026, 1, 10), outlet=record["reuters"],
                           url="https://www.reuters.com/world/board-of-peace-moved", now=LATER)
    revision = davos().revision
    proposed_change_reject(change=reading.postponements[0].change, by=editor, now=LATER, note="Not confirmed.")
    assert davos().revision == revision and davos().postponed_count == 0
    assert ProposedChange.objects.get().state == "rejected"


def test_a_refused_postponement_stays_pending(record, editor):
    """The milestone happened meanwhile: accepting is refused, and the change still waits."""
    from timeline import services

    reading = read_article(text=DAVOS_MOVED, published=date(2026, 1, 10), outlet=record["reuters"],
                           url="https://www.reuters.com/world/board-of-peace-moved", now=LATER)
    services.milestone_cancel(milestone=davos(), by=editor, now=LATER, reason="Called off.")
    change = reading.postponements[0].change
    with pytest.raises(TransitionNotAllowed):
        proposed_change_accept(change=change, by=editor, now=LATER)
    change.refresh_from_db()
    assert change.state == "pending"
