"""Track records of actors and outlets: expectations counted by state and by
the year of their deadline, a chart drawn on the server, and every count a
link to exactly the items it counts."""

import html as htmllib
import re
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.builders import make_actor, make_expectation, window_when
from tests.pages.conftest import page_text
from timeline import services
from timeline.models import SYSTEM
from timeline.pages.track import deadline_year
from timeline.when import When

pytestmark = pytest.mark.django_db


def year_table(html: str) -> dict[str, dict[str, str]]:
    table = re.search(r'<table class="by-year">(.*?)</table>', html, re.S).group(1)
    heads = re.findall(r'<th scope="col">(.*?)</th>', table)
    rows = {}
    for label, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, re.S):
        values = re.findall(r"<td>(.*?)</td>", cells)
        rows[label] = dict(zip(heads[1:], values))
    return rows


def count_links(html: str) -> list[tuple[str, int]]:
    return [(htmllib.unescape(url), int(n)) for url, n in re.findall(r'<td><a href="([^"]+)"[^>]*>(\d+)</a></td>', html)]


def results_count(client, url: str) -> int:
    html = page_text(client.get(url))
    return int(re.search(r'<h2 id="results-heading">(\d+) items?</h2>', html).group(1))


def test_an_actors_record_by_state_and_year_with_a_chart(client, record):
    html = page_text(client.get("/actors/port-authority/"))

    assert "<h1>Port Authority</h1>" in html
    assert "Also called PA, the harbour board." in html
    assert "Port Authority held 3 expectations on the record; 3 of them have come due with a verdict" in html
    assert '<svg class="track-chart"' in html and "<rect " in html
    rows = year_table(html)
    expected = Counter((str(deadline_year(e.when_end, e.when_tz)), label)
                       for e, label in ((record.met, "Met"), (record.by_rules, "Met"), (record.reviewed, "Missed")))
    found = Counter()
    for year, cells in rows.items():
        for label, cell in cells.items():
            if label != "All":
                found[(year, label)] += int(re.sub(r"<[^>]+>", "", cell))
    assert +found == expected
    # The expectations held are listed, latest deadline first.
    listed = re.findall(r'<h3 class="scorecard__title"><a href="[^"]+">(.*?)</a>', html)
    assert set(listed) == {"The harbour reopens within weeks", "Fishing boats return before the deadline",
                           "Ferries run again"}


def test_every_count_links_to_the_items_it_counts(client, record):
    for page in ("/actors/port-authority/", "/outlets/coast-herald/"):
        html = page_text(client.get(page))
        links = count_links(html)
        assert links, page
        for url, n in links:
            assert results_count(client, url) == n, (page, url)
        # And the meter's totals.
        for url, n in re.findall(r'<a href="([^"]+)"><span class="meter__n">(\d+)</span>', html):
            assert results_count(client, htmllib.unescape(url)) == int(n), (page, url)


def test_the_deadline_year_is_read_in_the_items_zone(client, record):
    new_york = ZoneInfo("America/New_York")
    # "By the end of 2025" in New York ends at 05:00 UTC on 1 January 2026.
    end_of_2025 = window_when(datetime(2025, 12, 1, tzinfo=new_york), datetime(2026, 1, 1, tzinfo=new_york),
                              precision="month", tz="America/New_York")
    assert end_of_2025.end.astimezone(ZoneInfo("UTC")).year == 2026
    assert deadline_year(end_of_2025.end, "America/New_York") == 2025
    holder = make_actor("Mayor", slug="mayor")
    make_expectation(now=record.now, when=end_of_2025, title="Budget passed by the end of 2025", holder=holder)

    rows = year_table(page_text(client.get("/actors/mayor/")))
    assert list(rows) == ["2025"]
    assert results_count(client, "/search/?holder=mayor&kind=expectation&year=2025") == 1
    assert results_count(client, "/search/?holder=mayor&kind=expectation&year=2026") == 0


def test_an_outlet_counts_what_it_reported_not_what_it_gave_evidence_for(client, record):
    wire = page_text(client.get("/outlets/wire/"))
    # The wire's article is only evidence of a verdict: the wire reported no expectation.
    assert "No expectations reported by Wire Service are on the record yet." in wire
    assert "Harbour reopens to ships" in wire  # still listed among its sources

    herald = page_text(client.get("/outlets/coast-herald/"))
    assert "Coast Herald reported 3 expectations on the record" in herald


def test_a_record_with_no_expectations_says_so(client, db):
    make_actor("Nobody", slug="nobody")
    html = page_text(client.get("/actors/nobody/"))
    assert "No expectations held by Nobody are on the record yet." in html
    assert "<svg" not in html


def test_unknown_actors_and_outlets_are_not_found(client, db):
    assert client.get("/actors/no-one/").status_code == 404
    assert client.get("/outlets/no-paper/").status_code == 404


def test_an_expectation_with_no_deadline_counts_under_no_deadline(client, record):
    holder = make_actor("Envoy", slug="envoy")
    exp = make_expectation(now=record.now, when=When.undated("no deadline"), title="Talks resume", holder=holder)
    services.citation_add(item=exp, source=record.source, by=SYSTEM, now=record.now)
    html = page_text(client.get("/actors/envoy/"))
    assert list(year_table(html)) == ["No deadline"]
    assert results_count(client, "/search/?holder=envoy&kind=expectation&year=none") == 1
