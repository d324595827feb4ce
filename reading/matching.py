"""Is a draft the same happening as an item the record already holds?

An article often reports again what the record has: the Davos meeting of the
Board of Peace, told by another outlet, or told with a new date. Then the
draft is attached to that item (a citation, or a proposed postponement), and
no second item is made. How it decides, in order:

1. Candidates: items of the same kind that are in the record (not
   retracted; proposals count, so two sentences or two articles proposing
   the same thing make one item), sharing at least one actor with the draft
   when both name actors. The storyline given is a preference, not a
   filter: the same happening filed under another storyline is still the
   same, and a second item of it would be the duplicate this prevents.
2. Title words: the draft's sentence and the item's title and citation
   quotes are reduced to content words (stop words, cue words, dates and
   numbers dropped, simple suffixes stemmed), and compared by the Dice
   coefficient, or, when one is a short quote of the other, by the share of
   the shorter found in the longer (weighted down, and only from four words
   on); the best of the item's texts counts. Below SAME_WORDS the item is
   another happening, except for an event of the same day (windows of at
   most two days that overlap) naming two of the item's actors, where
   SAME_DAY_WORDS is enough: the same occasion told in other words.
3. Ordinals veto: "the first meeting" is not "the second meeting".
4. The window: overlapping windows (by more than half the shorter one, or
   half a day, so that zones do not make an overlap of a few hours; either
   undated counts as overlapping) confirm the same
   happening. Disjoint windows mean another happening for an event or an
   expectation ("talks in June" are not "talks in September"); for an open
   milestone they mean the same happening moved: a postponement to propose.
5. The best candidate wins: the similarity, plus a little for the share of
   actors in common, an overlapping window and the storyline given.

Candidates are read once per article (Pool), not once per draft, so a
reading's queries do not grow with the record (docs/reading.md, "Followed
feeds", gives the speed). A sweep reading many articles keeps what its pools
read (pools_kept): the next article asks only for the items' revisions and
reads again those whose revision moved. docs/reading.md gives how often this is right on
the fixtures of tests/reading/test_matching_fixtures.py.
"""

from __future__ import annotations

import bisect
import contextvars
import copy
import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction

from timeline.lifecycle import MILESTONE_OPEN
from timeline.models import Citation, Item, Storyline
from timeline.when import When

SAME_WORDS = 0.5
CONTAINED, CONTAINED_MIN = 0.8, 4
OVERLAP_AT_LEAST = timedelta(hours=12)
SAME_DAY_WORDS = 0.35  # the bar for words when an event names the same people on the same day

STOP_WORDS = set("""
a an the and or but if then of to in on at by for from with without about as into onto over under after before
during between against among through up down out off than that this these those there here it its it's itself
he she they them their his her him we us our you your i me my is are was were be been being am has have had do
does did will would shall should can could may might must not no nor so such very more most less least also
just only even still yet again already both each either neither any all some many much few other another own
same who whom whose which what when where why how while though although because since until unless whether
said says say told according official officials source sources expected likely set due plans plan planned
scheduled slated poised would-be new one two three four five six seven eight nine ten
""".split())
MONTHS = set("""january february march april may june july august september october november december jan feb mar
apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday week weekend month
year today tomorrow yesterday""".split())
ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "last",
            "next", "final", "inaugural"}
_TOKEN = re.compile(r"[a-z][a-z'’-]*")


def stem(word: str) -> str:
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in ("ings", "ing", "ied", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if suffix in ("ied", "ies"):
                word += "y"
            break
    return word


@functools.lru_cache(maxsize=100_000)
def _content_word(token: str) -> str | None:
    """The stem a token counts as, or None for a word that does not count.
    Remembered: a matcher reading article after article meets the same
    words again and again (every draft's sentence and title)."""
    token = token.strip("'’-")
    if not token or token in STOP_WORDS or token in MONTHS or len(token) < 3:
        return None
    return stem(token)


def content_words(text: str) -> set[str]:
    words = {_content_word(token) for token in _TOKEN.findall(text.lower())}
    words.discard(None)
    return words


def dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def similarity(a: set[str], b: set[str]) -> float:
    """Dice, or, when one text is a short quote of the other, how much of the
    shorter is in the longer (at CONTAINED weight, and only for at least
    CONTAINED_MIN words: a three-word title is in many sentences)."""
    score = dice(a, b)
    shorter = min(len(a), len(b))
    if shorter >= CONTAINED_MIN:
        score = max(score, CONTAINED * len(a & b) / shorter)
    return score


def ordinals(text: str) -> set[str]:
    return {t for t in _TOKEN.findall(text.lower()) if t in ORDINALS}


def windows_overlap(a: When, b: When) -> bool | None:
    """True or False for two dated windows; None when either is undated.

    Windows read in different zones overlap by a few hours at their edges
    ("February" in UTC and "January" in New York share five hours): they
    overlap only by more than half the shorter window, or by half a day."""
    if not a.is_dated or not b.is_dated:
        return None
    shared = min(a.end, b.end) - max(a.start, b.start)
    shorter = min(a.end - a.start, b.end - b.start)
    return shared > min(shorter / 2, OVERLAP_AT_LEAST)


def _same_day_same_people(item: Item, when: When, actor_ids: set[int], item_actor_ids: set[int]) -> bool:
    """An event on the same day as the item's, naming two of its actors: the
    same occasion told in other words ("Netanyahu and Trump met at
    Mar-a-Lago on Monday" and "Netanyahu and Trump meet; ...")."""
    if item.kind != Item.Kind.EVENT or not when.is_dated or not item.when.is_dated:
        return False
    days = max(when.end - when.start, item.when.end - item.when.start) <= timedelta(days=2)
    return days and bool(windows_overlap(when, item.when)) and len(actor_ids & item_actor_ids) >= 2


@dataclass(frozen=True)
class Match:
    item: Item
    score: float
    words: float  # the Dice coefficient of the best text
    same_window: bool | None
    postpone: bool  # the same milestone, reported with another date
    reasons: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=50_000)
def _reduced(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """A text's content words and ordinals, remembered: the same quotes and
    titles come back in article after article of a followed feed."""
    return frozenset(content_words(text)), frozenset(ordinals(text))


@dataclass
class Known:
    """An item as the matcher sees it: its texts already reduced to content
    words and ordinals, its actors and storylines as ids."""

    item: Item
    actor_ids: set[int]
    storyline_ids: set[int]
    texts: list[tuple[frozenset[str], frozenset[str]]]  # (content words, ordinals) of the title and each quote

    @classmethod
    def of(cls, item: Item, *, actor_ids, storyline_ids, quotes) -> Known:
        return cls(item, set(actor_ids), set(storyline_ids),
                   [_reduced(t) for t in (item.title, *(q for q in quotes if q))])

    @property
    def order(self):
        return (self.item.sort_key, self.item.public_id)

    def add_quote(self, quote: str) -> None:
        # A text it already has changes neither its best match nor its
        # ordinals; kept once, as the pool's read keeps each distinct quote
        # once, so a pool kept for a sweep does not grow with repeats.
        reduced = _reduced(quote) if quote else None
        if reduced is not None and reduced not in self.texts:
            self.texts.append(reduced)

    def copied(self) -> Known:
        """A copy to change freely: its own item object (the services move
        its revision), sets and list of texts."""
        return Known(copy.copy(self.item), set(self.actor_ids), set(self.storyline_ids), list(self.texts))

    def shared(self) -> Known:
        """A Known of its own holding this one's item and texts, to read
        only, until Pool._own gives it copies."""
        return Known(self.item, self.actor_ids, self.storyline_ids, self.texts)


class _Kept:
    """What the pools of one sweep have read: for each item, the revision
    its Known was read (or written by a committed reading) at, and a copy of
    it that no reading changes. Every write of an item moves its revision
    (timeline.services: a citation, an edit of its actors or storylines, a
    retraction), so an item whose revision is still the one kept reads the
    same as it would from the database."""

    def __init__(self):
        self.known: dict[int, tuple[int, Known]] = {}


_kept: contextvars.ContextVar[_Kept | None] = contextvars.ContextVar("reading_matching_kept", default=None)


@contextmanager
def pools_kept() -> Iterator[None]:
    """Within this block (a sweep reading its articles one after the other),
    each article's Pool starts from what the earlier ones read: one query of
    the record's revisions, and the four reads only for items whose revision
    moved (someone else's write, or one of this sweep's own not known to the
    pool), so a burst of articles does not read the whole record again each
    time. What a reading wrote is kept only once its transaction commits."""
    if _kept.get() is not None:
        yield
        return
    token = _kept.set(_Kept())
    try:
        yield
    finally:
        _kept.reset(token)


class Pool:
    """The candidates of one article's drafts, read from the database once
    (four queries, however many drafts and however large the record: the
    items of every kind with their Event, Milestone or Expectation row, the
    ids of their actors, of their storylines, and their quotes) and kept up
    to date with what the reading writes: an item it proposes is a
    candidate for the next draft, a quote it cites is one more text of its
    item. Candidates are kept in the record's order (sort_key, public_id),
    so a tie goes to the earlier item. Within pools_kept, the read is one
    query of revisions plus the four for the items that moved (settle keeps
    what the reading wrote)."""

    KINDS = (Item.Kind.EVENT, Item.Kind.MILESTONE, Item.Kind.EXPECTATION)

    def __init__(self):
        self._of_kind: dict[str, list[Known]] | None = None
        self._by_pk: dict[int, Known] = {}
        self._kept = _kept.get()
        self._touched: set[int] = set()  # items this reading cited, proposed or handed out
        self._shared: set[int] = set()  # items whose Known shares the kept one's objects (Known.shared)

    def _kind(self, kind: str) -> list[Known]:
        if self._of_kind is None:
            self._read()
        return self._of_kind[kind]

    def _read(self) -> None:
        in_record = Item.objects.in_record()
        kept = self._kept
        if kept is None:
            knowns = self._fetch(in_record)
        elif not kept.known:
            knowns = self._fetch(in_record)
            kept.known = {k.item.pk: (k.item.revision, k.copied()) for k in knowns}
        else:
            revisions = dict(in_record.order_by().values_list("pk", "revision"))  # no sort: a dict of them
            for pk in set(kept.known) - set(revisions):  # retracted or deleted meanwhile
                del kept.known[pk]
            moved = [pk for pk, revision in revisions.items() if kept.known.get(pk, (None,))[0] != revision]
            if moved:
                # Most of the record moved (another sweep's burst): read it whole, not by a list of ids.
                again = in_record if 2 * len(moved) > len(revisions) else in_record.filter(pk__in=moved)
                kept.known.update((k.item.pk, (k.item.revision, k.copied())) for k in self._fetch(again))
            # Shared, not copied: most candidates are only compared; the few
            # this reading cites or hands out are copied then (_own).
            knowns = sorted((kept.known[pk][1].shared() for pk in revisions if pk in kept.known),
                            key=lambda k: k.order)
            self._shared = {k.item.pk for k in knowns}
        self._of_kind = {kind: [] for kind in self.KINDS}
        for known in knowns:
            self._of_kind[known.item.kind].append(known)
            self._by_pk[known.item.pk] = known

    def _fetch(self, items) -> list[Known]:
        """`items` as Knowns, in the record's order, in four queries."""
        # select_related: the Event, Milestone or Expectation row in the same
        # query, so a matched item is cited without reading it again (Item.specific).
        rows = list(items.select_related(*self.KINDS).order_by("sort_key", "public_id"))
        # Ids only (what matching compares), from the link tables: no Actor or
        # Storyline objects to build.
        actors, storylines, quotes = {}, {}, {}
        for relation, ids in (("actors", actors), ("storylines", storylines)):
            link = getattr(Item, relation).through
            other = link._meta.get_field(relation[:-1]).attname  # actor_id, storyline_id
            for item_id, other_id in link.objects.filter(item__in=items.values("pk")).values_list("item_id", other):
                ids.setdefault(item_id, []).append(other_id)
        # Each distinct quote once: an item cited by many articles with the
        # same sentence has one text of it (the best text and the union of
        # ordinals do not change with repeats).
        for item_id, quote in (Citation.objects.filter(item__in=items.values("pk")).exclude(quote="")
                               .values_list("item_id", "quote").distinct()):
            quotes.setdefault(item_id, []).append(quote)
        return [Known.of(item.specific(), actor_ids=actors.get(item.pk, ()), storyline_ids=storylines.get(item.pk, ()),
                         quotes=quotes.get(item.pk, ())) for item in rows]

    def settle(self) -> None:
        """The reading is written: what it told this pool (its new items,
        its citations) is what the record holds at those items' revisions
        now, kept for the sweep's next pools once the transaction commits
        (nothing, if it rolls back). A later write of the same items (the
        feed's other storylines, a muted kind retracted) moves their
        revision past the one kept, so they are read again."""
        if self._kept is None or self._of_kind is None:
            return
        done = {pk: (self._by_pk[pk].item.revision, self._by_pk[pk].copied())
                for pk in self._touched if pk in self._by_pk}
        kept = self._kept
        transaction.on_commit(lambda: kept.known.update(done))

    def candidates(self, *, kind: str, actor_ids: set[int]) -> list[Known]:
        """Items of the kind, sharing an actor with the draft when both name
        actors (an item without actors may still be it; one with only other
        actors is not)."""
        return [k for k in self._kind(kind) if not actor_ids or not k.actor_ids or k.actor_ids & actor_ids]

    def added(self, item: Item, *, actor_ids, storyline_ids, quotes=()) -> None:
        """An item the reading proposed (in the record: proposals count)."""
        known = Known.of(item, actor_ids=actor_ids, storyline_ids=storyline_ids, quotes=quotes)
        if self._of_kind is not None:  # else it is read with the rest
            bisect.insort(self._of_kind[item.kind], known, key=lambda k: k.order)
        self._by_pk[item.pk] = known
        self._touched.add(item.pk)

    def _own(self, known: Known) -> Known:
        """`known`, with objects of this pool's own before anything changes
        them (a citation moves the item's revision, adds a quote)."""
        if known.item.pk in self._shared:
            self._shared.discard(known.item.pk)
            known.item, known.texts = copy.copy(known.item), list(known.texts)
        self._touched.add(known.item.pk)
        return known

    def specific(self, item: Item) -> Item:
        """The matched item as its Event, Milestone or Expectation (read with
        the pool), one object per article: the services' writes keep it
        current, for the next draft citing it."""
        known = self._by_pk.get(item.pk)
        if known is None:
            return item.specific()
        return self._own(known).item

    def cited(self, item_pk: int, quote: str) -> None:
        """A citation the reading added: its quote is one more text of the item."""
        known = self._by_pk.get(item_pk)
        if known is not None:
            self._own(known).add_quote(quote.strip())


def best_match(*, kind: str, text: str, title: str, when: When, actor_ids: set[int],
               storyline: Storyline | None = None, exclude: set[int] = frozenset(),
               pool: Pool | None = None) -> Match | None:
    """The item the draft (its sentence `text`, `title`, `when`, actors) is
    the same happening as, or None. `pool` is the article's candidates
    (read_article passes one for all its drafts); without one, they are read
    afresh."""
    words = content_words(text) | content_words(title)
    draft_ordinals = ordinals(text)
    best = None
    for known in (pool or Pool()).candidates(kind=kind, actor_ids=actor_ids):
        if known.item.pk in exclude:
            continue
        match = _compare(known, words=words, draft_ordinals=draft_ordinals, when=when, actor_ids=actor_ids,
                         storyline=storyline)
        if match is not None and (best is None or match.score > best.score):
            best = match
    return best


def _compare(known: Known, *, words, draft_ordinals, when, actor_ids, storyline) -> Match | None:
    item, item_actor_ids = known.item, known.actor_ids
    similarity_ = max(similarity(words, text_words) for text_words, _ in known.texts)
    if similarity_ < SAME_WORDS and not (
        similarity_ >= SAME_DAY_WORDS and _same_day_same_people(item, when, actor_ids, item_actor_ids)
    ):
        return None
    item_ordinals = set().union(*(text_ordinals for _, text_ordinals in known.texts))
    if draft_ordinals and item_ordinals and not (draft_ordinals & item_ordinals):
        return None
    same_window = windows_overlap(when, item.when)
    postpone = False
    if same_window is False or (same_window is None and when.is_dated and not item.when.is_dated):
        if item.kind != Item.Kind.MILESTONE or item.status not in MILESTONE_OPEN:
            return None
        postpone = True
    shared = len(actor_ids & item_actor_ids) / len(actor_ids | item_actor_ids) if actor_ids | item_actor_ids else 0
    same_storyline = storyline is not None and storyline.pk in known.storyline_ids
    score = similarity_ + 0.1 * shared + (0.1 if same_window else 0) + (0.05 if same_storyline else 0)
    reasons = [f"title words {similarity_:.2f}", f"actors in common {shared:.2f}",
               {True: "windows overlap", False: "another date", None: "undated"}[same_window]]
    if same_storyline:
        reasons.append("same storyline")
    return Match(item=item, score=score, words=similarity_, same_window=same_window, postpone=postpone,
                 reasons=reasons)
