"""The temporal tagger on short sentences: what it finds (the exact words,
TimeML's extents: no preposition, the determiner kept) and the TIMEX3 type
and value it gives, read against the document's date and the tense around
the words. The seed article's rows (BRIEF.md, "The example article") are the
first table. No database is needed.
"""

from datetime import date, datetime, timezone

import pytest
from django.conf import settings

from reading.timex import Timex, tag
from timeline.whenparse import parse_when

SEED = date(2025, 12, 30)  # the seed article's publication date, a Tuesday
FRI_1998 = date(1998, 2, 13)  # a Friday
ARTICLE = settings.BASE_DIR.parent / "shared" / "examples" / "seed-article.txt"


def row(sentence, words, type_, value, *, dct=SEED, mod="", id=None):
    return pytest.param(sentence, dct, words, type_, value, mod, id=id or f"{words}|{value}")


ROWS = [
    # The seed article's dated rows (BRIEF.md).
    row("Trump and Netanyahu both saw the 12-day war with Iran in June as a tremendous success.", "June", "DATE",
        "2025-06"),
    row("Araghchi and Witkoff discussed a potential nuclear deal as recently as September.", "September", "DATE",
        "2025-09"),
    row("Just last week, Israeli officials warned the Trump administration.", "last week", "DATE", "2025-W52"),
    row("Netanyahu discussed it during his meeting with President Trump on Monday.", "Monday", "DATE", "2025-12-29"),
    row("Trump is expected to announce in January the transition to phase two.", "January", "DATE", "2026-01"),
    row("The first meeting is expected to take place during the World Economic Forum in Davos on Jan. 23.",
        "Jan. 23", "DATE", "2026-01-23"),
    row("Netanyahu discussed the possibility of attacking Iran again in 2026.", "2026", "DATE", "2026"),
    row("the status of Iran's nuclear program six months on", "six months", "DURATION", "P6M"),
    # Tense decides a bare name.
    row("The board met Friday to approve the plan.", "Friday", "DATE", "1998-02-06", dct=date(1998, 2, 12)),
    row("The board will meet Friday to approve the plan.", "Friday", "DATE", "1998-02-13", dct=date(1998, 2, 12)),
    row("The company said it would report results in March.", "March", "DATE", "1998-03", dct=FRI_1998),
    row("Sales fell in March.", "March", "DATE", "1998-03", dct=date(1998, 6, 13)),
    # ... unless that reading lies far away and the other way much nearer.
    row("The dividend was declared payable to stock of record Nov. 13.", "Nov. 13", "DATE", "1989-11-13",
        dct=date(1989, 11, 2)),
    row("It said it expects to post a third-quarter loss.", "third-quarter", "DATE", "1989-Q3",
        dct=date(1989, 11, 2)),
    row("In June, the two countries fought a 12-day war.", "June", "DATE", "2025-06", id="half a year back stays past"),
    # The quarter an earnings report is about anchors "a year ago" and "the quarter".
    row("Profit rose in the third quarter. Net rose to $108.8 million from $90.5 million a year ago.",
        "a year ago", "DATE", "1988-Q3", dct=date(1989, 11, 2)),
    row("It had a loss of $5.5 million for the quarter.", "the quarter", "DATE", "1989-Q3", dct=date(1989, 11, 2),
        id="the quarter with none named: the last one ended"),
    row("Extended until 9 a.m. Tuesday.", "9 a.m. Tuesday", "TIME", "2000-04-04T09:00", dct=date(2000, 4, 3),
        id="a deadline ahead"),
    row("The party hopes to win seats this September.", "this September", "DATE", "1998-09", dct=date(1998, 2, 5)),
    row("The attack came last Oct. 23.", "Oct. 23", "DATE", "1998-10-23", dct=date(1999, 4, 19)),
    row("Nestle's share before Friday's purchases was 7%.", "Friday", "DATE", "1989-10-27", dct=date(1989, 10, 30),
        id="a weekday's: named by what happened on it"),
    # Days.
    row("He arrived yesterday.", "yesterday", "DATE", "1998-02-12", dct=FRI_1998),
    row("The vote is today.", "today", "DATE", "1998-02-13", dct=FRI_1998),
    row("The talks resume tomorrow.", "tomorrow", "DATE", "1998-02-14", dct=FRI_1998),
    row("The plant closed on Oct. 23, 1989.", "Oct. 23, 1989", "DATE", "1989-10-23", dct=FRI_1998),
    row("The deal was signed on Friday, Oct. 23.", "Friday, Oct. 23", "DATE", "1997-10-23", dct=FRI_1998,
        id="a wrong weekday: the date wins"),
    row("It was announced 23 January 2026.", "23 January 2026", "DATE", "2026-01-23"),
    row("Thanksgiving Day was quiet.", "Thanksgiving Day", "DATE", "1997-11-27", dct=FRI_1998),
    row("Crowds gathered for Easter.", "Easter", "DATE", "2000-04-23", dct=date(2000, 4, 17),
        id="a holiday six days ahead, not a year back"),
    # Times and parts of the day.
    row("The market opened at 10:35 a.m. Tuesday.", "10:35 a.m. Tuesday", "TIME", "1998-02-10T10:35", dct=FRI_1998),
    row("Shots were heard Wednesday night.", "Wednesday night", "DATE", "1998-02-11", dct=FRI_1998,
        id="a weekday and a part of it: the day, as TimeBank mostly tags it"),
    row("Trading closes at 5 p.m. EST Nov. 9.", "5 p.m. EST Nov. 9", "TIME", "1989-11-09T17:00", dct=date(1989, 11, 2),
        id="the clock as written"),
    row("The talks took a minute and a half.", "a minute and a half", "DURATION", "PT1M30S", dct=FRI_1998),
    row("It takes a couple of years.", "a couple of years", "DURATION", "P2Y", dct=FRI_1998),
    row("Net income in the year ended March 31 rose.", "the year", "DURATION", "P1Y", dct=FRI_1998),
    row("The offer had been due to expire Friday evening.", "Friday evening", "DATE", "1989-10-27",
        dct=date(1989, 10, 30), id="a future now past"),
    row("He spoke this morning.", "this morning", "TIME", "1998-02-13TMO", dct=FRI_1998),
    # Weeks, months, quarters, years.
    row("Prices rose last month.", "last month", "DATE", "1998-01", dct=FRI_1998),
    row("Profit rose in the third quarter.", "the third quarter", "DATE", "1997-Q3", dct=FRI_1998),
    row("Third-quarter profit rose.", "Third-quarter", "DATE", "1997-Q3", dct=FRI_1998),
    row("Sales in the fourth quarter of 1996 fell.", "the fourth quarter of 1996", "DATE", "1996-Q4",
        dct=FRI_1998),
    row("Earnings fell in the latest quarter.", "the latest quarter", "DATE", "1997-Q4", dct=FRI_1998),
    row("Growth slowed this year.", "this year", "DATE", "1998", dct=FRI_1998),
    row("It is due early next year.", "early next year", "DATE", "1999", dct=FRI_1998, mod="START"),
    row("The law passed in 1990.", "1990", "DATE", "1990", dct=FRI_1998),
    row("Results for fiscal 1997 were weak.", "fiscal 1997", "DATE", "1997", dct=FRI_1998),
    row("It was popular in the 1980s.", "the 1980s", "DATE", "198", dct=FRI_1998),
    row("It happened two years ago.", "two years ago", "DATE", "1996", dct=FRI_1998),
    row("The town was founded 1000 years ago.", "1000 years ago", "DATE", "0998", dct=FRI_1998,
        id="a year of three digits is written with four"),
    row("The plant will reopen two years later.", "two years later", "DATE", "2000", dct=FRI_1998),
    row("He left six weeks ago.", "six weeks ago", "DATE", "1998-W01", dct=FRI_1998),
    row("It rained last fall.", "last fall", "DATE", "1997-FA", dct=FRI_1998),
    row("The law passed in nineteen ninety-six.", "nineteen ninety-six", "DATE", "1996", dct=FRI_1998),
    row("By the year two thousand, it will be done.", "the year two thousand", "DATE", "2000", dct=FRI_1998),
    row("It rained this past spring.", "this past spring", "DATE", "1998-SP", dct=date(1998, 7, 1)),
    row("It was the worst war of the 20th century.", "the 20th century", "DATE", "19", dct=FRI_1998),
    row("January nineteen ninety-seven. Atlanta again.", "January nineteen ninety-seven", "DATE", "1997-01",
        dct=FRI_1998),
    row("It was cold in the winter of nineteen ninety-four.", "the winter of nineteen ninety-four", "DATE",
        "1994-WI", dct=FRI_1998),
    row("Hearings are set for the week of March 6.", "the week of March 6", "DATE", "2000-W10",
        dct=date(2000, 2, 24)),
    row("Sales in the current fiscal year will rise.", "the current fiscal year", "DATE", "1989",
        dct=date(1989, 11, 2)),
    # Counted from the last date named.
    row("The plant opened on May 3, 1990. Later that year it closed.", "Later that year", "DATE", "1990", dct=FRI_1998),
    row("He was arrested on Oct. 23, 1989. He appeared in court the next morning.", "the next morning", "DATE",
        "1989-10-24", dct=FRI_1998),
    row("Sales fell in March 1997. The following month they rose.", "The following month", "DATE", "1997-04",
        dct=FRI_1998),
    # References.
    row("Rates will stay low in the near term.", "the near term", "DATE", "FUTURE_REF", dct=FRI_1998),
    row("It closed a few years ago.", "a few years ago", "DATE", "PAST_REF", dct=FRI_1998),
    row("The company is now profitable.", "now", "DATE", "PRESENT_REF", dct=FRI_1998),
    row("Prices have risen recently.", "recently", "DATE", "PAST_REF", dct=FRI_1998),
    row("They will decide in the future.", "the future", "DATE", "FUTURE_REF", dct=FRI_1998),
    # Durations and sets.
    row("The strike lasted two weeks.", "two weeks", "DURATION", "P2W", dct=FRI_1998),
    row("Sales rose over the past two months.", "the past two months", "DURATION", "P2M", dct=FRI_1998),
    row("It signed a 10-year lease.", "10-year", "DURATION", "P10Y", dct=FRI_1998),
    row("The talks took five hours.", "five hours", "DURATION", "PT5H", dct=FRI_1998),
    row("Profit in the first nine months rose.", "the first nine months", "DURATION", "P9M", dct=FRI_1998),
    row("He has worked there for years.", "years", "DURATION", "PXY", dct=FRI_1998),
    row("The paper is published daily.", "daily", "SET", "P1D", dct=FRI_1998),
    row("They meet every week.", "every week", "SET", "P1W", dct=FRI_1998),
    row("Two flights leave on Tuesday nights.", "Tuesday nights", "SET", "XXXX-WXX-2TNI", dct=FRI_1998),
    row("The shop is closed on Sundays.", "Sundays", "SET", "XXXX-WXX-7", dct=FRI_1998),
    row("They train twice a week.", "a week", "SET", "P1W", dct=FRI_1998),
    row("The party will finish its work this summer.", "this summer", "DATE", "1998-SU", dct=FRI_1998),
]


@pytest.mark.parametrize("sentence, dct, words, type_, value, mod", ROWS)
def test_tags(sentence, dct, words, type_, value, mod):
    found = {t.text: t for t in tag(sentence, dct)}
    assert words in found, f"{words!r} not found in {sorted(found)}"
    timex = found[words]
    assert (timex.type, timex.value, timex.mod) == (type_, value, mod)
    assert sentence[timex.start:timex.end] == words


@pytest.mark.parametrize("sentence", [
    "Netanyahu also raised Hezbollah's efforts to rebuild its arsenal of long-range missiles in Lebanon.",
    "The Israeli Prime Minister's Office declined to comment.",
    "He may decide to march on the capital.",
    "The company sold 1,990 shares for $1998.",
    "A 40-year-old man was arrested.",
    "The preferred stock would have a dividend rate of $1.76 a year.",
    "He won about three-quarters of the vote.",
    "That year was good.",  # no date named before it: nothing to count from
    "The company pays a quarterly dividend and will report soon.",
])
def test_no_time_no_tag(sentence):
    assert tag(sentence, FRI_1998) == []


def test_the_when_is_the_when_parsers():
    """The tagger's window for a phrase is the one the When parser gives."""
    [timex] = tag("Trump is expected to announce in January the transition.", SEED, zone="Europe/Zurich")
    assert timex.when == parse_when("January", as_of=SEED, tz="Europe/Zurich", kind="milestone")
    assert timex.when.tz == "Europe/Zurich"
    assert timex.tense == "future"


def test_durations_and_references_have_no_window():
    found = tag("The strike lasted two weeks and is now over.", FRI_1998)
    assert [(t.value, t.when) for t in found] == [("P2W", None), ("PRESENT_REF", None)]


def test_an_aware_dct_is_seen_in_the_zone():
    # 23:30 UTC on 12 February is already 13 February in Zurich.
    dct = datetime(1998, 2, 12, 23, 30, tzinfo=timezone.utc)
    assert tag("The vote is today.", dct, zone="Europe/Zurich")[0].value == "1998-02-13"
    assert tag("The vote is today.", dct)[0].value == "1998-02-12"


def test_the_seed_article():
    """Every dated row of the brief's table is found in the article with its window."""
    text = ARTICLE.read_text()
    found = [(t.text, t.value) for t in tag(text, SEED)]
    for expected in [("June", "2025-06"), ("September", "2025-09"), ("last week", "2025-W52"),
                     ("Monday", "2025-12-29"), ("January", "2026-01"), ("Jan. 23", "2026-01-23"),
                     ("2026", "2026")]:
        assert expected in found
    assert all(isinstance(t, Timex) for t in tag(text, SEED))


def test_a_timex_is_frozen():
    timex = tag("He arrived yesterday.", FRI_1998)[0]
    with pytest.raises(AttributeError):
        timex.value = "1998-02-11"


ODD = ("Christmas in 9999, Easter, 2 years ago, 9998 years later, the 1 1/2 hours, 99:99, 13 p.m., Feb. 29, "
       "Feb. 30, 0 days, 00:00 Monday, midnight tomorrow, the 21st century, the '00s, 5 1/2 days, a year and a "
       "half, 1,000 years, 3.5 hours, next Friday, the third quarter of 9999, Q4, last year, in 90 days, "
       "1000 years ago, 99999999 days later, 99999999 weeks ago, 6000 years ago.")


@pytest.mark.parametrize("dct", [date(3, 1, 1), date(9997, 12, 31), date(2024, 2, 29)])
def test_odd_text_and_dates_at_the_calendars_ends_do_not_break_it(dct):
    for text in (ODD, ARTICLE.read_text(), "", "   ", "1998", "Friday"):
        for timex in tag(text, dct):
            assert text[timex.start:timex.end] == timex.text


def test_a_document_date_outside_the_calendar_is_refused():
    with pytest.raises(ValueError, match="out of range"):
        tag("Friday", date(9999, 12, 31))
    with pytest.raises(TypeError):
        tag("Friday", "1998-02-13")


def test_as_dict_for_json():
    import json

    [timex] = tag("The first meeting is on Jan. 23.", SEED, zone="Europe/Zurich")
    data = json.loads(json.dumps(timex.as_dict()))
    assert data["value"] == "2026-01-23" and data["type"] == "DATE" and (data["start"], data["end"]) == (24, 31)
    assert data["when"]["edtf"] == "2026-01-23" and data["when"]["tz"] == "Europe/Zurich"
    assert tag("It took two weeks.", SEED)[0].as_dict()["when"] is None


def test_every_finding_rule_has_a_normaliser():
    from reading.timex.find import RULES
    from reading.timex.normalise import NORMALISERS

    assert sorted(name for name, _ in RULES) == sorted(NORMALISERS)


def test_the_preposition_is_kept_beside_the_words():
    text = ("Araghchi and Witkoff met as recently as September. Trump is expected to announce in January "
            "a plan due by Jan. 23, within 90 days of talks last week.")
    found = {t.text: t for t in tag(text, SEED)}
    assert found["September"].lead == "as recently as"
    assert found["January"].phrase == "in January"
    assert found["Jan. 23"].lead == "by"
    assert found["90 days"].lead == "within"
    assert found["last week"].lead == "" and found["last week"].phrase == "last week"
    # The phrase reads back through the When parser to the same window.
    reread = parse_when(found["January"].phrase, as_of=SEED, kind="milestone")
    window = found["January"].when
    assert (reread.start, reread.end, reread.precision) == (window.start, window.end, window.precision)
