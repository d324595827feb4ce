"""citations_add: several citations of one source in a few queries, logged
exactly as citation_add logs them one at a time (a change row per citation,
who added it, the revision it made), retries returning what is there, and a
stale copy of any item writing nothing."""

from datetime import date, datetime, timezone

import pytest
from django.db.models.signals import post_save

from core.errors import InvalidInput, StaleRevision
from tests.builders import day_when, make_event, make_milestone
from timeline import services
from timeline.models import Change, Citation, Outlet
from timeline.services import NewCitation

from .helpers import changes_of, month_when, reload

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)

LOGGED = ("kind", "at", "before", "reason", "public_note", "revision", "schedule_version", "public", "by_user_id",
          "by_label")


def _source(url="https://example.org/a"):
    outlet = Outlet.objects.filter(slug="axios").first() or services.outlet_create(name="Axios")
    return services.source_create(outlet=outlet, title="A story", url=url, published_at=NOW)


def _log(item):
    """The item's change rows as they read, without ids (the citation's id is another one in another run)."""
    rows = []
    for change in changes_of(item, "edited"):
        added = dict(change.after["citation_added"], id=None)
        rows.append(({name: getattr(change, name) for name in LOGGED}, added))
    return rows


def test_a_batch_logs_what_one_citation_add_at_a_time_logs(now, later, editor):
    batch, one_by_one = [], []
    for made in (batch, one_by_one):
        made += [make_event(now=now, when=month_when(2025, 6)),
                 make_milestone(now=now, when=day_when(date(2026, 12, 28)), published=False)]
    wanted = [(0, "reports_claim", "a U.S. official", "They met in June."),
              (1, "reports_claim", "", "The board meets on Dec. 28."),
              (0, "sets_date", "", "  In June, they met.  ")]
    source_batch, source_one = _source("https://example.org/batch"), _source("https://example.org/one")

    cited = services.citations_add(source=source_batch, by=editor, now=later, citations=[
        NewCitation(item=batch[i], role=role, attribution=attribution, quote=quote)
        for i, role, attribution, quote in wanted])
    singly = [services.citation_add(item=one_by_one[i], source=source_one, by=editor, now=later, role=role,
                                    attribution=attribution, quote=quote) for i, role, attribution, quote in wanted]

    assert [(c.item_id, c.role, c.attribution, c.quote) for c in cited] == [
        (batch[i].pk, role, attribution, quote.strip()) for i, role, attribution, quote in wanted]
    assert all(c.pk for c in cited)
    for ours, theirs in zip(batch, one_by_one):
        assert [(row, {**added, "source": None}) for row, added in _log(ours)] == \
            [(row, {**added, "source": None}) for row, added in _log(theirs)]
        assert (ours.revision, reload(ours).revision) == (theirs.revision, reload(theirs).revision)
        assert ours.updated_at == reload(ours).updated_at == later
    [june, june_date] = changes_of(batch[0], "edited")
    assert (june.revision, june_date.revision) == (2, 3), "an item cited twice moves two revisions"
    assert june.after["citation_added"] == {"id": cited[0].pk, "source": "https://example.org/batch",
                                            "role": "reports_claim", "attribution": "a U.S. official"}
    assert (june.by_user, june.public) == (editor, True)
    assert changes_of(batch[1], "edited").get().public is False, "a draft's citation is not news"


def test_a_citation_there_or_given_twice_is_a_retry(now, later, editor):
    event = make_event(now=now, when=month_when(2025, 6))
    source = _source()
    first = services.citation_add(item=event, source=source, by=editor, now=now, attribution="an aide", quote="A")

    again = services.citations_add(source=source, by=editor, now=later, citations=[
        NewCitation(item=event, attribution=" an aide ", quote="B"),
        NewCitation(item=event, attribution="two officials", quote="C"),
        NewCitation(item=event, attribution="two officials", quote="D"),
    ])

    assert again[0] == first and again[1].pk == again[2].pk and again[2].quote == "C"
    assert Citation.objects.filter(item=event).count() == 2
    assert changes_of(event, "edited").count() == 2
    assert reload(event).revision == event.revision == 3
    assert services.citations_add(source=source, by=editor, now=later, citations=[
        NewCitation(item=event, attribution="an aide")]) == [first]
    assert reload(event).revision == 3, "nothing new, nothing logged"


def test_a_stale_copy_of_one_item_writes_nothing(now, later, editor):
    fresh = make_event(now=now, when=month_when(2025, 6))
    milestone = make_milestone(now=now, when=day_when(date(2026, 12, 28)))
    stale = reload(milestone)
    services.item_edit(item=milestone, by=editor, now=now, title="Moved on meanwhile")
    source = _source()
    before = Change.objects.count()

    with pytest.raises(StaleRevision):
        services.citations_add(source=source, by=editor, now=later, citations=[
            NewCitation(item=fresh, quote="one"), NewCitation(item=stale, quote="two")])

    assert not Citation.objects.exists() and Change.objects.count() == before
    assert reload(fresh).revision == fresh.revision == 1
    with pytest.raises(StaleRevision):
        services.citations_add(source=source, by=editor, now=later, citations=[
            NewCitation(item=fresh, quote="one", expected_revision=7)])
    assert not Citation.objects.exists()


def test_bad_input_writes_nothing(now, later, editor):
    event = make_event(now=now, when=month_when(2025, 6))
    source = _source()
    with pytest.raises(InvalidInput):
        services.citations_add(source=source, by="nobody", now=later, citations=[NewCitation(item=event)])
    with pytest.raises(InvalidInput) as error:
        services.citations_add(source=source, by=editor, now=later, citations=[
            NewCitation(item=event), NewCitation(item=event, role="rumour")])
    assert "role" in error.value.fields
    with pytest.raises(InvalidInput):
        services.citations_add(source=source, by=editor, now=later, citations=[
            NewCitation(item=event, attribution="x" * 301)])
    assert not Citation.objects.exists() and reload(event).revision == 1
    assert services.citations_add(source=source, by=editor, now=later, citations=[]) == []


def test_each_change_row_is_announced_as_a_saved_one(now, later, editor):
    """watch queues its processing on post_save of a change row; bulk_create sends none by itself."""
    events = [make_event(now=now, when=month_when(2025, 6)) for _ in range(3)]
    heard = []

    def hear(sender, instance, created, **kwargs):
        heard.append((instance.pk, instance.item_id, created))

    post_save.connect(hear, sender=Change)
    try:
        services.citations_add(source=_source(), by=editor, now=later,
                               citations=[NewCitation(item=event) for event in events])
    finally:
        post_save.disconnect(hear, sender=Change)
    assert heard == [(change.pk, change.item_id, True)
                     for change in Change.objects.filter(kind="edited").order_by("pk")]
    assert len(heard) == 3
