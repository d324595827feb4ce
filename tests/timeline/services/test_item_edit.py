"""item_edit: what an item says, logged before and after."""

from datetime import date

import pytest

from tests.builders import day_when, make_expectation, make_storyline
from timeline import services
from timeline.exceptions import TransitionNotAllowed
from timeline.models import Item

from .helpers import changes_of, reload

pytestmark = pytest.mark.django_db


def test_a_title_edit_logs_the_old_and_new_title_and_leaves_the_schedule_alone(milestone, editor, later):
    services.item_edit(item=milestone, by=editor, now=later, title="Board of Peace: first meeting",
                       reason="Clearer title.")

    fresh = reload(milestone)
    assert fresh.title == "Board of Peace: first meeting"
    assert fresh.revision == 2
    assert fresh.schedule_version == 1
    assert fresh.updated_at == later
    [change] = changes_of(milestone, "edited")
    assert change.before == {"title": "First meeting of the Board of Peace"}
    assert change.after == {"title": "Board of Peace: first meeting"}
    assert (change.by_user, change.at, change.reason) == (editor, later, "Clearer title.")
    assert change.public is True  # the milestone is published


def test_a_new_when_moves_the_schedule_and_clears_the_overdue_notice(milestone, editor, now, later):
    services.items_notice_overdue(now=milestone.when_end)
    assert reload(milestone).overdue_noticed_at is not None
    new_when = day_when(date(2026, 12, 29), text="on Dec. 29")

    services.item_edit(item=reload(milestone), by=editor, now=later, when=new_when, reason="Misread the date.")

    fresh = reload(milestone)
    assert fresh.when == new_when
    assert fresh.sort_key == new_when.start
    assert fresh.overdue_noticed_at is None
    assert fresh.schedule_version == 2
    [change] = changes_of(milestone, "edited")
    assert change.before["when"] == milestone.when.as_dict()
    assert change.after["when"] == new_when.as_dict()


def test_storylines_and_actors_are_logged_as_slugs(milestone, storyline, editor, later):
    iran = make_storyline("Iran", slug="iran")
    services.item_edit(item=milestone, by=editor, now=later, storylines=[storyline, iran])

    assert sorted(reload(milestone).storylines.values_list("slug", flat=True)) == ["gaza-ceasefire", "iran"]
    [change] = changes_of(milestone, "edited")
    assert change.before["storylines"] == ["gaza-ceasefire"]
    assert change.after["storylines"] == ["gaza-ceasefire", "iran"]


def test_an_expectations_own_fields_are_written_to_its_row(now, editor, later):
    expectation = make_expectation(now=now, when=day_when(date(2026, 12, 1)), criteria="Old criteria")
    services.item_edit(item=expectation, by=editor, now=later, criteria="The Board holds its first meeting.",
                       probability=0.6)

    fresh = reload(expectation)
    assert fresh.criteria == "The Board holds its first meeting."
    assert str(fresh.probability) == "0.600"
    [change] = changes_of(expectation, "edited")
    assert change.before == {"criteria": "Old criteria", "probability": None}
    assert change.after == {"criteria": "The Board holds its first meeting.", "probability": "0.600"}


def test_an_item_row_can_be_edited_without_knowing_its_kind(milestone, editor, later):
    item = Item.objects.get(pk=milestone.pk)
    services.item_edit(item=item, by=editor, now=later, summary="Chaired by Trump.")
    assert reload(milestone).summary == "Chaired by Trump."


def test_a_retracted_item_cannot_be_edited(milestone, editor, later):
    services.item_retract(item=milestone, by=editor, now=later, reason="Wrong article.")
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.item_edit(item=reload(milestone), by=editor, now=later, title="New")
    assert excinfo.value.editorial_state == "retracted"
    assert reload(milestone).title == "First meeting of the Board of Peace"
    assert list(changes_of(milestone).values_list("kind", flat=True)) == ["created", "retracted"]


def test_an_anonymous_holder_is_one_of_the_expectations_own_citations(now, editor, later):
    expectation = make_expectation(now=now, when=day_when(date(2026, 12, 1)))
    outlet = services.outlet_create(name="Axios")
    source = services.source_create(outlet=outlet, title="t", url="https://example.org/a", published_at=now)
    citation = services.citation_add(item=expectation, source=source, by=editor, now=later,
                                     attribution="two senior U.S. officials")

    services.item_edit(item=reload(expectation), by=editor, now=later, holder_citation=citation)

    fresh = reload(expectation)
    assert fresh.holder_citation == citation
    assert fresh.holder_display == "two senior U.S. officials"
