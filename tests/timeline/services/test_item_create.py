"""item_create: an event, milestone or expectation with its first change row."""

from datetime import date, datetime, timedelta, timezone

import pytest

from tests.builders import day_when, make_actor, make_storyline
from timeline import services
from timeline.models import SYSTEM, UNDATED_SORT_KEY, Change, Event, Expectation, Item, Milestone
from timeline.when import When

from .helpers import changes_of, month_when

pytestmark = pytest.mark.django_db


def test_a_milestone_is_created_scheduled_with_its_when_and_one_created_change(now, editor):
    storyline = make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    trump = make_actor("Donald Trump", slug="donald-trump")
    when = day_when(date(2026, 1, 23), tz="Europe/Zurich", text="on Jan. 23")

    milestone = services.item_create(
        kind="milestone", by=editor, now=now, title="Board of Peace meets", when=when, as_of=date(2025, 12, 30),
        storylines=[storyline], actors=[trump], place="Davos", reason="From the Axios report.",
    )

    milestone = Milestone.objects.get(pk=milestone.pk)
    assert milestone.kind == "milestone"
    assert milestone.status == "scheduled"
    assert milestone.editorial_state == "draft"
    assert milestone.when == when
    assert milestone.when_as_of == date(2025, 12, 30)
    assert milestone.sort_key == when.start
    assert milestone.created_by == editor
    assert (milestone.revision, milestone.schedule_version) == (1, 1)
    assert list(milestone.storylines.all()) == [storyline]
    assert list(milestone.actors.all()) == [trump]

    [change] = changes_of(milestone)
    assert change.kind == "created"
    assert (change.by_user, change.by_label, change.at) == (editor, "editor", now)
    assert change.before == {}
    assert change.after["title"] == "Board of Peace meets"
    assert change.after["status"] == "scheduled"
    assert change.after["when"] == when.as_dict()
    assert change.after["storylines"] == ["gaza-ceasefire"]
    assert change.after["actors"] == ["donald-trump"]
    assert change.reason == "From the Axios report."
    assert (change.revision, change.schedule_version) == (1, 1)
    assert change.public is False, "a draft is nobody's news"
    assert change.processed_at is None


def test_a_published_item_is_public_news_from_its_creation(now):
    event = services.item_create(
        kind="event", by=SYSTEM, now=now, title="Netanyahu and Trump meet", when=day_when(date(2025, 12, 29)),
        editorial_state="published",
    )
    change = Change.objects.get(item_id=event.pk)
    assert change.public is True
    assert (change.by_user, change.by_label) == (None, "system")
    assert Item.objects.get(pk=event.pk).created_by is None


def test_each_kind_gets_its_own_row_and_initial_status(now):
    when = month_when(2026, 1)
    event = services.item_create(kind="event", by=SYSTEM, now=now, title="E", when=when)
    milestone = services.item_create(kind="milestone", by=SYSTEM, now=now, title="M", when=when, status="confirmed")
    forecast = services.item_create(kind="expectation", by=SYSTEM, now=now, title="F", when=when,
                                    target_kind="on", probability="0.75")
    conditional = services.item_create(
        kind="expectation", by=SYSTEM, now=now, title="C", when=When.undated("no deadline"),
        expectation_type="conditional", condition="If Hamas does not start disarming",
    )

    assert Event.objects.get(pk=event.pk).status == "recorded"
    assert Milestone.objects.get(pk=milestone.pk).status == "confirmed"
    forecast = Expectation.objects.get(pk=forecast.pk)
    assert (forecast.status, forecast.target_kind, str(forecast.probability)) == ("open", "on", "0.750")
    conditional = Expectation.objects.get(pk=conditional.pk)
    assert conditional.status == "dormant"
    assert conditional.condition == "If Hamas does not start disarming"
    assert Item.objects.get(pk=forecast.pk).specific() == forecast


def test_an_undated_item_sorts_last(now):
    dated = services.item_create(kind="milestone", by=SYSTEM, now=now, title="Dated",
                                 when=day_when(date(9998, 12, 1)))
    undated = services.item_create(kind="milestone", by=SYSTEM, now=now, title="Undated",
                                   when=When.undated("some day"))
    assert Item.objects.get(pk=undated.pk).sort_key == UNDATED_SORT_KEY
    assert list(Item.objects.values_list("title", flat=True)) == ["Dated", "Undated"]


def test_the_expectation_fields_go_to_the_expectation_row(now, milestone):
    trump = make_actor("Donald Trump", slug="donald-trump")
    expectation = services.item_create(
        kind="expectation", by=SYSTEM, now=now, title="The Board meets on Dec. 28", when=milestone.when,
        expectation_type="forecast", holder=trump, criteria="A first meeting is held.", target_kind="on",
        about_milestone=milestone, grace_period=timedelta(days=3),
    )
    expectation = Expectation.objects.get(pk=expectation.pk)
    assert expectation.holder == trump
    assert expectation.about_milestone == milestone
    assert expectation.grace_period == timedelta(days=3)
    after = Change.objects.get(item_id=expectation.pk).after
    assert after["holder"] == trump.pk
    assert after["about_milestone"] == milestone.pk
    assert after["grace_period"] == timedelta(days=3).total_seconds()


def test_created_at_is_the_services_clock_not_the_wall_clock(now):
    then = datetime(2025, 12, 30, 12, 0, tzinfo=timezone.utc)
    event = services.item_create(kind="event", by=SYSTEM, now=then, title="E", when=month_when(2025, 6))
    event = Event.objects.get(pk=event.pk)
    assert event.created_at == event.updated_at == then


def test_links_are_logged_as_stored_and_an_item_without_links_never_reads_them(now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gaza = make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    event = services.item_create(kind="event", by=SYSTEM, now=now, title="Talks", when=day_when(date(2026, 1, 5)),
                                 storylines=[gaza, gaza], actors=[])
    assert list(event.storylines.all()) == [gaza]
    assert (changes_of(event)[0].after["storylines"], changes_of(event)[0].after["actors"]) == (["gaza-ceasefire"], [])

    with CaptureQueriesContext(connection) as captured:
        bare = services.item_create(kind="event", by=SYSTEM, now=now, title="More talks",
                                    when=day_when(date(2026, 1, 6)))
    assert not [q["sql"] for q in captured if "timeline_item_storylines" in q["sql"] or "timeline_item_actors" in q["sql"]]
    assert (changes_of(bare)[0].after["storylines"], changes_of(bare)[0].after["actors"]) == ([], [])
