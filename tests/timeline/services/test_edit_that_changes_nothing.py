"""An edit that changes nothing writes nothing: the revision (the API's ETag)
stays, and no change row says something happened."""

from datetime import date

import pytest

from tests.builders import day_when, make_milestone, make_storyline
from timeline import services
from timeline.exceptions import StaleRevision
from timeline.models import Change

pytestmark = pytest.mark.django_db


def test_the_same_values_again_are_no_change(now, editor):
    gaza = make_storyline("Gaza ceasefire", slug="gaza")
    milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)), title="Board of Peace meets",
                               storylines=[gaza])
    revision, rows = milestone.revision, Change.objects.filter(item=milestone).count()

    services.item_edit(item=milestone, by=editor, now=now, title="Board of Peace meets", storylines=[gaza],
                       when=milestone.when, expected_revision=revision)

    milestone.refresh_from_db()
    assert milestone.revision == revision
    assert Change.objects.filter(item=milestone).count() == rows


def test_a_real_change_among_unchanged_fields_logs_only_it(now, editor):
    milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)), title="Board of Peace meets")

    services.item_edit(item=milestone, by=editor, now=now, title="Board of Peace meets", place="Davos")

    change = Change.objects.filter(item=milestone).last()
    assert (change.kind, change.before, change.after) == ("edited", {"place": ""}, {"place": "Davos"})


def test_a_stale_copy_is_refused_even_when_it_changes_nothing(now, editor):
    milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)), title="Board of Peace meets")
    stale = milestone.revision
    services.item_edit(item=milestone, by=editor, now=now, place="Davos")

    with pytest.raises(StaleRevision):
        services.item_edit(item=milestone, by=editor, now=now, place="Davos", expected_revision=stale)
