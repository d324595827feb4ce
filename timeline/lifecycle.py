"""The lifecycle of every kind of item, written once.

Each kind has its statuses, the ones a new item may start in, the ones in
which it is still awaited ("open": it can become overdue), and the moves
between them. Editorial state (draft, proposed, published, retracted) is a
second axis with moves of its own. Everything that asks "may this item make
this move?" asks this module:

- the services refuse a move that is not here (`require`, `require_target`);
- the admin builds its buttons and bulk actions from `moves_for(kind)`;
- the API documents each action with `describe(name)`;
- the partial indexes on Item and the selectors take `OPEN_STATUSES` from here.

Adding a status or a move is one edit below. The brief's table of milestone
moves reads straight off MOVES. This module imports nothing of the record's
models (they import it), so it stays a table and a few functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models

from .exceptions import InvalidInput, TransitionNotAllowed


class Kind(models.TextChoices):
    EVENT = "event"
    MILESTONE = "milestone"
    EXPECTATION = "expectation"


class Status(models.TextChoices):
    # One column for every kind, so that "open and past its window" is one
    # partial index across kinds (docs/architecture.md).
    RECORDED = "recorded"  # events
    SCHEDULED = "scheduled"  # milestones
    CONFIRMED = "confirmed"
    HAPPENED = "happened"
    CANCELLED = "cancelled"
    DORMANT = "dormant"  # expectations
    OPEN = "open"
    MET = "met"
    MET_LATE = "met_late"
    MISSED = "missed"
    PARTLY_MET = "partly_met"
    VOID = "void"


class EditorialState(models.TextChoices):
    DRAFT = "draft"
    PROPOSED = "proposed"  # made by the system, waiting for review
    PUBLISHED = "published"
    RETRACTED = "retracted"


@dataclass(frozen=True)
class Lifecycle:
    kind: str
    statuses: tuple[str, ...]
    initial: tuple[str, ...]  # a new item's default first
    open: tuple[str, ...]  # still awaited: may become overdue
    final: tuple[str, ...] = ()  # left only through a correction

    def initial_for(self, *, conditional: bool = False) -> tuple[str, ...]:
        # A conditional expectation waits for its trigger; it may be recorded
        # already triggered (open).
        if self.kind == Kind.EXPECTATION and conditional:
            return (Status.DORMANT, Status.OPEN)
        return self.initial


S = Status
VERDICTS = (S.MET, S.MET_LATE, S.MISSED, S.PARTLY_MET, S.VOID)

LIFECYCLES = {
    Kind.EVENT: Lifecycle(Kind.EVENT, statuses=(S.RECORDED,), initial=(S.RECORDED,), open=()),
    Kind.MILESTONE: Lifecycle(
        Kind.MILESTONE,
        statuses=(S.SCHEDULED, S.CONFIRMED, S.HAPPENED, S.CANCELLED),
        initial=(S.SCHEDULED, S.CONFIRMED),
        open=(S.SCHEDULED, S.CONFIRMED),
        final=(S.HAPPENED, S.CANCELLED),
    ),
    Kind.EXPECTATION: Lifecycle(
        Kind.EXPECTATION,
        statuses=(S.DORMANT, S.OPEN, *VERDICTS),
        initial=(S.OPEN,),
        open=(S.OPEN,),
        final=VERDICTS,
    ),
}

# Every status in which some kind is still awaited, in a stable order: the
# condition of Item's partial indexes and of "overdue" and "upcoming".
OPEN_STATUSES: tuple[str, ...] = tuple(dict.fromkeys(s for lc in LIFECYCLES.values() for s in lc.open))
# A new item is one of these; retracting is a move, not a starting point.
NEW_EDITORIAL_STATES = (EditorialState.DRAFT, EditorialState.PROPOSED, EditorialState.PUBLISHED)


def statuses_of(kind: str) -> tuple[str, ...]:
    return LIFECYCLES[kind].statuses


STATUSES_BY_KIND = {kind: lc.statuses for kind, lc in LIFECYCLES.items()}


# -- Moves ---------------------------------------------------------------------

STATUS, EDITORIAL = "status", "editorial_state"
ALL_KINDS = tuple(Kind.values)


@dataclass(frozen=True)
class Move:
    name: str  # the service's verb, the admin's URL segment, the API's action
    kinds: tuple[str, ...]
    change_kind: str  # the Change.Kind its change row has
    edges: tuple[tuple[str, str], ...]  # (from, to) on `axis`
    verb: str  # "Cannot {verb} a milestone that is ..."
    summary: str  # one line for the admin's page and the API's docs
    axis: str = STATUS
    # An extra condition beyond the edges: returns why not, or None.
    guard: Callable[[object], str | None] | None = field(default=None, compare=False)
    # A refusal message of its own where the generic one reads badly
    # ("The item is already published.").
    refusal: str = ""

    def sources(self, to: str | None = None) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for f, t in self.edges if to is None or t == to))

    def targets(self, source: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for f, t in self.edges if f == source))

    def refusal_for(self, item, to: str | None = None) -> str | None:
        """Why `item` may not make this move (to `to`), or None if it may."""
        if item.kind not in self.kinds:
            return f"A {item.kind} cannot {self.verb}."
        current = getattr(item, self.axis)
        sources = self.sources(to)
        if current not in sources:
            if self.refusal:
                return self.refusal
            verb = self.verb.format(to=to) if to else self.verb.replace(" as {to}", "")
            return f"Cannot {verb} a {item.kind} that is {current} (allowed from: {', '.join(sources)})."
        return self.guard(item) if self.guard else None


def _pairs(sources: Iterable[str], targets: Iterable[str]) -> tuple[tuple[str, str], ...]:
    targets = tuple(targets)
    return tuple((s, t) for s in sources for t in targets)


def _verdict_to_review(expectation) -> str | None:
    """A system verdict nobody reviewed yet, or any verdict the verdict
    rules listed for an editor because a later fact disagrees with it."""
    if getattr(expectation, "undecided_reason", ""):
        return None
    if getattr(expectation, "decided_by", "") != "system":
        return "Only a verdict the system gave, or one listed for an editor, can be reviewed."
    if expectation.verdict_reviewed_at is not None:
        return "This verdict was already reviewed."
    return None


MILESTONE_OPEN = LIFECYCLES[Kind.MILESTONE].open
_ANY_STATUS = tuple((s, t) for lc in LIFECYCLES.values() for s in lc.statuses for t in lc.statuses)

MOVES: tuple[Move, ...] = (
    # Milestones (the brief's table).
    Move("confirm", (Kind.MILESTONE,), "confirmed", _pairs((S.SCHEDULED,), (S.CONFIRMED,)), "confirm",
         "Scheduled becomes confirmed."),
    Move("postpone", (Kind.MILESTONE,), "postponed", _pairs(MILESTONE_OPEN, (S.SCHEDULED,)), "postpone",
         "A new When (possibly undated); the old one stays in the change log."),
    Move("happened", (Kind.MILESTONE,), "happened", _pairs(MILESTONE_OPEN, (S.HAPPENED,)), "mark as happened",
         "It happened: the event that shows it and the actual When. Expectations about it are settled by the "
         "verdict rules."),
    Move("cancel", (Kind.MILESTONE,), "cancelled", _pairs(MILESTONE_OPEN, (S.CANCELLED,)), "cancel",
         "It will not happen, with a reason. Open expectations about it become missed."),
    # Expectations. A dormant conditional whose condition never came can only be void.
    Move("settle", (Kind.EXPECTATION,), "settled", _pairs((S.OPEN,), VERDICTS) + ((S.DORMANT, S.VOID),),
         "settle as {to}", "A verdict with evidence and a note. A met verdict needs evidence."),
    Move("overturn", (Kind.EXPECTATION,), "overturned",
         tuple((v, w) for v in VERDICTS for w in (*VERDICTS, S.OPEN) if v != w), "overturn the verdict of",
         "Another verdict, or open to withdraw it; the old verdict stays in the change log."),
    Move("review", (Kind.EXPECTATION,), "reviewed", tuple((v, v) for v in VERDICTS), "review the verdict of",
         "An editor lets the verdict stand: the system's, or one a later fact seemed to contradict.", guard=_verdict_to_review),
    Move("trigger", (Kind.EXPECTATION,), "triggered", _pairs((S.DORMANT,), (S.OPEN,)), "trigger",
         "The condition came about: the expectation opens, and its deadline, if any, counts from the trigger."),
    # Every kind: the editorial axis, and the correction that may leave a final state.
    Move("publish", ALL_KINDS, "published",
         _pairs((EditorialState.DRAFT, EditorialState.PROPOSED, EditorialState.RETRACTED), (EditorialState.PUBLISHED,)),
         "publish", "The item becomes public: pages, feeds and subscribers see it from now on.",
         axis=EDITORIAL, refusal="The item is already published."),
    Move("retract", ALL_KINDS, "retracted",
         _pairs((EditorialState.DRAFT, EditorialState.PROPOSED, EditorialState.PUBLISHED), (EditorialState.RETRACTED,)),
         "retract", "The item leaves public view with a reason; nothing is deleted, calendars show it cancelled.",
         axis=EDITORIAL, refusal="The item is already retracted."),
    Move("correct", ALL_KINDS, "correction", _ANY_STATUS, "correct",
         "A fix on the record as a correction: the way out of a final state, or of a wrong When or field."),
)
_BY_NAME = {move.name: move for move in MOVES}


def move(name: str) -> Move:
    return _BY_NAME[name]


def moves_for(kind: str) -> tuple[Move, ...]:
    return tuple(m for m in MOVES if kind in m.kinds)


def allows(item, name: str, to: str | None = None) -> bool:
    return move(name).refusal_for(item, to) is None


def require(item, name: str, *, to: str | None = None) -> Move:
    """The move, or TransitionNotAllowed (HTTP 409) saying why not."""
    the_move = move(name)
    why = the_move.refusal_for(item, to)
    if why is not None:
        raise TransitionNotAllowed(why, current_status=item.status, editorial_state=item.editorial_state)
    return the_move


def require_target(item, name: str, to: str, *, field: str = "status", message: str = "") -> None:
    """`to` must be a target of the move from where the item stands: a 400
    naming the choices (the move itself was allowed, the input was wrong)."""
    choices = move(name).targets(getattr(item, move(name).axis))
    if to not in choices:
        raise InvalidInput(message or f"Not a possible {field} here.", fields={field: [f"One of: {', '.join(choices)}."]})


def describe(name: str) -> str:
    """For the API's docs: what the move does and from where."""
    the_move = move(name)
    sources = ", ".join(the_move.sources())
    return f"{the_move.summary} Allowed from ({the_move.axis.replace('_', ' ')}): {sources}."
