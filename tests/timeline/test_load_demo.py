"""`manage.py load_demo`: the example storyline of the Axios article, once.

The record is written as of the article (2025-12-30); the sweep that follows
uses the clock it is given, here the tests' `now` (2026-11-25).
"""

import re
from datetime import date, datetime, timedelta, timezone
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from timeline import demo, selectors, services
from timeline.models import Actor, Change, Citation, Event, Expectation, Item, Milestone, Outlet, Source, Storyline

pytestmark = pytest.mark.django_db

ARTICLE = settings.BASE_DIR.parent / "shared" / "examples" / "seed-article.txt"
UTC = timezone.utc


def load(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count()
            for model in (Storyline, Actor, Outlet, Source, Citation, Event, Milestone, Expectation, Change)}


def snapshot():
    return counts(), set(Change.objects.values_list("id", flat=True)), dict(Item.objects.values_list("pk", "revision"))


def by_title(model, start):
    return model.objects.get(title__startswith=start)


def test_it_loads_the_articles_record_as_of_the_article(now):
    output = load("--no-sweep")

    # Each item: created (a draft), one edit per citation, the holder's citation
    # for the two anonymous holders, published: 5 + 2 + 6 items, 14 citations.
    assert counts() == {"Storyline": 2, "Actor": 11, "Outlet": 1, "Source": 1, "Citation": 14, "Event": 5,
                        "Milestone": 2, "Expectation": 6, "Change": 13 + 14 + 2 + 13}
    round_two = by_title(Expectation, 'The U.S. would back a "round two"')
    assert list(round_two.changes.values_list("kind", flat=True)) == ["created", "edited", "edited", "published"]
    assert Change.objects.filter(public=True).count() == 13, "only the publications are news"
    assert set(Storyline.objects.values_list("slug", flat=True)) == {"gaza-ceasefire", "iran-nuclear-and-missile-programs"}
    assert not Item.objects.exclude(editorial_state="published").exists()
    # Its whole history reads as of the article, written by the system.
    assert set(Change.objects.values_list("at", "by_label")) == {(demo.CREATED_AT, "system")}
    assert set(Item.objects.values_list("created_at", flat=True)) == {demo.CREATED_AT}
    assert "Demo record" in output and "loaded" in output
    assert "events 5 new" in output
    assert "skipped (--no-sweep)" in output


def test_the_actors_and_the_source(now):
    load("--no-sweep")
    irgc = Actor.objects.get(slug="irgc")
    assert set(irgc.aliases) >= {"Iran's Revolutionary Guards", "Revolutionary Guards", "Islamic Revolutionary Guard Corps"}
    assert {a.slug for a in Actor.objects.all()} == {
        "benjamin-netanyahu", "donald-trump", "masoud-pezeshkian", "abbas-araghchi", "steve-witkoff", "hamas",
        "hezbollah", "irgc", "israel", "iran", "united-states"}
    source = Source.objects.get()
    assert source.outlet.name == "Axios"
    assert source.published_at.date() == date(2025, 12, 30)


@pytest.mark.parametrize("title, start, end, precision, tz", [
    ("Israel and Iran fight", datetime(2025, 6, 1), datetime(2025, 7, 1), "month", "Asia/Tehran"),
    ("Araghchi and Witkoff", datetime(2025, 9, 1), datetime(2025, 10, 1), "month", "UTC"),
    ("Israeli officials warn", datetime(2025, 12, 22), datetime(2025, 12, 29), "week", "Asia/Jerusalem"),
    ("Netanyahu and Trump meet", datetime(2025, 12, 29), datetime(2025, 12, 30), "day", "America/New_York"),
    ("Trump announces phase two of", datetime(2026, 1, 1), datetime(2026, 2, 1), "month", "America/New_York"),
    ("The Gaza Board of Peace holds", datetime(2026, 1, 23), datetime(2026, 1, 24), "day", "Europe/Zurich"),
    ("The Board of Peace first meets", datetime(2026, 1, 23), datetime(2026, 1, 24), "day", "Europe/Zurich"),
    ('The U.S. would back a "round two"', datetime(2026, 1, 1), datetime(2027, 1, 1), "year", "UTC"),
])
def test_the_when_phrases_are_read_as_of_the_article(title, start, end, precision, tz):
    load("--no-sweep")
    item = Item.objects.get(title__startswith=title)
    zone = ZoneInfo(tz)
    assert (item.when_start, item.when_end) == (start.replace(tzinfo=zone), end.replace(tzinfo=zone))
    assert (item.when_precision, item.when_tz, item.when_as_of) == (precision, tz, date(2025, 12, 30))


def test_the_expectations(now):
    load("--no-sweep")
    january = by_title(Expectation, "Trump announces phase two, the Board")
    davos = by_title(Expectation, "The Board of Peace first meets")
    assert (january.status, january.target_kind, january.about_milestone) == (
        "open", "during", by_title(Milestone, "Trump announces phase two of"))
    assert (davos.status, davos.target_kind, davos.about_milestone) == (
        "open", "on", by_title(Milestone, "The Gaza Board of Peace holds"))
    assert january.holder_display == davos.holder_display == "the outlet's own reporting"

    round_two = by_title(Expectation, 'The U.S. would back a "round two"')
    hamas = by_title(Expectation, "Trump will let Israel")
    for conditional in (round_two, hamas):
        assert (conditional.expectation_type, conditional.status) == ("conditional", "dormant")
        assert conditional.condition
    assert round_two.holder_display == "a U.S. official"
    assert round_two.holder_citation.item_id == round_two.pk
    assert hamas.holder_display == "the officials"
    assert hamas.when_precision == "undated"

    threats = Expectation.objects.filter(expectation_type="threat").order_by("title")
    assert [(t.holder.slug, t.status, t.when_precision) for t in threats] == [
        ("masoud-pezeshkian", "open", "undated"), ("donald-trump", "open", "undated")]


def test_the_citations_carry_roles_attributions_and_the_articles_words(now):
    load("--no-sweep")
    meeting = by_title(Event, "Netanyahu and Trump meet")
    assert sorted(meeting.citations.values_list("attribution", flat=True)) == [
        "a U.S. official and two additional U.S. sources", "two senior U.S. officials"]
    assert set(Citation.objects.filter(item__kind="milestone").values_list("role", flat=True)) == {"sets_date"}
    assert Item.objects.filter(citations__isnull=True).count() == 0, "every item is sourced"
    if not ARTICLE.exists():
        pytest.skip(f"the article is not at {ARTICLE}")
    article = re.sub(r"\s+", " ", ARTICLE.read_text())
    for quote in Citation.objects.values_list("quote", flat=True):
        assert quote and quote in article, quote


def test_running_it_twice_changes_nothing(now):
    load("--now", now.isoformat())
    first = snapshot()

    output = load("--now", (now + timedelta(minutes=1)).isoformat())

    assert snapshot() == first
    assert "already there, unchanged" in output
    assert "0 newly overdue, 0 missed" in output


def test_an_item_an_editor_changed_is_left_as_it_is(now, editor):
    load("--no-sweep")
    milestone = by_title(Milestone, "The Gaza Board of Peace holds")
    services.item_retract(item=milestone, by=editor, now=now, reason="Testing.")
    load("--no-sweep")
    assert Milestone.objects.get(pk=milestone.pk).editorial_state == "retracted"
    assert Milestone.objects.count() == 2


def test_without_the_sweep_the_january_items_are_overdue_and_due_says_why(now):
    load("--no-sweep")

    entries = selectors.due_report(now=now, within=timedelta(days=7))

    overdue = [e for e in entries if e.section == "overdue"]
    assert sorted((e.item.kind, e.item.title[:30]) for e in overdue) == [
        ("expectation", "The Board of Peace first meets"),
        ("expectation", "Trump announces phase two, the"),
        ("milestone", "The Gaza Board of Peace holds "),
        ("milestone", "Trump announces phase two of t"),
    ]
    needs = [e for e in entries if e.section == "needs_verdict"]
    assert {e.item.pk for e in needs} == {e.item.pk for e in overdue}
    assert all(e.reason.startswith("Overdue: the window ended") for e in needs)
    assert not [e for e in entries if e.section == "upcoming"]


def test_the_sweep_notices_the_milestones_and_misses_the_january_expectations(now):
    output = load("--now", now.isoformat())

    assert "Overdue sweep at 2026-11-25 12:00 UTC: 4 newly overdue, 2 missed by the system" in output
    entries = selectors.due_report(now=now, within=timedelta(days=7))
    assert sorted((e.section, e.item.kind) for e in entries) == [
        ("needs_verdict", "expectation"), ("needs_verdict", "expectation"),
        ("needs_verdict", "milestone"), ("needs_verdict", "milestone"),
        ("overdue", "milestone"), ("overdue", "milestone"),
    ]
    for expectation in Expectation.objects.filter(about_milestone__isnull=False):
        assert (expectation.status, expectation.decided_by) == ("missed", "system")
        assert "grace period of 7 days has passed" in expectation.verdict_note
    missed = [e for e in entries if e.item.kind == "expectation"]
    assert all(e.reason.startswith("Missed, decided by the system on 2026-11-25") for e in missed)
    # The conditionals and threats are not due: dormant, or with no deadline.
    assert Expectation.objects.filter(status="missed").count() == 2


def test_other_apps_hear_that_the_record_is_loaded(now):
    heard = []

    def receiver(sender, now, **kwargs):
        heard.append((now, Storyline.objects.count()))

    demo.demo_record_loaded.connect(receiver)
    try:
        load("--no-sweep", "--now", now.isoformat())
    finally:
        demo.demo_record_loaded.disconnect(receiver)
    assert heard == [(now, 2)]


def test_a_bad_sweep_clock_is_refused_before_anything_is_written(db):
    with pytest.raises(CommandError) as excinfo:
        load("--now", "tomorrow")
    assert "--now takes an ISO 8601 date or time" in str(excinfo.value)
    assert not Item.objects.exists()
