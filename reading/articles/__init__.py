"""Reading an article into drafts of events, milestones and expectations.

`read(text, published=..., actors=..., times=...)` is pure: it writes
nothing. It cuts the text into sentences (sentences.py), places each time
expression the tagger found in its sentence (times.py), reads the cues of
each sentence (cues.py), who it is attributed to (attribution.py), which
known actors it names (actors.py) and where it happens (places.py), and
returns a Draft per proposal. reading.services turns drafts into proposed
items, or attaches them to items the record already holds.

How a sentence becomes drafts:

1. A claim about the future (cues.claim) is an expectation. Its When is the
   sentence's own future time; a hedged forecast without one ("would likely
   back round two if ...") takes the lead's future time when it names one of
   the lead's actors, since a forecast is judged within the horizon the
   article discusses; a promise, plan or threat without a time has no
   deadline (undated), as the speaker gave none.
2. A happening set for a future time (cues.HAPPENING with a future time and a
   cue that it is planned, scheduled or expected) is a milestone; an
   expectation of the same sentence is about it.
3. A verb in the past with a time before the article's date is an event. A
   reply ("in response to the threats") without a time of its own is dated
   around the article: the day before it to its day, approximate.
4. Anything else proposes nothing: a sentence without a time proposes no
   event (background, "Netanyahu also raised Hezbollah's efforts"), and
   nothing dated comes from a sentence with no time, except the reply of 3
   and the forecast of 1, each saying in `dated_by` where its date came from.

A time's words are read with the record's parser (parse_when) for the kind of
item, so an event's "in June" is the past June and a milestone's "in
January" the coming one, in the zone of the place the sentence names; the
tagger's own resolution is the fallback for words the parser does not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from timeline.exceptions import InvalidInput
from timeline.models import Actor, Expectation
from timeline.when import DAY, RANGE, TIME, When
from timeline.whenparse import parse_when, to_edtf

from . import attribution as attributions
from . import cues
from .actors import ActorIndex
from .places import place_in
from .sentences import Sentence, split
from .times import TimeMention, is_datable

EVENT, MILESTONE, EXPECTATION = "event", "milestone", "expectation"
TITLE_LIMIT = 200
LEAD_MIN_WORDS = 15

# Compiled once: re's own cache (512 patterns in Python 3.11) is shared with
# every library in the process, and a lookup costs a call too.
_PRONOUN = re.compile(r"^(he|she)\b", re.I)
_DEADLINE = re.compile(r"^\s*(?:by|before|no later than|not later than)\b", re.I)
_SPACES = re.compile(r"\s+")



@dataclass
class Draft:
    """One proposal read from one sentence, before it meets the record."""

    kind: str
    sentence: Sentence
    title: str
    when: When
    # Where the date came from: "text" (the sentence's own words), "reaction"
    # (a reply, dated around the article), "lead" (a forecast taking the
    # lead's horizon), "" (undated).
    dated_by: str
    actors: list[Actor]
    attribution: str  # "" = the outlet's own reporting
    quote: str
    place: str = ""
    holder: Actor | None = None
    expectation_type: str = ""
    condition: str = ""
    criteria: str = ""
    target_kind: str = ""
    about: Draft | None = None  # the milestone an expectation is about
    role: str = "reports_claim"

    @property
    def holder_is_attribution(self) -> bool:
        return self.kind == EXPECTATION and self.holder is None and bool(self.attribution)

    def expectation_fields(self) -> dict:
        if self.kind != EXPECTATION:
            return {}
        return {"expectation_type": self.expectation_type, "criteria": self.criteria,
                "target_kind": self.target_kind, "condition": self.condition, "holder": self.holder}


@dataclass(frozen=True)
class Clock:
    """The article's date as a day in the reading zone."""

    published: date
    tz: str

    def bounds(self, tz: str | None = None) -> tuple[datetime, datetime]:
        from core.zones import zone

        z = zone(tz or self.tz)
        start = datetime.combine(self.published, time(0), tzinfo=z)
        return start, datetime.combine(self.published + timedelta(days=1), time(0), tzinfo=z)

    def is_past(self, when: When) -> bool:
        return when.is_dated and when.start < self.bounds(when.tz)[1]

    def is_future(self, when: When) -> bool:
        return when.is_dated and when.end > self.bounds(when.tz)[0]

    def mostly_after(self, when: When) -> bool:
        """Most of the window lies from the article's day on: "in January"
        written on 2 January is this January, "in 2025" written on 30
        December is the year now ending, not a target."""
        day = self.bounds(when.tz)[0]
        return when.end - day > day - when.start


def read(
    text: str, *, published: date, actors: ActorIndex, times: Sequence[TimeMention], tz: str = "UTC",
) -> list[Draft]:
    clock = Clock(published, tz)
    sentences = split(text)
    lead = _lead(sentences)
    placed = _place_times(sentences, times)
    drafts: list[Draft] = []
    lead_frame = None
    if lead is not None:
        lead_frame = _future_when(lead, placed.get(lead.index, []), text, clock, EXPECTATION, tz)
    for sentence in sentences:
        drafts += _read_sentence(sentence, placed.get(sentence.index, []), text=text, clock=clock, actors=actors,
                                 lead=lead, lead_frame=lead_frame, tz=tz)
    return drafts


def _lead(sentences: list[Sentence]) -> Sentence | None:
    """The article's first real sentence: provenance lines and datelines are shorter."""
    return next((s for s in sentences if len(s.body.split()) >= LEAD_MIN_WORDS), None)


def _place_times(sentences: list[Sentence], times: Iterable[TimeMention]) -> dict[int, list[TimeMention]]:
    placed: dict[int, list[TimeMention]] = {}
    for mention in sorted(times, key=lambda t: t.start):
        if not is_datable(mention):
            continue
        for sentence in sentences:
            if sentence.holds(mention.start, mention.end) and mention.start >= (sentence.body_start or sentence.start):
                placed.setdefault(sentence.index, []).append(mention)
                break
    return placed


# -- one sentence -------------------------------------------------------------------

def _read_sentence(sentence, mentions, *, text, clock, actors, lead, lead_frame, tz) -> list[Draft]:
    body = sentence.body
    place, zone_name = place_in(body) or ("", tz)
    before = text[: sentence.start]
    attribution = attributions.attribution(body, before=before)
    named = actors.actors(body)
    drafts: list[Draft] = []

    claim = cues.claim(body)
    future_side, past_side, trust = _sides(sentence, mentions, claim)
    future = _future_when(sentence, future_side, text, clock, MILESTONE, zone_name, trust=trust)
    milestone = None
    scheduled = cues.SCHEDULE.search(body) or cues.RESCHEDULE.search(body)
    if future is not None and cues.HAPPENING.search(body) and (claim is not None or scheduled):
        milestone = Draft(
            kind=MILESTONE, sentence=sentence, title=_milestone_title(body), when=future, dated_by="text",
            actors=named, attribution=attribution, quote=body, place=place, role="sets_date",
        )
        drafts.append(milestone)
    if claim is not None and (claim.cue != "will" or milestone is None):
        drafts.append(_expectation(sentence, claim, future_side, trust, text=text, clock=clock, actors=actors, named=named,
                                   attribution=attribution, place=place, zone_name=zone_name, about=milestone,
                                   lead=lead, lead_frame=lead_frame))
    if cues.has_past_verb(body):
        event = _event(sentence, past_side, text=text, clock=clock, named=named, attribution=attribution,
                       place=place, zone_name=zone_name)
        if event is not None:
            drafts.append(event)
    return drafts


def _sides(sentence: Sentence, mentions, claim) -> tuple[list, list, bool]:
    """(times of the claim, other times, whether to trust the tagger's side).

    In a sentence that makes a claim about the future, the times inside the
    claim ("will chair ... on Jan. 23") are future, whatever verb of speech
    closes the sentence ("..., two people said"), and the others are the
    past of what was said ("said on Monday that ..."). A time after a verb
    that moves a happening ("moved to Feb. 5") is its new, future date.
    Without either, or when the claim's words cannot be placed, the tagger's
    reading of the tense decides."""
    body, offset = sentence.body, sentence.body_start or sentence.start
    moved = cues.RESCHEDULE.search(body)
    if moved is not None:
        after = [m for m in mentions if m.start >= offset + moved.end()]
        return after, [m for m in mentions if m not in after], False
    if claim is None:
        return mentions, mentions, True
    spans = []
    for part in (claim.consequence, claim.condition):
        at = body.find(part) if part else -1
        if at >= 0:
            spans.append((offset + at, offset + at + len(part)))
    if not spans:
        return mentions, mentions, True
    inside = [m for m in mentions if any(s <= m.start and m.end <= e for s, e in spans)]
    return inside, [m for m in mentions if m not in inside], False


def _event(sentence, mentions, *, text, clock, named, attribution, place, zone_name) -> Draft | None:
    body = sentence.body
    when, dated_by = _past_when(sentence, mentions, text, clock, zone_name), "text"
    if when is None and cues.REACTION.search(body):
        when, dated_by = _around(clock, zone_name), "reaction"
    if when is None:
        return None
    return Draft(kind=EVENT, sentence=sentence, title=_title(body), when=when, dated_by=dated_by, actors=named,
                 attribution=attribution, quote=body, place=place)


def _expectation(sentence, claim, mentions, trust, *, text, clock, actors, named, attribution, place, zone_name, about,
                 lead, lead_frame) -> Draft:
    body = sentence.body
    holder = None
    if not attribution:
        holder = _speaker(body, actors)
    when, dated_by = _future_when(sentence, mentions, text, clock, EXPECTATION, zone_name, trust=trust), "text"
    if when is None and claim.hedged and lead_frame is not None and lead is not None and lead.index != sentence.index:
        lead_actors = {a.pk for a in actors.actors(lead.body)}
        if lead_actors & {a.pk for a in named}:
            when, dated_by = lead_frame, "lead"
    if when is None:
        when, dated_by = When.undated("no deadline", tz=zone_name), ""
    hostile = bool(cues.HOSTILE.search(claim.consequence or body))
    if claim.condition:
        kind = Expectation.ExpectationType.THREAT if hostile and holder else Expectation.ExpectationType.CONDITIONAL
    elif claim.cue in ("promise", "plan", "threat"):
        kind = claim.cue
    elif claim.cue == "will" and holder is not None:
        kind = Expectation.ExpectationType.THREAT if hostile else Expectation.ExpectationType.PROMISE
    else:
        kind = Expectation.ExpectationType.FORECAST
    consequence = _named(claim.consequence or _strip_attribution(body), body, actors)
    title = f"{consequence} if {claim.condition}" if claim.condition and claim.condition not in consequence else consequence
    return Draft(
        kind=EXPECTATION, sentence=sentence, title=_cap(_title(title)), when=when, dated_by=dated_by, actors=named,
        attribution=attribution, quote=body, place=place, holder=holder, expectation_type=kind,
        condition=_cap(claim.condition), criteria=_cap(consequence), target_kind=_target_kind(when), about=about,
    )


def _speaker(body: str, actors: ActorIndex) -> Actor | None:
    mentions = actors.mentions(attributions.speaker_span(body))
    return mentions[-1].actor if mentions else None


def _named(consequence: str, body: str, actors: ActorIndex) -> str:
    """"he will allow ..." reads "Donald Trump will allow ..." when the
    sentence's speaker is a known actor."""
    match = _PRONOUN.match(consequence)
    if match:
        speaker = _speaker(body, actors)
        if speaker is not None and speaker.kind == Actor.Kind.PERSON:
            return speaker.name + consequence[match.end():]
    return consequence


def _target_kind(when: When) -> str:
    if _DEADLINE.match(when.text):
        return Expectation.TargetKind.BY
    if when.precision in (DAY, TIME):
        return Expectation.TargetKind.ON
    return Expectation.TargetKind.DURING


# -- the When of a time in its sentence --------------------------------------------

_LEFT = re.compile(
    r"(?:\b(?:as recently as|as early as|as late as|as soon as|no later than|not before|just|in|on|during|by|"
    r"since|until|before|after|around|about|sometime|through)\s+){1,2}$",
    re.I,
)


def as_reported(text: str, mention: TimeMention) -> str:
    """The time's words with the preposition that frames them ("just last
    week", "as recently as September", "on Jan. 23")."""
    left = _LEFT.search(text[max(0, mention.start - 40): mention.start])
    words = _SPACES.sub(" ", (left.group(0) if left else "") + text[mention.start:mention.end]).strip()
    # The tagger names the preposition it saw too (Timex.phrase); the longer reading keeps more of the words.
    theirs = _SPACES.sub(" ", getattr(mention, "phrase", "") or "").strip()
    return theirs if len(theirs) > len(words) and theirs.endswith(mention.text) else words


def resolve(mention: TimeMention, text: str, clock: Clock, kind: str, tz: str) -> When | None:
    """The window the words mean for an item of `kind`, or None: the record's
    parser first (words with their preposition, then the bare words), the
    tagger's own reading last."""
    reported = as_reported(text, mention)
    for words in dict.fromkeys((reported, mention.text)):
        try:
            when = parse_when(words, as_of=clock.published, tz=tz, kind=kind)
        except InvalidInput:  # WhenParseError is an InvalidInput
            continue
        if when.is_dated:
            return When(text=reported, start=when.start, end=when.end, precision=when.precision,
                        approximate=when.approximate, tz=when.tz, edtf=when.edtf)
    if mention.when is not None and mention.when.is_dated:
        w = mention.when
        return When(text=reported, start=w.start, end=w.end, precision=w.precision, approximate=w.approximate,
                    tz=w.tz, edtf=w.edtf)
    return None


def _tagger_says(mention: TimeMention, clock: Clock, direction) -> bool:
    """The tagger read the tense around the words: where it placed them on
    the other side of the article's date, no kind may pull them back."""
    return mention.when is None or not mention.when.is_dated or direction(mention.when)


def _past_when(sentence, mentions, text, clock, tz) -> When | None:
    for mention in mentions:
        if not _tagger_says(mention, clock, clock.is_past):
            continue
        when = resolve(mention, text, clock, EVENT, tz)
        if when is not None and clock.is_past(when):
            return when
    return None


def _future_when(sentence, mentions, text, clock, kind, tz, *, trust: bool = True) -> When | None:
    for mention in mentions:
        if trust and not _tagger_says(mention, clock, clock.is_future):
            continue
        when = resolve(mention, text, clock, kind, tz)
        if when is not None and clock.is_future(when) and clock.mostly_after(when):
            return when
    return None


def _around(clock: Clock, tz: str) -> When:
    """A reply reported without a date: from the day before the article to its day, approximate."""
    first = clock.published - timedelta(days=1)
    start = clock.bounds(tz)[0] - timedelta(days=1)
    start = datetime.combine(first, time(0), tzinfo=start.tzinfo)  # local midnight, whatever the clocks did
    end = clock.bounds(tz)[1]
    last = clock.published
    text = (f"around {first:%b} {first.day}-{last.day}" if first.month == last.month
            else f"around {first:%b} {first.day}-{last:%b} {last.day}")
    window = When(text=text, start=start, end=end, precision=RANGE, approximate=True, tz=tz)
    return When(text=text, start=start, end=end, precision=RANGE, approximate=True, tz=tz, edtf=to_edtf(window))


# -- titles -----------------------------------------------------------------------

_ACCORDING_END = re.compile(r",?\s*according to [^,]*$", re.I)
_ACCORDING_START = re.compile(r"^according to [^,]+,\s*", re.I)
_SAID_END = re.compile(
    r"(?:,\s*|(?<=[,!?][\"”])\s*)(?:(?:the|a|an|one|two|three|four|several|some|many)\b[^,]{0,80}?|"
    r"(?:[\w.'’-]+\s+){0,3}(?:" + "|".join(attributions.SOURCE_NOUNS) + r"|media))\s+"
    r"(?:said|says|told \w+|added|reported)\s*\.?$", re.I,
)


def _strip_attribution(body: str) -> str:
    text = body.strip().rstrip(".")
    text = _ACCORDING_END.sub("", text)
    text = _ACCORDING_START.sub("", text)
    text = _SAID_END.sub("", text)
    return text.strip(" ,")


def _title(body: str) -> str:
    title = _strip_attribution(body).strip(' ,"“”`\'')
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT].rsplit(" ", 1)[0].rstrip(" ,;") + "…"
    return _cap(title)


_SCHEDULED_TO = re.compile(r"\b(?:is|are)\s+(?:expected|set|scheduled|due|slated|likely|poised)\s+to\b", re.I)


def _milestone_title(body: str) -> str:
    """Headline style: "Trump to announce in January ...", the happening without the forecast."""
    return _title(_SCHEDULED_TO.sub("to", body, count=1))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
