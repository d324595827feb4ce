"""EDTF in and out: when_from_edtf, to_edtf, and their round trip.

The last tests read TIMEX3 values annotated by hand in the TempEval-3 training
corpus (../shared/data/tempeval3-train, outside the repository; see its
ABOUT.md) and check the parser against the gold values. They are skipped when
the folder is absent.
"""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from timeline.exceptions import InvalidInput, WhenParseError
from timeline.when import When
from timeline.whenparse import parse_when, to_edtf, when_from_edtf

ZONES = ["UTC", "Europe/Zurich", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "America/Santiago"]


def midnight(value: str, tz: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(tz))


# ---------------------------------------------------------------------------
# when_from_edtf


@pytest.mark.parametrize(
    "edtf, start, end, precision, approx",
    [
        ("2026", "2026-01-01", "2027-01-01", "year", False),
        ("2026-01", "2026-01-01", "2026-02-01", "month", False),
        ("2026-01-23", "2026-01-23", "2026-01-24", "day", False),
        ("2026-01-01/2026-01-31", "2026-01-01", "2026-02-01", "range", False),
        ("2026-01/2026-03", "2026-01-01", "2026-04-01", "range", False),
        ("2026/2027", "2026-01-01", "2028-01-01", "range", False),
        ("2026-01-10/2026-02", "2026-01-10", "2026-03-01", "range", False),
        ("2025-12-29/2026-01-04", "2025-12-29", "2026-01-05", "week", False),
        ("2026~", "2026-01-01", "2027-01-01", "year", True),
        ("2026-01?", "2026-01-01", "2026-02-01", "month", True),
        ("2026-01-23%", "2026-01-23", "2026-01-24", "day", True),
        ("2026-01-10~/2026-01-20~", "2026-01-10", "2026-01-21", "range", True),
        ("2026-21", "2026-03-01", "2026-06-01", "season", False),
        ("2026-22", "2026-06-01", "2026-09-01", "season", False),
        ("2026-23", "2026-09-01", "2026-12-01", "season", False),
        ("2026-24", "2026-12-01", "2027-03-01", "season", False),
        ("2026-25", "2026-03-01", "2026-06-01", "season", False),
        ("2026-28", "2026-12-01", "2027-03-01", "season", False),
        ("2026-29", "2026-09-01", "2026-12-01", "season", False),  # southern spring
        ("2026-30", "2026-12-01", "2027-03-01", "season", False),  # southern summer
        ("2026-33", "2026-01-01", "2026-04-01", "quarter", False),
        ("2026-36", "2026-10-01", "2027-01-01", "quarter", False),
        ("2026-37", "2026-01-01", "2026-05-01", "range", False),
        ("2026-39", "2026-09-01", "2027-01-01", "range", False),
        ("2026-40", "2026-01-01", "2026-07-01", "half", False),
        ("2026-41", "2026-07-01", "2027-01-01", "half", False),
        ("202X", "2020-01-01", "2030-01-01", "range", False),
        ("20XX", "2000-01-01", "2100-01-01", "range", False),
        ("2026-XX", "2026-01-01", "2027-01-01", "year", False),
        ("2026-01-XX", "2026-01-01", "2026-02-01", "month", False),
        ("2028-02-29", "2028-02-29", "2028-03-01", "day", False),
    ],
)
@pytest.mark.parametrize("tz", ["Europe/Zurich", "America/New_York"])
def test_when_from_edtf(edtf, start, end, precision, approx, tz):
    when = when_from_edtf(edtf, tz=tz)
    assert (when.start, when.end) == (midnight(start, tz), midnight(end, tz))
    assert (when.precision, when.approximate, when.tz) == (precision, approx, tz)
    assert when.text == edtf


def test_edtf_date_times():
    when = when_from_edtf("2026-01-23T15:00:00+01:00", tz="America/New_York", text="at the meeting")
    assert when.precision == "time"
    assert when.start == datetime.fromisoformat("2026-01-23T14:00:00+00:00")
    assert when.end - when.start == timedelta(minutes=1)
    assert when.start.utcoffset() == timedelta(hours=-5)  # shown in the item's zone
    assert when.text == "at the meeting"
    assert when_from_edtf("2026-01-23T14:00:00Z", tz="UTC").start == when.start
    # A naive date-time is the item's local clock.
    naive = when_from_edtf("2026-01-23T15:00:00", tz="Europe/Zurich")
    assert naive.start.isoformat() == "2026-01-23T15:00:00+01:00"


def test_an_empty_edtf_is_undated():
    when = when_from_edtf("", tz="Europe/Zurich", text="no date given")
    assert when.precision == "undated" and when.text == "no date given"


def test_edtf_needs_a_zone():
    with pytest.raises(TypeError):
        when_from_edtf("2026")  # tz is a required keyword
    with pytest.raises(InvalidInput, match="Nowhere/Land"):
        when_from_edtf("2026", tz="Nowhere/Land")


@pytest.mark.parametrize(
    "edtf",
    [
        "2026-13", "2026-00", "2026-02-30", "2026-02-29", "2026-01-32", "2026-42", "2026-20",
        "2026-01-01/..", "../2026", "2026-01-01/", "/2026", "2026-02/2026-01", "Y170000", "-0100",
        "[2026, 2027]", "{2026,2027}", "2026-21-01", "20X6", "2026-X1", "XXXX", "0000", "blah",
        "2026-01-23T25:00:00",
    ],
)
def test_bad_edtf_raises_naming_it(edtf):
    with pytest.raises(WhenParseError) as excinfo:
        when_from_edtf(edtf, tz="UTC")
    assert excinfo.value.phrase == edtf
    assert repr(edtf) in str(excinfo.value)


# ---------------------------------------------------------------------------
# to_edtf


@pytest.mark.parametrize(
    "phrase, edtf",
    [
        ("on Jan. 23", "2026-01-23"),
        ("in January", "2026-01"),
        ("2026", "2026"),
        ("spring 2026", "2026-21"),
        ("winter 2026", "2026-24"),
        ("Q3 2026", "2026-35"),
        ("H2 2026", "2026-41"),
        ("next week", "2026-01-05/2026-01-11"),
        ("early 2026", "2026-01/2026-04"),
        ("late January", "2026-01-21/2026-01-31"),
        ("between Jan. 10 and Jan. 20", "2026-01-10/2026-01-20"),
        ("2026-2028", "2026/2028"),
        ("by the end of the year", "2025-12-30/2025-12-31"),
        ("~2026", "2026~"),
        ("around early 2026", "2026-01~/2026-04~"),
        ("2026-01?", "2026-01~"),
        ("Jan. 23 at 3 p.m.", "2026-01-23T15:00:00+01:00"),
        ("around Jan. 23 at 3 p.m.", "2026-01-23T15:00:00+01:00"),  # EDTF has no qualifier on a date-time
        ("undated", ""),
    ],
)
def test_to_edtf(phrase, edtf):
    when = parse_when(phrase, as_of=date(2025, 12, 30), tz="Europe/Zurich")
    assert to_edtf(when) == edtf
    assert when.edtf == edtf


def test_a_window_that_is_not_whole_days_has_no_edtf():
    z = ZoneInfo("UTC")
    start, end = datetime(2026, 1, 1, 6, tzinfo=z), datetime(2026, 1, 2, 6, tzinfo=z)
    odd = When(text="x", start=start, end=end, precision="day")
    assert to_edtf(odd) == ""


def test_a_precision_whose_window_does_not_fit_is_written_as_an_interval():
    # "by March 2026" keeps the month precision but its window starts on as_of.
    when = parse_when("by March 2026", as_of=date(2025, 12, 30), tz="UTC")
    assert when.precision == "month"
    assert to_edtf(when) == "2025-12-30/2026-03-31"


# ---------------------------------------------------------------------------
# Round trips: when_from_edtf(to_edtf(w)) is w's window, for every precision
# but time and undated.


def many_whens():
    """Whens of every precision, in zones with and without clock changes,
    including a zone (Santiago) where some midnights do not exist."""
    for tz in ZONES:
        for year in (2024, 2025, 2026, 2027, 2028):
            yield parse_when(str(year), as_of=date(2025, 12, 30), tz=tz)
            for month in range(1, 13):
                yield parse_when(f"{year}-{month:02d}", as_of=date(2025, 12, 30), tz=tz)
            for q in range(1, 5):
                yield parse_when(f"Q{q} {year}", as_of=date(2025, 12, 30), tz=tz)
            for season in ("spring", "summer", "autumn", "winter"):
                yield parse_when(f"{season} {year}", as_of=date(2025, 12, 30), tz=tz)
            for half in ("first", "second"):
                yield parse_when(f"the {half} half of {year}", as_of=date(2025, 12, 30), tz=tz)
            for part in ("early", "mid", "late"):
                yield parse_when(f"{part} {year}", as_of=date(2025, 12, 30), tz=tz)
                yield parse_when(f"~{part} February {year}", as_of=date(2025, 12, 30), tz=tz)
        day = date(2026, 1, 1)
        while day < date(2027, 1, 1):
            yield parse_when(day.isoformat(), as_of=date(2025, 12, 30), tz=tz)
            day += timedelta(days=3)
        for week in range(1, 54):
            yield parse_when(f"2026-W{week:02d}", as_of=date(2025, 12, 30), tz=tz)
        for as_of in (date(2025, 12, 30), date(2026, 3, 29), date(2026, 9, 6), date(2026, 10, 25)):
            for phrase in (
                "by the end of the year", "by March 2027", "within 90 days", "within six months",
                "between Jan. 10 and Jan. 20", "from March to May 2027", "this week", "next month",
                "late December to early January", "around next week",
            ):
                yield parse_when(phrase, as_of=as_of, tz=tz)


ROUND_TRIP = list(many_whens())


def test_round_trips_cover_every_precision():
    assert len(ROUND_TRIP) > 2000
    assert {w.precision for w in ROUND_TRIP} == {"day", "week", "month", "season", "quarter", "half", "year", "range"}


@pytest.mark.parametrize("tz", ZONES)
def test_edtf_round_trip_keeps_the_window(tz):
    checked = 0
    for when in ROUND_TRIP:
        if when.tz != tz:
            continue
        again = when_from_edtf(to_edtf(when), tz=when.tz)
        assert (again.start, again.end) == (when.start, when.end), when
        assert again.approximate == when.approximate, when
        if when.precision != "range" and again.precision != when.precision:
            # Only a window that does not fit its precision (a "by" deadline) becomes a range.
            assert again.precision == "range" and "/" in when.edtf, when
        checked += 1
    assert checked > 300


def test_time_round_trips_too_when_it_can():
    when = parse_when("Jan. 23 at 3 p.m.", as_of=date(2025, 12, 30), tz="Europe/Zurich")
    again = when_from_edtf(when.edtf, tz="Europe/Zurich")
    assert (again.start, again.end, again.precision) == (when.start, when.end, "time")


# ---------------------------------------------------------------------------
# TempEval-3 gold values (hand-annotated TIMEX3, 1989-2000 news).

TEMPEVAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "tempeval3-train"
needs_tempeval = pytest.mark.skipif(
    not TEMPEVAL.is_dir(), reason=f"TempEval-3 training data not found at {TEMPEVAL} (it lives outside the repository)"
)


def date_timexes():
    """(file, creation date, text, value, mod) of every DATE timex."""
    for path in sorted(TEMPEVAL.rglob("*.tml")):
        root = ET.parse(path).getroot()
        created = date.fromisoformat(root.find("DCT/TIMEX3").get("value")[:10])
        for timex in root.find("TEXT").iter("TIMEX3"):
            if timex.get("type") == "DATE":
                text = " ".join("".join(timex.itertext()).split())
                yield path.name, created, text, timex.get("value"), timex.get("mod")


def gold_window(value: str):
    """The window a TIMEX3 value names, computed here independently of the
    parser (seasons by this project's convention), as UTC dates."""
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", value):
        start = date(*map(int, m.groups()))
        return start, start + timedelta(days=1)
    if m := re.fullmatch(r"(\d{4})-(\d\d)", value):
        year, month = map(int, m.groups())
        return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)
    if m := re.fullmatch(r"(\d{4})", value):
        return date(int(value), 1, 1), date(int(value) + 1, 1, 1)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        year, q = map(int, m.groups())
        return date(year, 3 * q - 2, 1), (date(year, 3 * q + 1, 1) if q < 4 else date(year + 1, 1, 1))
    if m := re.fullmatch(r"(\d{4})-H([12])", value):
        year, h = map(int, m.groups())
        return (date(year, 1, 1), date(year, 7, 1)) if h == 1 else (date(year, 7, 1), date(year + 1, 1, 1))
    if m := re.fullmatch(r"(\d{4})-W(\d\d?)", value):
        monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        return monday, monday + timedelta(days=7)
    if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
        year, first = int(m.group(1)), {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[m.group(2)]
        end = date(year, first + 3, 1) if first < 12 else date(year + 1, 3, 1)
        return date(year, first, 1), end
    return None


def utc_dates(when):
    return when.start.date(), when.end.date()


@needs_tempeval
def test_tempeval_gold_values_read_as_their_windows():
    checked = set()
    for _name, created, _text, value, _mod in date_timexes():
        expected = gold_window(value)
        if expected is None:
            continue  # PRESENT_REF, 1998-XX, 1998-08-07TEV...: not plain value forms
        when = parse_when(value, as_of=created, tz="UTC")
        assert utc_dates(when) == expected, value
        if re.fullmatch(r"\d{4}(-\d\d){0,2}", value):
            assert utc_dates(when_from_edtf(value, tz="UTC")) == expected, value
        checked.add(re.sub(r"\d", "9", value))
    # Every form the brief names occurs in the corpus and was checked.
    assert {"9999-99-99", "9999-99", "9999", "9999-Q9", "9999-W99", "9999-SU"} <= checked


# Where the gold itself is wrong, checked by reading the sentence.
TEMPEVAL_ANNOTATION_ERRORS = {
    ("wsj_0124.tml", "Sept. 27, 1989"),  # annotated 1989-11-27
    ("wsj_0127.tml", "1988"),  # annotated 1998
    ("NYT19981025.0216.tml", "1992"),  # annotated as two full dates in 1992
}


@needs_tempeval
def test_tempeval_texts_that_carry_their_year_read_as_annotated():
    """Free text that names its year ("Oct. 26, 1998", "August 1990", "1997")
    needs no tense to resolve, so the parser must agree with the annotators."""
    agreed, refused = 0, []
    for name, created, text, value, mod in date_timexes():
        if mod or not re.search(r"\b\d{4}\b", text) or not re.fullmatch(r"\d{4}(-\d\d){0,2}", value):
            continue
        if (name, text) in TEMPEVAL_ANNOTATION_ERRORS:
            continue
        try:
            when = parse_when(text, as_of=created, tz="UTC", kind="event")
        except WhenParseError:
            refused.append(text)  # e.g. "fiscal 1989": a fiscal year is not a calendar year
            continue
        assert utc_dates(when) == gold_window(value), (name, text, value)
        agreed += 1
    assert agreed >= 100
    assert len(refused) <= agreed // 10, refused
