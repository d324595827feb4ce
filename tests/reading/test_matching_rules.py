"""The pieces matching decides with: content words, similarity, ordinals and
windows across zones. No database."""

from datetime import date

from reading.matching import content_words, ordinals, similarity, windows_overlap

from tests.builders import day_when
from timeline.whenparse import parse_when


def month(text, tz):
    return parse_when(text, as_of=date(2026, 1, 2), tz=tz, kind="milestone")


def test_content_words_drop_stop_cue_and_date_words_and_stem():
    assert content_words("Trump is expected to announce the meetings in January, officials said.") == {
        "trump", "announce", "meet"}


def test_a_short_quote_counts_as_its_sentence():
    sentence = content_words("Netanyahu discussed the possibility of attacking Iran again in 2026 during his meeting")
    quote = content_words("discussed the possibility of attacking Iran again")
    assert similarity(sentence, quote) == 0.8
    # Three words are too few to count as contained.
    assert similarity(sentence, content_words("Iran meeting talks")) < 0.5


def test_ordinals_tell_meetings_apart():
    assert ordinals("The second meeting of the board") == {"second"}
    assert ordinals("The board meets") == set()


def test_windows_in_different_zones():
    assert windows_overlap(month("in February", "UTC"), month("in January", "America/New_York")) is False
    assert windows_overlap(day_when(date(2026, 1, 23), tz="Europe/Zurich"), day_when(date(2026, 1, 23))) is True
    assert windows_overlap(day_when(date(2026, 1, 22)), day_when(date(2026, 1, 23), tz="Europe/Zurich")) is False
    assert windows_overlap(month("in January", "UTC"), day_when(date(2026, 1, 23), tz="Europe/Zurich")) is True
    assert windows_overlap(month("in January", "UTC"), parse_when("undated", as_of=date(2026, 1, 2))) is None
