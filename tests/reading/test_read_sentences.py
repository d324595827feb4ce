"""The reader's rules on short sentences whose times are given by hand (the
shape the tagger returns, with no When of its own: the record's parser reads
the words for the kind of item). No database: the actors are unsaved rows."""

from datetime import date

import pytest

from reading.articles import read
from reading.articles.actors import ActorIndex
from reading.articles.attribution import attribution
from reading.articles.places import place_in
from reading.articles.sentences import split
from timeline.demo import ACTORS
from timeline.models import Actor

from .reader_helpers import given

PUBLISHED = date(2025, 12, 30)  # a Tuesday
INDEX = ActorIndex([Actor(pk=n, **spec) for n, spec in enumerate(ACTORS, start=1)])


def drafts(text, *phrases, published=PUBLISHED, tz="UTC"):
    return read(text, published=published, actors=INDEX, times=given(text, *phrases), tz=tz)


def one(text, *phrases, **kw):
    [draft] = drafts(text, *phrases, **kw)
    return draft


def window(draft):
    z = draft.when.zoneinfo
    return draft.when.start.astimezone(z).date().isoformat(), draft.when.end.astimezone(z).date().isoformat()


def test_a_past_verb_with_a_past_time_is_an_event():
    draft = one("Hamas released four hostages on Saturday.", "Saturday")
    assert (draft.kind, window(draft), draft.when.text) == ("event", ("2025-12-27", "2025-12-28"), "on Saturday")
    assert [a.slug for a in draft.actors] == ["hamas"]


def test_an_event_reads_a_bare_month_in_the_past_a_milestone_in_the_future():
    assert window(one("Iran and Israel fought a war in June.", "June")) == ("2025-06-01", "2025-07-01")
    milestone, forecast = drafts("The talks are expected to resume in June.", "June")
    assert (milestone.kind, window(milestone)) == ("milestone", ("2026-06-01", "2026-07-01"))
    assert (forecast.kind, forecast.about is milestone) == ("expectation", True)


def test_a_scheduled_happening_is_a_milestone_only():
    draft = one("The summit will take place in Geneva on March 3.", "March 3")
    assert (draft.kind, draft.place, draft.when.tz, window(draft)) == (
        "milestone", "Geneva", "Europe/Zurich", ("2026-03-03", "2026-03-04"))


@pytest.mark.parametrize("text, cue", [
    ("Iran is expected to resume enrichment.", "forecast"),
    ("Netanyahu plans to visit Washington.", "plan"),
    ("Trump promised to end the war.", "promise"),
    ("Hamas threatened to walk away from the deal.", "threat"),
    ("Iran will respond harshly to any attack, Pezeshkian said.", "threat"),
])
def test_claims_about_the_future_are_expectations(text, cue):
    draft = one(text)
    assert (draft.kind, draft.expectation_type, draft.when.is_dated) == ("expectation", cue, False)


def test_if_does_not_is_a_conditional_with_its_condition():
    draft = one("If Hamas does not disarm by March, Israel will resume the war, two Israeli officials said.")
    assert (draft.expectation_type, draft.condition, draft.attribution) == (
        "conditional", "Hamas does not disarm by March", "two Israeli officials")
    assert draft.title == "Israel will resume the war if Hamas does not disarm by March"


def test_would_likely_if_takes_the_leads_horizon():
    text = ("Israeli officials discussed a new strike on Iran in 2026 during a meeting with the Americans in Tel "
            "Aviv on Monday. A U.S. official said the U.S. would likely back it if Iran rebuilds its program.")
    event, forecast = drafts(text, "2026", "Monday")
    assert (event.kind, window(event), event.when.tz) == ("event", ("2025-12-29", "2025-12-30"), "Asia/Jerusalem")
    assert (forecast.expectation_type, forecast.dated_by, window(forecast)) == (
        "conditional", "lead", ("2026-01-01", "2027-01-01"))
    assert forecast.attribution == "a U.S. official"


def test_a_deadline_is_by_and_a_promise_without_a_time_has_none():
    text = "Trump promised to end the war by March. Trump said the U.S. will lift sanctions on Syria."
    dated, undated = drafts(text, "March")
    assert (dated.expectation_type, dated.target_kind, dated.when.text, window(dated)) == (
        "promise", "by", "by March", ("2025-12-30", "2026-04-01"))
    assert (undated.expectation_type, undated.holder.slug, undated.when.is_dated) == ("promise", "donald-trump", False)


def test_a_sentence_without_a_time_proposes_nothing_dated():
    for text in ("Netanyahu also raised Hezbollah's efforts to rebuild its arsenal.",
                 "The White House referred Axios to Trump's public statements.",
                 "Another war with Iran could further destabilize the region.",
                 "He also said he'd prefer to strike a nuclear deal with Tehran."):
        assert drafts(text) == [], text


def test_a_reply_without_a_time_is_dated_around_the_article():
    [threat, event] = drafts("Pezeshkian said in response to the threats that Iran would give a harsh response to "
                             "any acts of aggression.")
    assert (event.kind, event.dated_by, window(event), event.when.approximate) == (
        "event", "reaction", ("2025-12-29", "2025-12-31"), True)
    assert (threat.expectation_type, threat.condition, threat.holder.slug) == (
        "threat", "Any acts of aggression", "masoud-pezeshkian")


def test_durations_and_sets_date_nothing():
    text = "The 12-day war ended the talks."
    times = given(text, "12-day")
    times = [type(t)(t.start, t.end, t.text, type="DURATION", value="P12D") for t in times]
    assert read(text, published=PUBLISHED, actors=INDEX, times=times) == []


def test_the_taggers_tense_keeps_a_future_date_out_of_the_past():
    """'chaired by' is a past participle: the time inside the forecast is its future, never an event's."""
    text = "The first meeting, chaired by Trump, is expected to take place in Davos on Jan. 23."
    assert sorted(d.kind for d in drafts(text, "Jan. 23")) == ["expectation", "milestone"]


@pytest.mark.parametrize("text, expected", [
    ("Israel struck Gaza, according to two people familiar with the matter.", "two people"),
    ("\"We are ready,\" a senior Iranian official said.", "a senior Iranian official"),
    ("Two senior U.S. officials said the deal was close.", "two senior U.S. officials"),
    ("Trump said the deal was close.", ""),
    ("The deal was close.", ""),
])
def test_attribution_as_reported(text, expected):
    assert attribution(text) == expected


def test_a_definite_mention_is_its_first_mention():
    before = "A U.S. official said one thing. Two senior Israeli officials said another."
    assert attribution("The U.S. official said the talks failed.", before=before) == "a U.S. official"
    assert attribution("The talks failed, the officials said.", before=before) == "two senior Israeli officials"
    assert attribution("The talks failed, the diplomats said.", before=before) == "the diplomats"


def test_actors_by_names_and_aliases_as_written():
    names = [a.slug for a in INDEX.actors("Iran's Revolutionary Guards warned the U.S. while Bibi met us.")]
    assert names == ["irgc", "united-states", "benjamin-netanyahu"]  # not Iran twice, not "us"


def test_places_count_after_a_preposition():
    assert place_in("The Gaza Board of Peace meets in Davos.") == ("Davos", "Europe/Zurich")
    assert place_in("The Gaza Board of Peace meets soon.") is None


def test_labels_and_abbreviations_do_not_break_sentences():
    sentences = split("What's next: The U.S. envoy arrives on Jan. 23. He meets Netanyahu.")
    assert [(s.label, s.body) for s in sentences] == [
        ("What's next", "The U.S. envoy arrives on Jan. 23."), ("", "He meets Netanyahu.")]


@pytest.mark.parametrize("text, title", [
    ('"Our companies will concentrate on their core businesses," the chairman said Friday.',
     "Our companies will concentrate on their core businesses"),
    ("Hamas vowed to continue the fight, and said talks might resume.", "Hamas vowed to continue the fight"),
    ("No successor was named, and his duties will be split among three executives, the company said.",
     "His duties will be split among three executives"),
])
def test_the_claim_is_the_clause_that_holds_the_cue(text, title):
    assert one(text).title == title


def test_long_paragraphs_are_cut_and_keep_their_offsets():
    """A paragraph at a time; pasted text without line breaks is one long paragraph, cut where its full stops are."""
    text = "First paragraph. It has two sentences.\n\n" + "A long line of words. " * 400 + "\nLast one on Jan. 23."
    sentences = split(text)
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert [s.index for s in sentences] == list(range(len(sentences)))
    assert len(sentences) == 2 + 400 + 1
    assert sentences[-1].text == "Last one on Jan. 23."
