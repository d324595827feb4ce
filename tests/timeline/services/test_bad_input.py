"""Bad input gives a clear error naming the field, and leaves nothing half-written."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest

from tests.builders import day_when, make_event, make_expectation, make_milestone, make_storyline
from timeline import services
from timeline.exceptions import InvalidInput, TransitionNotAllowed
from timeline.models import Actor, Change, Citation, Item, Outlet, ReferenceChange, Source, Storyline
from timeline.when import When

from .helpers import month_when

pytestmark = pytest.mark.django_db

UTC = timezone.utc


@dataclass
class World:
    now: datetime
    editor: object
    milestone: object
    cancelled: object
    expectation: object
    event: object
    undated_event: object


@pytest.fixture
def world(now, editor, milestone):
    cancelled = make_milestone(now=now, when=day_when(date(2026, 12, 1)))
    services.milestone_cancel(milestone=cancelled, by=editor, now=now, reason="Called off.")
    make_storyline("Iran", slug="iran")
    make_storyline("Other", slug="other")
    services.actor_create(by=editor, now=now, name="Hamas", kind="organisation")
    outlet = services.outlet_create(name="Axios")
    source = services.source_create(outlet=outlet, title="t", url="https://example.org/a", published_at=now)
    services.citation_add(item=milestone, source=source, by=editor, now=now, attribution="a U.S. official")
    return World(
        now=now, editor=editor, milestone=milestone, cancelled=cancelled,
        expectation=make_expectation(now=now, when=month_when(2027, 1)),
        event=make_event(now=now, when=day_when(date(2026, 11, 20))),
        undated_event=make_event(now=now, when=When.undated("some time")),
    )


def create(w, kind="expectation", **fields):
    fields.setdefault("title", "A claim")
    fields.setdefault("when", month_when(2027, 1))
    return services.item_create(kind=kind, by=w.editor, now=w.now, **fields)


# (id, call, the field the InvalidInput names; None where the error is about no
# field: a forbidden move (TransitionNotAllowed) or a bad `now` or `by`)
CASES = [
    # When
    ("when-end-before-start", lambda w: When(text="x", start=datetime(2027, 2, 1, tzinfo=UTC),
                                             end=datetime(2027, 1, 1, tzinfo=UTC), precision="range"), "when"),
    ("when-empty-window", lambda w: When(text="x", start=datetime(2027, 1, 1, tzinfo=UTC),
                                         end=datetime(2027, 1, 1, tzinfo=UTC), precision="day"), "when"),
    ("when-unknown-zone", lambda w: When(text="x", start=datetime(2027, 1, 1, tzinfo=UTC),
                                         end=datetime(2027, 1, 2, tzinfo=UTC), precision="day", tz="Mars/Olympus"), "tz"),
    ("when-naive", lambda w: When(text="x", start=datetime(2027, 1, 1), end=datetime(2027, 1, 2),
                                  precision="day"), "when"),
    ("when-from-dict-backwards", lambda w: When.from_dict(
        {"start": "2027-02-01T00:00:00+00:00", "end": "2027-01-01T00:00:00+00:00", "precision": "range"}), "when"),
    ("when-unknown-precision", lambda w: When(text="x", start=None, end=None, precision="fortnight"), "precision"),
    ("when-undated-with-window", lambda w: When(text="x", start=datetime(2027, 1, 1, tzinfo=UTC),
                                                end=datetime(2027, 1, 2, tzinfo=UTC), precision="undated"), "when"),
    # Creating items
    ("unknown-kind", lambda w: create(w, kind="rumour"), "kind"),
    ("field-of-another-kind", lambda w: create(w, kind="milestone", criteria="x"), "criteria"),
    ("lifecycle-field-on-create", lambda w: create(w, decided_by="editor"), "decided_by"),
    ("empty-title", lambda w: create(w, title="  "), "title"),
    ("title-too-long", lambda w: create(w, title="x" * 301), "title"),
    ("place-too-long", lambda w: create(w, kind="event", place="x" * 201), "place"),
    ("probability-above-one", lambda w: create(w, probability=1.5), "probability"),
    ("probability-negative", lambda w: create(w, probability="-0.1"), "probability"),
    ("probability-text", lambda w: create(w, probability="likely"), "probability"),
    ("probability-nan", lambda w: create(w, probability="NaN"), "probability"),
    ("probability-bool", lambda w: create(w, probability=True), "probability"),
    ("grace-negative", lambda w: create(w, grace_period=timedelta(days=-1)), "grace_period"),
    ("grace-not-a-duration", lambda w: create(w, grace_period=7), "grace_period"),
    ("unknown-target-kind", lambda w: create(w, target_kind="around"), "target_kind"),
    ("unknown-expectation-type", lambda w: create(w, expectation_type="hope"), "expectation_type"),
    ("about-an-event", lambda w: create(w, about_milestone=w.event), "about_milestone"),
    ("holder-not-an-actor", lambda w: create(w, holder="donald-trump"), "holder"),
    ("holder-citation-not-a-citation", lambda w: create(w, holder_citation=w.event), "holder_citation"),
    ("holder-citation-before-any-citation", lambda w: create(w, holder_citation=Citation.objects.get()),
     "holder_citation"),
    ("holder-citation-of-another-item", lambda w: services.item_edit(
        item=w.expectation, by=w.editor, now=w.now, holder_citation=Citation.objects.get()), "holder_citation"),
    ("conditional-without-condition", lambda w: create(w, expectation_type="conditional"), "condition"),
    ("forecast-starting-dormant", lambda w: create(w, status="dormant"), "status"),
    ("milestone-starting-happened", lambda w: create(w, kind="milestone", status="happened"), "status"),
    ("created-retracted", lambda w: create(w, editorial_state="retracted"), "editorial_state"),
    ("naive-now", lambda w: services.item_create(kind="event", by=w.editor, now=datetime(2026, 11, 25),
                                                 title="x", when=month_when(2026, 1)), None),
    ("unknown-actor", lambda w: services.milestone_confirm(milestone=w.milestone, by="bob", now=w.now), None),
    # Editing and correcting
    ("empty-edit", lambda w: services.item_edit(item=w.milestone, by=w.editor, now=w.now), "non_field_errors"),
    ("edit-unknown-field", lambda w: services.item_edit(item=w.milestone, by=w.editor, now=w.now, status="happened"),
     "status"),
    ("correct-without-reason", lambda w: services.item_correct(item=w.cancelled, by=w.editor, now=w.now, reason="",
                                                               status="scheduled"), "reason"),
    ("correct-to-a-status-of-another-kind", lambda w: services.item_correct(
        item=w.milestone, by=w.editor, now=w.now, reason="r", status="met"), "status"),
    ("correct-nothing", lambda w: services.item_correct(item=w.milestone, by=w.editor, now=w.now, reason="r"),
     "non_field_errors"),
    ("correct-unknown-editorial-state", lambda w: services.item_correct(
        item=w.milestone, by=w.editor, now=w.now, reason="r", editorial_state="hidden"), "editorial_state"),
    ("retract-without-reason", lambda w: services.item_retract(item=w.milestone, by=w.editor, now=w.now,
                                                               reason=""), "reason"),
    # Milestones
    ("cancel-without-reason", lambda w: services.milestone_cancel(milestone=w.milestone, by=w.editor, now=w.now,
                                                                  reason=""), "reason"),
    ("happened-neither-event-nor-when", lambda w: services.milestone_mark_happened(
        milestone=w.milestone, by=w.editor, now=w.now), "event"),
    ("happened-both-event-and-when", lambda w: services.milestone_mark_happened(
        milestone=w.milestone, by=w.editor, now=w.now, event=w.event, actual=day_when(date(2026, 12, 28))), "event"),
    ("happened-undated", lambda w: services.milestone_mark_happened(
        milestone=w.milestone, by=w.editor, now=w.now, actual=When.undated()), "actual"),
    ("happened-shown-by-a-milestone", lambda w: services.milestone_mark_happened(
        milestone=w.milestone, by=w.editor, now=w.now, event=w.cancelled), "event"),
    ("happened-shown-by-an-undated-event", lambda w: services.milestone_mark_happened(
        milestone=w.milestone, by=w.editor, now=w.now, event=w.undated_event), "event"),
    # Forbidden moves
    ("confirm-cancelled", lambda w: services.milestone_confirm(milestone=w.cancelled, by=w.editor, now=w.now), None),
    ("postpone-cancelled", lambda w: services.milestone_postpone(milestone=w.cancelled, by=w.editor, now=w.now,
                                                                 when=month_when(2027, 1)), None),
    ("cancel-cancelled", lambda w: services.milestone_cancel(milestone=w.cancelled, by=w.editor, now=w.now,
                                                             reason="again"), None),
    ("trigger-open", lambda w: services.expectation_trigger(expectation=w.expectation, by=w.editor, now=w.now), None),
    ("review-open", lambda w: services.expectation_review(expectation=w.expectation, by=w.editor, now=w.now), None),
    ("publish-published", lambda w: services.item_publish(item=w.milestone, by=w.editor, now=w.now), None),
    # Verdicts
    ("settle-unknown-verdict", lambda w: services.expectation_settle(
        expectation=w.expectation, by=w.editor, now=w.now, status="true", note="n"), "status"),
    ("settle-without-note", lambda w: services.expectation_settle(
        expectation=w.expectation, by=w.editor, now=w.now, status="missed", note=""), "note"),
    ("settle-met-without-evidence", lambda w: services.expectation_settle(
        expectation=w.expectation, by=w.editor, now=w.now, status="met", note="n"), "evidence"),
    ("settle-with-a-milestone-as-evidence", lambda w: services.expectation_settle(
        expectation=w.expectation, by=w.editor, now=w.now, status="met", note="n", evidence_event=w.milestone),
     "evidence_event"),
    # Reference data
    ("duplicate-storyline-slug", lambda w: services.storyline_create(
        by=w.editor, now=w.now, name="Iran again", slug="iran"), "slug"),
    ("duplicate-storyline-name-slug", lambda w: services.storyline_create(by=w.editor, now=w.now, name="Iran"), "slug"),
    ("storyline-renamed-to-a-taken-slug", lambda w: services.storyline_update(
        storyline=Storyline.objects.get(slug="other"), by=w.editor, now=w.now, slug="iran"), "slug"),
    ("duplicate-actor-slug", lambda w: services.actor_create(by=w.editor, now=w.now, name="Hamas"), "slug"),
    ("unknown-actor-kind", lambda w: services.actor_create(
        by=w.editor, now=w.now, name="Hezbollah", kind="militia"), "kind"),
    ("aliases-as-text", lambda w: services.actor_create(
        by=w.editor, now=w.now, name="IRGC", aliases="Revolutionary Guards"), "aliases"),
    ("duplicate-outlet", lambda w: services.outlet_create(name="Axios"), "slug"),
    ("duplicate-source-url", lambda w: services.source_create(
        outlet=Outlet.objects.get(), title="t2", url="https://example.org/a", published_at=w.now), "url"),
    ("source-naive-date", lambda w: services.source_create(
        outlet=Outlet.objects.get(), title="t", url="https://example.org/b", published_at=datetime(2025, 12, 30)),
     "published_at"),
    ("citation-unknown-role", lambda w: services.citation_add(
        item=w.milestone, source=Source.objects.get(), by=w.editor, now=w.now, role="rumour"), "role"),
    ("storyline-without-name", lambda w: services.storyline_create(by=w.editor, now=w.now, name=""), "name"),
]


def counts():
    return {model.__name__: model.objects.count()
            for model in (Change, Item, Storyline, Actor, Outlet, Source, Citation, ReferenceChange)}


def revisions():
    return dict(Item.objects.values_list("pk", "revision"))


@pytest.mark.parametrize("call, field", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_cleanly(world, call, field):
    before, before_revisions = counts(), revisions()
    if field is None:
        with pytest.raises((TransitionNotAllowed, InvalidInput)) as excinfo:
            call(world)
    else:
        with pytest.raises(InvalidInput) as excinfo:
            call(world)
        assert field in excinfo.value.fields, excinfo.value.fields
        assert all(excinfo.value.fields[field]), "each field error says something"
    assert excinfo.value.message
    assert 400 <= excinfo.value.http_status < 500
    assert counts() == before, "nothing half-written"
    assert revisions() == before_revisions


def test_a_forbidden_move_names_the_current_status(world):
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.milestone_confirm(milestone=world.cancelled, by=world.editor, now=world.now)
    assert excinfo.value.current_status == "cancelled"
    assert excinfo.value.editorial_state == "published"
    assert excinfo.value.http_status == 409
    assert "cancelled" in excinfo.value.message


def test_a_probability_keeps_three_places(world):
    expectation = create(world, probability="0.6666")
    assert str(type(expectation).objects.get(pk=expectation.pk).probability) == "0.667"
