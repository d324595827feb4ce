"""Reading date phrases ("in January", "on Jan. 23", "early 2026") into a When.

Public names (import them from here, not from the modules):

- parse_when(text, *, as_of, tz="UTC", kind="milestone") -> When
- when_from_edtf(edtf, *, tz, text="") -> When
- to_edtf(when) -> str
- display(when, *, reader_tz=None) -> str (it lives beside the When type, in
  timeline/when.py, and is re-exported here for older imports)
- KINDS, the item kinds a phrase may be read for

The modules, each by what it does: spans.py (calendar arithmetic), names.py
(names without a year, resolved by as_of and the kind), vocabulary.py (the
words), grammar.py (the rules of a single period, in one documented order),
ranges.py, times.py, phrases.py (the phrase level and parse_when), edtf.py
(EDTF in and out, and its conventions), refusals.py (why a phrase is
refused), errors.py, instants.py. The rules' conventions are below, in one
place; EDTF's are in edtf.py.

The parser is a small grammar of regular expressions (no dateutil: its fuzzy
mode invents a day). It never guesses: a phrase it cannot read, or one that is
ambiguous, raises WhenParseError naming the phrase; an unknown zone or kind is
InvalidInput.

Windows are half-open [start, end) of aware datetimes in the item's zone. A
day-or-coarser window runs from local midnight to local midnight, so "on Jan.
23" in Europe/Zurich is 2026-01-23T00:00+01:00 to 2026-01-24T00:00+01:00, and
a day on which the clocks change lasts 23 or 25 hours. (Python subtracts two
datetimes of the same zone by their wall clocks; convert to UTC to measure.)

What it reads (case-insensitive; "Jan", "Jan." and "January", "Sep", "Sept."):

- days: "Jan. 23", "January 23, 2026", "23 January", "23 Jan. 2026", "the
  23rd of January", "Friday, Jan. 23" (the weekday is checked), "2026-01-23",
  "today", "tonight", "tomorrow", "yesterday", "the day after tomorrow", "in 3
  days", "3 days from now", "two days ago", "Monday", "next / last / this
  Monday", "this past Sunday", "Monday morning";
- exact times with a day: "Jan. 23 at 3 p.m.", "3pm on Jan. 23", "Jan. 23,
  15:00", "Monday at noon", "Jan. 23 at 3 p.m. ET", ISO date-times
  "2026-01-23T15:00:00+01:00" and naive ones "2026-01-23T15:00" (in tz);
- counted back: "two weeks ago" (the ISO week that held that day), "three
  months ago" (that month), "a year ago" (that year);
- weeks: "this / next / last week", "the week after next", "the week of Jan.
  7", "2026-W01", "week 1 of 2026", "in two weeks", "in a fortnight", "two
  weeks from now"; weekends: "this / next / last weekend", "over / during / at
  the weekend";
- months: "in January", "January 2026", "Sept. 2026", "next / last / this
  January", "this / next / last month", "2026-01";
- seasons: "spring 2026", "the spring of 2026", "fall 2026", "winter 2025-26",
  "this / next / last summer", "spring", "1998-SU" (TIMEX3);
- quarters and halves: "Q1 2026", "2026 Q1", "2026-Q1", "the first quarter of
  2026", "third-quarter", "Q3", "this / next / last quarter", "the first half
  of 2026", "H2 2026", "the second half of next year";
- years: "2026", "the year 2026", "this / next / last year";
- parts: "early 2026", "mid-2026", "late January", "the end of 2026", "the
  beginning of next year", "late spring 2026", "early next week", "earlier this
  month", "later this year";
- deadlines: "by March 2026", "by Jan. 23", "by the end of the year", "no later
  than June", "before Jan. 23";
- windows from as_of: "within six months", "within 90 days", "in the next two
  weeks", "over the next three months", "within a week"; without a number:
  "within days", "in the coming days", "in the next few days", "within weeks",
  "in (the) coming weeks", "over the next few weeks", "in the weeks ahead";
- ranges: "between Jan. 10 and Jan. 20", "from March to May 2026", "March-May
  2026", "10-20 Jan 2026", "Jan. 10-20, 2026", "late December to early
  January", "2026-2028", "Monday to Friday";
- approximations: "~Jan. 23", "Jan. 23~", "around / about / roughly / circa /
  approximately X", "X or so";
- EDTF (edtf.py), and "undated", "TBD", "no date", "no deadline".

Conventions (BRIEF.md, "The record", When), and the decisions taken where
the brief left a choice:

- early / mid / late of a month: days 1-10 / 11-20 / 21-end; of a year:
  January-April / May-August / September-December. "the beginning / start
  of X" reads as early X, "the middle of X" as mid X, "the end of X" as late X
  (so "the end of 2026" is September-December 2026: the wider window that
  surely holds what the writer meant, not a guessed December). Of a season,
  quarter or half, early / mid / late are its first / second / last third (a
  month of a season or quarter, two months of a half). A week is too short to
  split by any convention, so "early next week" keeps the whole week; likewise
  "late Monday" is the whole Monday. These windows have precision `range`,
  except a third that is exactly one month (precision `month`).
- Seasons are meteorological and northern: spring March-May, summer
  June-August, autumn (fall) September-November, winter December-February. A
  season belongs to the year in which it starts: "winter 2026" is
  1 December 2026 - 1 March 2027, the same as EDTF 2026-24, so the four
  seasons of a year tile [1 March, 1 March next year). "winter 2025-26" (or
  2025/26) is the winter that starts in December 2025.
- Weeks are ISO, Monday to Sunday. "this / next / last week" is the ISO week of
  as_of, the one after, the one before. A weekend is Saturday-Sunday of that
  ISO week, in the item's zone. "the week of X" is the ISO week that holds the
  day X; a day without a year is chosen so that the week (not the day) is the
  kind's: for a milestone the first such week not already over, for an event
  the most recent one that has begun.
- "over the weekend" (also "during" / "at the weekend") is the nearest
  weekend, resolved like a weekday by the kind: for an event the most recent
  one that has begun by as_of, for a milestone or an expectation the first one
  not over (on a Saturday or Sunday both mean the current one). A bare "the
  weekend" stays refused: as a When's words it is usually cut from a longer
  phrase ("the weekend of the vote", "the weekend before the election") whose
  anchor the parser cannot see, and the preposition is what marks the idiom.
- Relative names without a year ("June", "Jan. 23", "spring", "Q3", "Monday",
  "between Jan. 10 and Jan. 20") resolve by the item's kind: for an event, the
  most recent one that has begun by as_of (the current one included); for a
  milestone or an expectation, the first one not already over (the current one
  included). "next X" is the first X that begins after as_of, "last X" the last
  one that ended before as_of; "this X" follows the kind. "this / next / last
  week, month, quarter, year" are the calendar unit of as_of and its
  neighbours, whatever the kind; "the year" / "the month" are as_of's.
- A deadline, "by X" (also "no later than X", "before the end of X", "by the
  end of X"), is [as_of, end of X) with the precision of X: "by the end of the
  year" is [as_of, 1 January next), precision `year`. "before X" is [as_of,
  start of X), precision `range`. X resolves forward from as_of whatever the
  kind. A deadline that had passed on as_of, or a deadline for an event, is an
  error.
- "within N units", "in / over the next N units", "in the coming N units":
  [as_of, as_of + N units), precision `range`; months and years are calendar
  months and years (day clamped to the month's end). "in N days" is the single
  day as_of + N and "N days ago" the day as_of - N; likewise "N weeks / months /
  years ago" is the week, month or year that held the day N units before
  as_of, in the unit the writer chose ("three months ago" read on 10 January
  2026 is October 2025), whatever the kind.
- "in N weeks" ("in two weeks", "in a week's time", "in a fortnight", "two
  weeks from now"): a newsroom means about the day N weeks on, and it chose
  weeks as its unit, so the window is the ISO week that holds as_of + N weeks,
  precision `week`, `approximate` (the same reading as "the week of <that
  day>", flagged because "two weeks" is a round figure). Read on Saturday 10
  January 2026, "in two weeks" is ~the week of 19 January (19-25 January).
  "in six months" and "in two years" stay refused (a vague point months away
  is as often meant as a horizon; write "within six months" or name the
  month), as do "after two weeks" and "two weeks later" (counted from a
  moment the words do not name).
- Windows without a number reach a fixed horizon from as_of and are
  `approximate`, precision `range`: "days" ("within days", "in the coming
  days", "in the next few days", "within a few days") 7 days, since from a
  week on a writer says "a week" or "weeks"; "weeks" ("within weeks", "in
  (the) coming weeks", "over the next few weeks", "in the weeks ahead") 6
  weeks, the wider window that surely holds it (as for "the end of 2026"),
  since from about two months on a writer says "months". "in the coming
  months", "in the next several weeks" and "in a few weeks" (a point, not a
  window) stay refused as too vague.
- Words that count forward from the source's date (a deadline, "in two
  weeks", "within days", "in the coming weeks") cannot place an event: in a
  report of something that happened they count from some other moment ("the
  truce collapsed within days"), so they are an error for an event.
- "earlier this week / month / year" is [start of it, as_of + 1 day) and
  "later this week / month / year" [as_of, its end): both `range`, whatever
  the kind ("later this month" read on 10 January is [10 January, 1
  February)).
- An exact time ("3 p.m.", "3pm", "15:00", "noon") has precision `time` and
  the window [t, t + 1 minute): an instant, widened to the smallest unit a
  reporter writes. "midnight" is refused (start or end of the day?). A time
  needs a single day ("Jan. 23 at 3 p.m."; "at 3 p.m." alone is an error). A
  wall time the clocks skip is moved forward by the gap; a repeated one is its
  first occurrence. The US zone words ET/EST/EDT, CT, MT, PT (and their S/D
  forms) mean that region's local clock; GMT, UTC and Z mean UTC; CET/CEST
  central Europe; BST London. The When keeps the item's zone.
- Approximate: a leading or trailing "~", or "around", "about", "roughly",
  "circa", "c.", "ca.", "approximately", "or so".
- Refused as ambiguous or vague: all-numeric dates other than ISO
  ("23/01/2026", "01.02.2026", "23-01-2026": day/month order), "the 23rd"
  without a month, "the last quarter" without a year, "as early as ...",
  "soon", "in recent weeks", "in the coming months", fiscal years.
- Ranges run from the start of the first named period to the end of the last
  (end exclusive: "between Jan. 10 and Jan. 20" ends at the start of Jan. 21),
  precision `range`. A year stated on one end applies to both; the start moves
  to the year before only when the range runs from a later month to an earlier
  one ("from December to February 2027"); "Jan. 20 - Jan. 10, 2026" is an
  error. A range without a year resolves as a whole by the kind.
- EDTF in and out: see edtf.py.
"""

from ..when import display
from .edtf import to_edtf, when_from_edtf
from .phrases import KINDS, parse_when

__all__ = ["KINDS", "display", "parse_when", "to_edtf", "when_from_edtf"]
