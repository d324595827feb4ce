"""The When parser's throughput (timeline.whenparse.parse_when): phrases read
per second, over the phrases of the seed article and the forms newsrooms
write. No database. The floor is far below what one core does (about 18,000
a second when this was written): it only catches a parser that has become
pathological (a regex that backtracks, a zone loaded per call), not noise.
"""

import time
from datetime import date

from timeline.whenparse import parse_when

from .support import record

AS_OF = date(2025, 12, 30)
PHRASES = [
    # (phrase, kind, zone)
    ("in June", "event", "UTC"),
    ("as recently as September", "event", "UTC"),
    ("just last week", "event", "UTC"),
    ("on Monday", "event", "UTC"),
    ("in January", "milestone", "UTC"),
    ("on Jan. 23", "milestone", "Europe/Zurich"),
    ("early 2026", "expectation", "UTC"),
    ("by the end of the year", "expectation", "America/New_York"),
    ("between Jan. 10 and Jan. 20", "milestone", "UTC"),
    ("mid-January", "milestone", "Europe/Zurich"),
    ("next week", "milestone", "UTC"),
    ("the week of Jan. 7", "milestone", "UTC"),
    ("January 23, 2026", "milestone", "Asia/Tehran"),
    ("late 2026", "expectation", "UTC"),
    ("2026-01", "milestone", "UTC"),
    ("2026-01-23", "milestone", "Europe/Zurich"),
    ("2026~", "expectation", "UTC"),
    ("2026-21", "expectation", "UTC"),
]
MIN_PHRASES_PER_SECOND = 1_000
SECONDS = 1.5


def test_when_parser_throughput():
    for phrase, kind, tz in PHRASES:  # every phrase reads, so no error path is timed
        parse_when(phrase, as_of=AS_OF, tz=tz, kind=kind)
    parsed = 0
    started = time.perf_counter()
    while time.perf_counter() - started < SECONDS:
        for phrase, kind, tz in PHRASES:
            parse_when(phrase, as_of=AS_OF, tz=tz, kind=kind)
        parsed += len(PHRASES)
    rate = parsed / (time.perf_counter() - started)
    record(f"When parser | {len(PHRASES)} phrases, {parsed:,} reads in {SECONDS} s | {rate:,.0f} phrases/s "
           f"(floor {MIN_PHRASES_PER_SECOND:,})")
    assert rate >= MIN_PHRASES_PER_SECOND, f"parse_when read {rate:,.0f} phrases a second"
