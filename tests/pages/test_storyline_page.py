"""A storyline's page: the timeline with dates as precise as their sources,
a happened milestone at its actual date beside its plan, postponements, and
the expectation scoreboard with its totals, who decided and on what evidence."""

import re

import pytest

from tests.pages.conftest import page_text
from tests.pages.support import INTERNAL
from timeline.models import Change

pytestmark = pytest.mark.django_db


def scorecards(html: str) -> dict[str, str]:
    """Each scoreboard line by its title."""
    cards = re.findall(r'<article class="scorecard scorecard--\w+">(.*?)</article>', html, re.S)
    return {re.search(r'<h3 class="scorecard__title"><a href="[^"]+">(.*?)</a>', c).group(1): c for c in cards}


def test_the_two_january_expectations_are_missed_by_the_system_with_the_reason_and_the_source(client, demo):
    html = page_text(client.get("/storylines/gaza-ceasefire/"))

    cards = scorecards(html)
    january = cards["Trump announces phase two, the Board of Peace and the technocratic government in January"]
    davos = cards["The Board of Peace first meets in Davos on Jan. 23, with Trump in the chair"]
    for card in (january, davos):
        assert '<span class="badge badge--missed">Missed</span>' in card
        assert "Decided by the system on 25 Nov 2026. Not yet reviewed by an editor." in card
        assert "the grace period of 7 days has passed: missed, decided by the system." in card
        assert "the outlet&#x27;s own reporting" in card
        assert ('<a href="https://www.axios.com/2025/12/30/netanyahu-trump-iran-strikes-2026" rel="external noopener">'
                "Netanyahu discussed attacking Iran again in 2026 in meeting with Trump</a>") in card
        assert '<a href="/outlets/axios/">Axios</a>, 30 Dec 2025' in card
    assert "No outcome was recorded by 2026-02-01" in january
    assert "No outcome was recorded by 2026-01-23" in davos
    assert "during January 2026" in january and "on 23 Jan 2026" in davos
    dormant = cards["Trump will let Israel take military action against Hamas"]
    assert '<span class="badge badge--dormant">Dormant</span>' in dormant
    assert "the officials" in dormant and "no deadline" in dormant


def test_dates_are_shown_as_precisely_as_they_were_reported(client, demo):
    html = page_text(client.get("/storylines/gaza-ceasefire/"))

    timeline = html[html.index('id="timeline-heading"'):html.index('id="scoreboard-heading"')]
    assert '<span class="when__date">January 2026</span> <span class="when__reported">(reported as “in January”)' in timeline
    assert '<span class="when__date">23 Jan 2026</span>' in timeline
    assert '<span class="when__date">29 Dec 2025</span> <span class="when__reported">(reported as “on Monday”)' in timeline
    # A month is never pinned to its first day.
    assert "1 Jan 2026" not in html
    # "Now" falls after the January milestones, both overdue.
    assert timeline.index("The Gaza Board of Peace holds its first meeting") < timeline.index("timeline__now")
    assert timeline.count('<span class="badge badge--overdue">Overdue</span>') == 2


def test_the_iran_storyline_shows_the_approximate_window(client, demo):
    html = page_text(client.get("/storylines/iran-nuclear-and-missile-programs/"))

    assert '<span class="when__date">~29–30 Dec 2025</span>' in html
    assert '<span class="when__date">June 2025</span>' in html


def test_a_happened_milestone_stands_at_its_actual_date_with_its_plan_and_moves(client, record):
    html = page_text(client.get("/storylines/harbour/"))

    actual, planned = record.happened_on.display(), record.moved.when.display()
    line = re.search(r'<article class="item-line item-line--milestone">((?:(?!</article>).)*The harbour reopens</a>.*?)</article>',
                     html, re.S).group(1)
    assert f'<span class="when__date">{actual}</span>' in line
    assert f'<span class="when__planned">planned for {planned}</span>' in line
    assert f'<span class="when__moved">Moved twice; first planned for {record.planned_first.display()}</span>' in line
    assert '<span class="badge badge--happened">Happened</span>' in line
    # The event that shows it is folded into the milestone's line, not listed twice.
    timeline = html[html.index('id="timeline-heading"'):html.index('id="scoreboard-heading"')]
    assert timeline.count(">The harbour reopens</a>") == 1
    assert "shown by <a href=" in line


def test_the_scoreboard_says_who_decided_and_on_what_evidence(client, record):
    html = page_text(client.get("/storylines/harbour/"))

    cards = scorecards(html)
    met = cards["Fishing boats return before the deadline"]
    assert '<span class="badge badge--met">Met</span>' in met
    assert "Decided by an editor on" in met
    assert "reviewed by an editor" not in met.lower()  # only a system's verdict awaits review
    assert "The boats were back before the deadline." in met
    assert ('<a href="https://wire.example.org/harbour-open" rel="external noopener">Harbour reopens to ships</a>, '
            "Wire Service") in met
    by_rules = cards["The harbour reopens within weeks"]
    assert "Decided by the system on" in by_rules
    assert f'<a href="/items/{record.moved.happened_event.public_id}/">The harbour reopens</a>' in by_rules
    reviewed = cards["Ferries run again"]
    assert '<span class="badge badge--missed">Missed</span>' in reviewed
    assert "Reviewed by an editor on" in reviewed and "the verdict stands" in reviewed
    assert "by " + re.search(r"by (\d+ \w+ \d{4})", by_rules).group(1) in by_rules  # a `by` deadline names its last day


def test_totals_per_state_link_to_the_filtered_scoreboard(client, record):
    html = page_text(client.get("/storylines/harbour/"))
    meter = re.search(r'<ul class="meter" aria-label="Expectations by state">(.*?)</ul>', html, re.S).group(1)
    totals = dict((state, int(n)) for state, n in re.findall(
        r'\?status=(\w+)#scoreboard"><span class="meter__n">(\d+)</span>', meter))
    assert totals == {"open": 0, "overdue": 0, "met": 2, "met_late": 0, "missed": 1, "partly_met": 0, "void": 0,
                      "dormant": 0}

    filtered = page_text(client.get("/storylines/harbour/?status=missed"))
    assert list(scorecards(filtered)) == ["Ferries run again"]
    assert "Showing the missed ones only." in filtered

    # An unknown state is no filter at all, rather than an error.
    assert len(scorecards(page_text(client.get("/storylines/harbour/?status=bogus")))) == 3


def test_an_overdue_expectation_counts_as_overdue_not_open(client, record, editor):
    from datetime import timedelta

    from tests.builders import day_when, make_expectation

    make_expectation(now=record.now - timedelta(days=3), when=day_when((record.now - timedelta(days=2)).date()),
                     title="Past its deadline, inside its grace", storylines=[record.storyline])
    html = page_text(client.get("/storylines/harbour/"))

    card = scorecards(html)["Past its deadline, inside its grace"]
    assert '<span class="badge badge--overdue">Overdue</span>' in card
    assert re.search(r'\?status=overdue#scoreboard"><span class="meter__n">1</span>', html)
    assert re.search(r'\?status=open#scoreboard"><span class="meter__n">0</span>', html)


def test_only_public_items_and_public_notes_appear(client, record):
    html = page_text(client.get("/storylines/harbour/"))

    for hidden in (record.draft.title, record.proposal.title, record.retracted.title, INTERNAL):
        assert hidden not in html
    for reason in Change.objects.exclude(reason="").exclude(reason__in=Change.objects.values("public_note")) \
            .values_list("reason", flat=True):
        assert reason not in html


def test_an_unknown_storyline_is_a_404_in_the_sites_look(client, db):
    response = client.get("/storylines/no-such-thing/")

    assert response.status_code == 404
    html = page_text(response)
    assert "<h1>Page not found</h1>" in html and 'class="brand"' in html


def test_the_timeline_pages_through_a_long_storyline(client, record):
    from datetime import timedelta

    from tests.builders import day_when, make_event

    for n in range(55):
        make_event(now=record.now, when=day_when((record.now - timedelta(days=200 + n)).date()), title=f"Old event {n}",
                   storylines=[record.storyline])
    first = page_text(client.get("/storylines/harbour/"))
    assert "Page 1 of 2" in first
    assert 'rel="next" href="/storylines/harbour/?page=2#timeline"' in first
    def timeline(html):
        return html[html.index('id="timeline-heading"'):html.index('id="scoreboard-heading"')]

    # Oldest first: the newest line is on the second page.
    assert "Old event 54" in timeline(first) and "Cruise terminal opens" not in timeline(first)
    second = page_text(client.get("/storylines/harbour/?page=2&status=met"))
    assert "Cruise terminal opens" in timeline(second) and "Old event 54" not in timeline(second)
    # Paging the timeline keeps the scoreboard's filter.
    assert 'href="/storylines/harbour/?page=1&amp;status=met#timeline"' in second
