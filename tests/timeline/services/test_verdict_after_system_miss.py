"""A system verdict yields to facts (issue 8): the grace rule called an
expectation missed, then the milestone it is about is marked happened.

The verdict rules (timeline/services/verdict_rules.py) run again: the
system's "missed" becomes met or met late, with the event as evidence and a
note written for the permanent record, or, where the date is too fuzzy to
say, it is listed for an editor. An editor's verdict is never changed by the
system, only listed where the facts disagree, until an editor reviews it. A
correction of the event's When runs the rules again.

The scenario is the issue's: "Trump announces phase two" in January 2026,
reported in Brussels, marked happened "on Jan. 15" once the sweep had already
called the expectation about it missed.
"""

from datetime import date, datetime, timedelta, timezone
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from core.errors import InvalidInput
from tests.builders import day_when, make_expectation, make_milestone, window_when
from timeline import selectors, services
from timeline.models import Change, Expectation, Item

from .helpers import changes_of, month_when, reload

pytestmark = pytest.mark.django_db

UTC = timezone.utc
ZONE = "Europe/Brussels"
BRUSSELS = ZoneInfo(ZONE)
JANUARY = month_when(2026, 1, tz=ZONE, text="in January")
GRACE = timedelta(days=7)
RECORDED = datetime(2025, 12, 20, 9, 0, tzinfo=UTC)
# January ends in Brussels at 2026-01-31 23:00 UTC; the grace period runs a week on.
PAST_GRACE = datetime(2026, 2, 8, 6, 0, tzinfo=UTC)
MARKED = datetime(2026, 2, 10, 12, 0, tzinfo=UTC)
CORRECTED = MARKED + timedelta(days=1)
ON_JAN_15 = day_when(date(2026, 1, 15), tz=ZONE, text="on Jan. 15")
REPORTED_ON = date(2026, 1, 16)  # "on Jan. 15" as the source said it the day after
ON_FEB_3 = day_when(date(2026, 2, 3), tz=ZONE, text="on Feb. 3")

MET_NOTE = "It happened on 15 Jan 2026, within the target window (January 2026)."
MET_LATE_NOTE = "It happened on 3 Feb 2026, after the target window (January 2026) ended."
TITLE = "Trump announces phase two"
EXPECTATION_TITLE = "Phase two is announced in January"


@pytest.fixture(autouse=True)
def grace(settings):
    settings.FW_DEFAULT_GRACE_PERIOD = GRACE


@pytest.fixture
def phase_two(storyline):
    return make_milestone(now=RECORDED, when=JANUARY, storylines=[storyline], title=TITLE)


@pytest.fixture
def expectation(phase_two):
    return make_expectation(now=RECORDED, when=JANUARY, about_milestone=phase_two, target_kind="during",
                            storylines=list(phase_two.storylines.all()), title=EXPECTATION_TITLE)


@pytest.fixture
def missed_by_system(expectation):
    """The sweep after the grace period: missed, decided by the system."""
    assert services.sweep_overdue(now=PAST_GRACE)["missed"] == 1
    fresh = reload(expectation)
    assert (fresh.status, fresh.decided_by) == ("missed", "system")
    assert fresh.verdict_note.startswith("No outcome was recorded by 2026-01-31")
    return fresh


def mark_happened(milestone, editor, *, actual=ON_JAN_15, now=MARKED):
    return services.milestone_mark_happened(milestone=reload(milestone), by=editor, now=now, actual=actual,
                                            as_of=REPORTED_ON)


def due(now):
    out = StringIO()
    call_command("due", "--now", now.isoformat(), stdout=out, stderr=StringIO())
    return out.getvalue()


def needs_verdict_section(report: str) -> str:
    """The text of the report from its "Needs a verdict" heading to the end
    (it is the last section)."""
    heading = report.index("Needs a verdict (")
    return report[heading:]


def needing_verdict(now):
    return set(Item.objects.needs_verdict(now).values_list("pk", flat=True))


def test_a_system_miss_becomes_met_when_the_milestone_happened_in_the_window(
    phase_two, missed_by_system, editor
):
    expectation = missed_by_system
    before = needs_verdict_section(due(MARKED - timedelta(minutes=1)))
    assert EXPECTATION_TITLE in before and "No outcome was recorded by" in before, "listed before it happened"

    milestone = mark_happened(phase_two, editor)

    fresh = reload(expectation)
    event = reload(phase_two).happened_event
    assert event.when == ON_JAN_15
    assert fresh.status == "met"
    assert fresh.decided_by == Expectation.DecidedBy.SYSTEM
    assert fresh.decided_by_user is None
    assert fresh.decided_at == MARKED
    assert fresh.evidence_event == event
    assert fresh.verdict_note == MET_NOTE
    assert fresh.undecided_reason == ""
    assert fresh.verdict_reviewed_at is None

    # The miss, then one new verdict: public, by the system, the note as its public text.
    missed, met = changes_of(expectation, "settled")
    assert missed.after["status"] == "missed"
    assert (met.at, met.by_label, met.by_user, met.public) == (MARKED, "system", None, True)
    assert met.public_note == MET_NOTE
    assert met.before["status"] == "missed" and met.after["status"] == "met"
    assert met.after["decided_by"] == "system"

    # The editor who marked it is told what became of the expectation.
    assert milestone.outcomes == [services.Outcome(fresh, "missed", "met", True, MET_NOTE)]
    happened = changes_of(phase_two, "happened").get()
    assert happened.after["expectations"] == [{
        "public_id": str(expectation.public_id), "title": EXPECTATION_TITLE,
        "status_before": "missed", "status_after": "met", "settled": True, "reason": MET_NOTE,
    }]

    # Nothing is left for the desk: the system's miss is no longer "needs a verdict".
    assert expectation.pk not in needing_verdict(MARKED)
    after = due(MARKED)
    assert "Needs a verdict (0)" in after, after
    assert "No outcome was recorded" not in after
    assert EXPECTATION_TITLE not in after


def test_a_system_miss_becomes_met_late_when_it_happened_after_the_window(phase_two, missed_by_system, editor):
    milestone = mark_happened(phase_two, editor, actual=ON_FEB_3)

    fresh = reload(missed_by_system)
    assert (fresh.status, fresh.decided_by) == ("met_late", "system")
    assert fresh.evidence_event == reload(phase_two).happened_event
    assert fresh.verdict_note == MET_LATE_NOTE
    settled = changes_of(fresh, "settled").last()
    assert (settled.by_label, settled.public, settled.public_note) == ("system", True, MET_LATE_NOTE)
    assert [(o.status_before, o.status_after, o.settled) for o in milestone.outcomes] == [("missed", "met_late", True)]
    assert fresh.pk not in needing_verdict(MARKED)


def test_a_straddling_date_keeps_the_miss_and_lists_it_for_an_editor(phase_two, missed_by_system, editor):
    expectation = missed_by_system
    settled_before = changes_of(expectation, "settled").count()
    straddling = window_when(datetime(2026, 1, 30, tzinfo=BRUSSELS), datetime(2026, 2, 3, tzinfo=BRUSSELS),
                             tz=ZONE, text="around the turn of the month")

    milestone = mark_happened(phase_two, editor, actual=straddling)

    fresh = reload(expectation)
    reason = (
        "It happened during 30 Jan – 2 Feb 2026, a date that straddles an edge of the target window "
        "(January 2026); an editor decides. The system's verdict (missed) was provisional."
    )
    assert (fresh.status, fresh.decided_by) == ("missed", "system"), "no verdict the rules cannot give"
    assert fresh.undecided_reason == reason
    assert changes_of(expectation, "settled").count() == settled_before
    edited = changes_of(expectation, "edited").get()
    assert (edited.by_label, edited.public) == ("system", False), "no new verdict: nothing to tell subscribers"
    assert milestone.outcomes == [services.Outcome(fresh, "missed", "missed", False, reason)]

    assert expectation.pk in needing_verdict(MARKED)
    [entry] = [e for e in selectors.due_report(now=MARKED, within=timedelta(days=7)) if e.item.pk == expectation.pk]
    assert entry.section == "needs_verdict"
    assert reason in entry.reason

    services.expectation_review(expectation=fresh, by=editor, now=MARKED + timedelta(hours=1))
    reviewed = reload(expectation)
    assert (reviewed.status, reviewed.undecided_reason) == ("missed", "")
    assert expectation.pk not in needing_verdict(MARKED + timedelta(hours=1))


@pytest.fixture
def missed_by_an_editor(phase_two, expectation, editor):
    """An editor calls it missed before the grace period is out; the sweep
    leaves it be. Then the milestone is marked happened on Jan. 15."""
    services.expectation_settle(expectation=expectation, by=editor, now=datetime(2026, 2, 2, 9, 0, tzinfo=UTC),
                                status="missed", note="No announcement came in January.")
    assert services.sweep_overdue(now=PAST_GRACE)["missed"] == 0
    milestone = mark_happened(phase_two, editor)
    return reload(expectation), milestone


EDITOR_DISAGREES = (
    f"{MET_NOTE} The verdict rules say met; the editor's verdict (missed) stands until an editor "
    "reviews or overturns it."
)


def test_an_editors_verdict_is_not_changed_but_listed(missed_by_an_editor, editor):
    fresh, milestone = missed_by_an_editor

    assert (fresh.status, fresh.decided_by, fresh.decided_by_user) == ("missed", "editor", editor)
    assert fresh.verdict_note == "No announcement came in January."
    assert fresh.evidence_event is None
    assert fresh.undecided_reason == EDITOR_DISAGREES
    assert [c.by_label for c in changes_of(fresh, "settled")] == [editor.get_username()]
    edited = changes_of(fresh, "edited").get()
    assert (edited.by_label, edited.public) == ("system", False)
    assert milestone.outcomes == [services.Outcome(fresh, "missed", "missed", False, EDITOR_DISAGREES)]

    assert fresh.pk in needing_verdict(MARKED)
    assert [(e.section, e.reason) for e in selectors.due_report(now=MARKED, within=timedelta(days=7))
            if e.item.pk == fresh.pk] == [("needs_verdict", EDITOR_DISAGREES)]


def test_reviewing_the_editors_listed_verdict_clears_it(missed_by_an_editor, editor):
    fresh, _ = missed_by_an_editor

    services.expectation_review(expectation=fresh, by=editor, now=MARKED + timedelta(hours=1),
                                note="We count the leak, not the announcement.")

    reviewed = reload(fresh)
    assert (reviewed.status, reviewed.decided_by, reviewed.undecided_reason) == ("missed", "editor", "")
    assert changes_of(fresh, "reviewed").count() == 1
    assert fresh.pk not in needing_verdict(MARKED + timedelta(hours=1))


def test_correcting_the_events_date_moves_the_systems_met_to_met_late(phase_two, missed_by_system, editor):
    mark_happened(phase_two, editor)
    assert reload(missed_by_system).status == "met"
    event = reload(phase_two).happened_event
    settled_before = changes_of(missed_by_system, "settled").count()

    corrected = services.item_correct(item=event, by=editor, now=CORRECTED, when=ON_FEB_3,
                                      reason="Jan. 15 was a leak; the announcement came on Feb. 3.")

    fresh = reload(missed_by_system)
    assert (fresh.status, fresh.decided_by) == ("met_late", "system")
    assert fresh.evidence_event == event
    assert fresh.decided_at == CORRECTED
    assert fresh.verdict_note == MET_LATE_NOTE
    settled = changes_of(missed_by_system, "settled")
    assert settled.count() == settled_before + 1
    last = settled.last()
    assert (last.at, last.by_label, last.public, last.public_note) == (CORRECTED, "system", True, MET_LATE_NOTE)
    assert (last.before["status"], last.after["status"]) == ("met", "met_late")
    assert corrected.outcomes == [services.Outcome(fresh, "met", "met_late", True, MET_LATE_NOTE)]
    assert Change.objects.filter(item_id=event.pk, kind="correction").count() == 1


def test_a_correction_to_happened_without_the_event_is_refused(storyline, editor):
    milestone = services.item_create(
        kind="milestone", by=editor, now=RECORDED, title="A milestone", when=month_when(2026, 1),
        storylines=[storyline], editorial_state="published",
    )

    with pytest.raises(InvalidInput) as refusal:
        services.item_correct(item=milestone, by=editor, now=RECORDED, reason="It did happen.", status="happened")

    assert "mark it as happened" in refusal.value.message
    assert reload(milestone).status == "scheduled"
