"""The example article (../shared/examples/seed-article.txt, Axios, read with
the publication date 2025-12-30) proposes every row of the brief's table
(BRIEF.md, "The example article") with the right window, and nothing dated
from a sentence that carries no time."""

from datetime import date

import pytest

from reading.articles.sentences import split
from reading.services import read_article
from reading.timex import tag
from timeline.models import Expectation, Item

from .reader_helpers import AXIOS_URL, NOW, PUBLISHED, article_text, local_dates, make_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading():
    ref = make_reference()
    result = read_article(text=article_text(), published=PUBLISHED, outlet=ref["axios"], url=AXIOS_URL,
                          title="Netanyahu discussed attacking Iran again in 2026", now=NOW)
    result.ref = ref
    return result


def find(reading, kind, words, *, expectation_type=None):
    """The one created proposal of `kind` whose quote holds `words`."""
    found = [e.item for e in reading.created if e.kind == kind and words in e.citation.quote
             and (expectation_type is None or e.item.expectation_type == expectation_type)]
    assert len(found) == 1, f"{kind} with {words!r}: {[i.title for i in found]}"
    return found[0]


D = date

# (kind, words of the sentence, expectation type, first day, day after the last, zone, approximate)
DATED_ROWS = [
    ("event", "12-day war with Iran in June", None, D(2025, 6, 1), D(2025, 7, 1), "UTC", False),
    ("event", "as recently as September", None, D(2025, 9, 1), D(2025, 10, 1), "UTC", False),
    ("event", "Just last week", None, D(2025, 12, 22), D(2025, 12, 29), "UTC", False),
    ("event", "during his meeting with President Trump on Monday", None, D(2025, 12, 29), D(2025, 12, 30), "UTC",
     False),
    ("event", "Pezeshkian said in response", None, D(2025, 12, 29), D(2025, 12, 31), "UTC", True),
    ("milestone", "expected to announce in January", None, D(2026, 1, 1), D(2026, 2, 1), "UTC", False),
    ("milestone", "in Davos on Jan. 23", None, D(2026, 1, 23), D(2026, 1, 24), "Europe/Zurich", False),
    ("expectation", "expected to announce in January", "forecast", D(2026, 1, 1), D(2026, 2, 1), "UTC", False),
    ("expectation", "in Davos on Jan. 23", "forecast", D(2026, 1, 23), D(2026, 1, 24), "Europe/Zurich", False),
    ("expectation", '"round two"', "conditional", D(2026, 1, 1), D(2027, 1, 1), "UTC", False),
]
UNDATED_ROWS = [
    ("expectation", "Hamas fails to honor the agreement", "conditional"),
    ("expectation", "the U.S. will destroy it again", "threat"),
    ("expectation", 'Iran would give a "harsh" response', "threat"),
]


@pytest.mark.parametrize("kind, words, exp_type, first, after, tz, approximate", DATED_ROWS,
                         ids=[f"{r[0]}:{r[1]}" for r in DATED_ROWS])
def test_each_dated_row_is_proposed_with_its_window(reading, kind, words, exp_type, first, after, tz, approximate):
    item = find(reading, kind, words, expectation_type=exp_type)
    assert item.editorial_state == Item.EditorialState.PROPOSED
    assert (item.when_tz, local_dates(item), item.when_approximate) == (tz, (first, after), approximate)
    assert item.when_as_of == PUBLISHED


@pytest.mark.parametrize("kind, words, exp_type", UNDATED_ROWS, ids=[r[1] for r in UNDATED_ROWS])
def test_each_undated_row_is_proposed_without_a_deadline(reading, kind, words, exp_type):
    item = find(reading, kind, words, expectation_type=exp_type)
    assert not item.when.is_dated
    assert item.condition


def test_the_table_and_nothing_else(reading):
    """Thirteen rows, thirteen proposals: the article's background sentences propose nothing."""
    assert len(reading.created) == 13
    assert not reading.cited and not reading.postponements
    kinds = sorted(e.kind for e in reading.created)
    assert kinds == ["event"] * 5 + ["expectation"] * 6 + ["milestone"] * 2


def test_nothing_dated_from_a_sentence_without_a_time(reading):
    text = article_text()
    timed = set()
    for sentence in split(text):
        if any(sentence.holds(t.start, t.end) and t.type in ("DATE", "TIME") for t in tag(text, PUBLISHED)):
            timed.add(sentence.index)
    for entry in reading.created:
        if entry.item.when.is_dated and entry.dated_by == "text":
            assert entry.sentence in timed, entry.item.title
    # The two dated by another rule say so: the reply, and the forecast in the lead's horizon.
    others = sorted((e.dated_by, e.citation.quote[:20]) for e in reading.created
                    if e.item.when.is_dated and e.dated_by != "text")
    assert others == [("lead", "The U.S. official sa"), ("reaction", "Iranian President Ma")]
    for quiet in ("Netanyahu also raised Hezbollah", "declined to comment", "Another war with Iran could",
                  "he'd prefer to strike"):
        assert not [e for e in reading.created if quiet in e.citation.quote]


def test_attributions_and_holders_as_reported(reading):
    meeting = find(reading, "event", "on Monday")
    assert meeting.citations.get().attribution == "a U.S. official and two additional U.S. sources"
    round_two = find(reading, "expectation", '"round two"')
    assert round_two.holder is None and round_two.holder_citation.attribution == "a U.S. official"
    assert round_two.title == ('Trump would likely back "round two" if the U.S. sees Iran taking real and verifiable '
                               'steps to reconstitute its nuclear program')
    hamas = find(reading, "expectation", "Hamas fails")
    # "the officials" stands for the two senior U.S. officials introduced just before.
    assert hamas.holder_citation.attribution == "two senior U.S. officials"
    assert find(reading, "expectation", "will destroy it again").holder.slug == "donald-trump"
    assert find(reading, "expectation", '"harsh" response').holder.slug == "masoud-pezeshkian"
    january = find(reading, "expectation", "expected to announce in January")
    assert january.holder is None and january.holder_citation is None
    assert january.holder_display == "the outlet's own reporting"


def test_expectations_are_tied_to_their_milestones_and_conditions(reading):
    davos = find(reading, "milestone", "Davos")
    forecast = find(reading, "expectation", "Davos")
    assert forecast.about_milestone_id == davos.pk
    assert forecast.target_kind == Expectation.TargetKind.ON
    assert davos.place == "Davos"
    assert find(reading, "expectation", "in January").about_milestone.title.startswith("Trump to announce")
    hamas = find(reading, "expectation", "Hamas fails")
    assert hamas.status == Item.Status.DORMANT
    assert hamas.condition == "Hamas fails to honor the agreement and does not start disarming"
    assert hamas.title.startswith("Donald Trump will allow Israel")


def test_actors_are_the_known_ones_named(reading):
    slugs = sorted(a.slug for a in find(reading, "event", "Just last week").actors.all())
    # "Iran's Revolutionary Guards" is the IRGC's alias; "Trump administration" names Trump.
    assert slugs == ["donald-trump", "irgc"]
    assert sorted(a.slug for a in find(reading, "event", "as recently as September").actors.all()) == [
        "abbas-araghchi", "steve-witkoff", "united-states"]


def test_each_proposal_cites_the_source_with_its_sentence(reading):
    for entry in reading.created:
        citation = entry.item.citations.get()
        assert citation.source.url == AXIOS_URL and citation.source.outlet.slug == "axios"
        assert citation.quote in article_text()
