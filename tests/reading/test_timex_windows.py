"""The tagger tries a rule with an anchor only around its anchors
(reading/timex/find.py, WINDOWS): its matches must be those of the plain
scan of the whole text, the same spans with the same groups, on the TempEval
texts (read from ../shared), the fixtures, and expressions written to lie as
far from their anchor as each rule allows."""

from django.conf import settings

from reading.timex import timeml
from reading.timex.find import _CASE_TRAPS, COMPILED, WINDOWS, candidates, matches

ROOT = settings.BASE_DIR
SHARED = settings.BASE_DIR.parent / "shared"

# The longest words each windowed rule can hold before and after its anchor.
FAR_FROM_THE_ANCHOR = [
    "It ends the beginning of September. Since January, and in May, or till Sept. it ran; this coming December.",
    "On WEDNESDAY, the 31st of DECEMBER, 1998 afternoon, and Friday, Oct. 23, 1998, then early-September, of 1998.",
    "They meet this coming Thursday afternoon, this past SUNDAY, and on Tues. and Mondays and Tuesday nights.",
    "Results for next year's corresponding year-earlier third-fiscal quarter, of calendar this year, and 1998's "
    "comparable first half, the same period, the quarter.",
    "For the remainder of the previous early-fiscal year, the end of this past spring, the middle of the coming winter, "
    "in early-spring, of 1998 and the summer 2001.",
    "It rose more than a couple of centuries from now, about twenty-seven years ago, several weeks earlier.",
    "It fell over more than the preceding twenty-seven consecutive and-a-half-years, less than two and a half hours, "
    "a 16-hour-long wait, centuries, the past year, the year ended March 31.",
    "Wednesday, at 10:35 a.m. EST, on September 30th, then 9am, 9 A.M. today, noon tomorrow, 23:59, midnight.",
    "In the mid-1990s and the '90s, the late 1980s; in the winter of nineteen ninety-nine, the year two thousand and "
    "one, March nineteen eighty-four.",
    "İstanbul, JANUARY 5 — ÇAĞLAR said in İzmir that the İMKB fell in Ağustos, a week ago, on Monday at 3 p.m.",
]


def corpus() -> list[str]:
    texts = [p.read_text() for p in sorted((ROOT / "tests" / "follow" / "fixtures" / "pages").glob("*.txt"))]
    texts.append((SHARED / "examples" / "seed-article.txt").read_text())
    data = SHARED / "data" / "tempeval3-train"
    texts += [timeml.read(p).text for p in timeml.files(data / "TimeBank") + timeml.files(data / "AQUAINT")]
    return texts + FAR_FROM_THE_ANCHOR


def test_windowed_rules_find_what_the_plain_scan_finds():
    texts = corpus()
    assert len(texts) > 250
    windowed = {name for name, _ in COMPILED} & set(WINDOWS)
    assert len(windowed) == len(WINDOWS), "a window names no rule"
    found = 0
    for text in texts:
        lowered = text.lower() if len(text.lower()) == len(text) and not _CASE_TRAPS.search(text) else None
        for name, pattern in COMPILED:
            if name in windowed:
                plain = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
                assert [(m.span(), m.groupdict()) for m in matches(name, pattern, text, lowered=lowered)] == plain
                found += len(plain)
        assert _spans(candidates(text)) == _spans(candidates(text, windowed=False))
    assert found > 1000


def _spans(found):
    return [(c.start, c.end, c.rule, c.match.span(), c.match.groupdict()) for c in found]


def test_a_text_that_lower_case_does_not_keep_is_read_alike():
    for text, rules in [
        ("İİİ the past two years, more than a decade, in the third quarter of 1998.",
         ["duration", "duration", "quarter"]),
        # The long s is an s to a pattern in any case, not to lower().
        ("Two ſeconds, the paſt two years.", ["duration", "duration"]),
    ]:
        assert _spans(candidates(text)) == _spans(candidates(text, windowed=False))
        assert [c.rule for c in candidates(text)] == rules
