"""item_publish and item_retract: the editorial state, apart from the lifecycle."""

from datetime import date

import pytest

from tests.builders import day_when, make_milestone
from timeline import services
from timeline.exceptions import InvalidInput, TransitionNotAllowed

from .helpers import changes_of, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(now):
    return make_milestone(now=now, when=day_when(date(2026, 12, 28)), published=False)


def test_publishing_a_draft_is_public_news_and_moves_the_schedule(draft, editor, later):
    services.item_publish(item=draft, by=editor, now=later, reason="Checked.", uncited_reason="Announced on air.")

    fresh = reload(draft)
    assert fresh.editorial_state == "published"
    assert (fresh.revision, fresh.schedule_version) == (2, 2)
    assert fresh.status == "scheduled", "publishing does not touch the lifecycle"
    [change] = changes_of(draft, "published")
    assert change.public is True
    assert change.before == {"editorial_state": "draft"}
    assert change.after == {"editorial_state": "published", "uncited_reason": "Announced on air."}
    assert change.reason == "Checked."


def test_a_proposal_can_be_published(now, editor, later):
    proposed = services.item_create(kind="milestone", by="system", now=now, title="P",
                                    when=day_when(date(2026, 12, 28)), editorial_state="proposed")
    services.item_publish(item=proposed, by=editor, now=later, uncited_reason="Announced on air.")
    assert reload(proposed).editorial_state == "published"


def test_publishing_twice_is_refused(milestone, editor, later):
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.item_publish(item=milestone, by=editor, now=later)
    assert excinfo.value.editorial_state == "published"
    assert excinfo.value.current_status == "scheduled"
    assert changes_of(milestone).count() == 1


def test_retracting_keeps_the_item_and_tells_subscribers_why(milestone, editor, later):
    services.item_retract(item=milestone, by=editor, now=later, reason="The report was withdrawn.")

    fresh = reload(milestone)
    assert fresh.editorial_state == "retracted"
    assert fresh.schedule_version == 2
    [change] = changes_of(milestone, "retracted")
    assert change.public is True, "the retraction of a published item is news"
    assert change.reason == "The report was withdrawn."
    assert change.before == {"editorial_state": "published"}


def test_retracting_a_draft_is_not_news(draft, editor, later):
    services.item_retract(item=draft, by=editor, now=later, reason="Duplicate.")
    assert changes_of(draft, "retracted").get().public is False


@pytest.mark.parametrize("reason", ["", "   "])
def test_retracting_needs_a_reason(milestone, editor, later, reason):
    with pytest.raises(InvalidInput) as excinfo:
        services.item_retract(item=milestone, by=editor, now=later, reason=reason)
    assert "reason" in excinfo.value.fields
    assert reload(milestone).editorial_state == "published"


def test_retracting_twice_is_refused(milestone, editor, later):
    services.item_retract(item=milestone, by=editor, now=later, reason="Withdrawn.")
    with pytest.raises(TransitionNotAllowed):
        services.item_retract(item=reload(milestone), by=editor, now=later, reason="Again.")
    assert changes_of(milestone, "retracted").count() == 1
