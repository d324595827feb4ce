"""Reading an article into proposals: the one entry point, and the editor's
decisions on the changes it proposes.

`read_article` is what the command, the admin page and followed feeds call.
Every item it writes goes through timeline.services (item_create in the
`proposed` editorial state, citation_add, item_edit), so the change log, the
revision and the rules are the record's own; nothing proposed is public, and
watch turns no change of a proposed item into news (timeline.derived,
watch.services.news). What it does with each draft (reading.articles):

- the same happening as an item in the record (reading.matching): a
  citation of the source on that item; for an open milestone reported with
  another date, also a ProposedChange (postponement) an editor accepts or
  rejects;
- otherwise a new item in the `proposed` state, cited (the sentence is the
  quote, the attribution as reported), an anonymous holder tied to that
  citation, an expectation tied to the milestone of its sentence.

Reading the same text with the same URL again returns the first reading's
answer and writes nothing. It is one transaction: a failure leaves nothing
half-read, and a retry starts clean.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone as dj_timezone

from core.errors import InvalidInput, TransitionNotAllowed
from core.zones import is_zone_name, zone as zone_of
from timeline import services
from timeline.models import SYSTEM, Citation, Item, Milestone, Outlet, Source, Storyline
from timeline.services._core import by_fields

from . import matching
from .articles import EXPECTATION, Draft, read
from .articles.actors import ActorIndex
from .articles.times import find_times
from .models import ArticleReading, ProposedChange

# A source needs a unique URL; pasted text without one gets an address in a
# reserved domain (RFC 2606), named by the text's hash, that never resolves.
PASTED_URL = "https://pasted-article.invalid/{hash}"
UNKNOWN_OUTLET = {"slug": "unknown-outlet", "name": "Unknown outlet"}
TEXT_LIMIT = 200_000

CREATED, CITED, POSTPONEMENT = "created", "cited", "postponement"


@dataclass
class Entry:
    """What one draft became."""

    sentence: int
    kind: str
    action: str  # created, cited, postponement
    item: Item
    citation: Citation | None = None
    change: ProposedChange | None = None
    dated_by: str = ""
    match: str = ""  # why it was taken for an existing item

    def as_dict(self) -> dict:
        # The window as the record keeps it, in UTC: an item made by this
        # reading is not read back, and its answer must read as the one a
        # repeat gives from the rows.
        when = self.item.when.as_dict()
        when.update({bound: getattr(self.item, f"when_{bound}").astimezone(timezone.utc).isoformat()
                     for bound in ("start", "end") if getattr(self.item, f"when_{bound}")})
        return {
            "sentence": self.sentence, "kind": self.kind, "action": self.action,
            "item": str(self.item.public_id), "title": self.item.title,
            "editorial_state": self.item.editorial_state,
            "when": when, "dated_by": self.dated_by,
            "citation": self.citation.pk if self.citation else None,
            "attribution": self.citation.attribution if self.citation else "",
            "quote": self.citation.quote if self.citation else "",
            "proposed_change": ({"id": self.change.pk, "kind": self.change.kind, "when": self.change.when,
                                 "state": self.change.state} if self.change else None),
            "match": self.match,
        }


@dataclass
class Reading:
    """The answer of read_article: the reading and what each proposal became."""

    article: ArticleReading
    entries: list[Entry] = field(default_factory=list)
    already_read: bool = False

    @property
    def source(self) -> Source:
        return self.article.source

    def of(self, action: str) -> list[Entry]:
        return [e for e in self.entries if e.action == action]

    @property
    def created(self) -> list[Entry]:
        return self.of(CREATED)

    @property
    def cited(self) -> list[Entry]:
        return self.of(CITED)

    @property
    def postponements(self) -> list[Entry]:
        return self.of(POSTPONEMENT)

    def summary(self) -> str:
        again = " (already read: nothing new written)" if self.already_read else ""
        return (f"{len(self.created)} proposed, {len(self.cited)} cited on existing items, "
                f"{len(self.postponements)} postponement(s) proposed{again}")

    def as_dict(self) -> dict:
        return {
            "reading": self.article.pk, "source": {"url": self.source.url, "title": self.source.title,
                                                   "outlet": self.source.outlet.name},
            "published": self.article.published.isoformat(), "already_read": self.already_read,
            "summary": self.summary(), "proposals": [e.as_dict() for e in self.entries],
        }


def content_hash(text: str) -> str:
    """Of the words, so a re-paste with other line breaks is the same article."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def read_article(
    *, text: str, published: date, outlet: Outlet | None = None, url: str | None = None, title: str | None = None,
    storyline: Storyline | None = None, by=None, now: datetime | None = None, zone: str = "UTC",
) -> Reading:
    """Read `text`, published on `published`, into proposals (see the module's docstring)."""
    by = SYSTEM if by is None else by
    now = now or dj_timezone.now()
    text, published, url, title = _checked(text=text, published=published, url=url, title=title, outlet=outlet,
                                           storyline=storyline, zone=zone, by=by, now=now)
    digest = content_hash(text)
    found = ArticleReading.objects.filter(content_hash=digest, url=url or "").first()
    if found is not None:
        return _answer(found)
    try:
        with transaction.atomic():
            source = _source(text=text, digest=digest, url=url, title=title, outlet=outlet, published=published,
                             zone=zone)
            article = ArticleReading.objects.create(
                content_hash=digest, url=url or "", title=title or "", published=published, outlet=outlet,
                source=source, storyline=storyline, zone=zone, read_at=now, text=text,
                read_by_user=by_fields(by)["by_user"], read_by_label=by_fields(by)["by_label"],
            )
            reading = Reading(article=article)
            drafts = read(text, published=published, actors=ActorIndex.of_record(),
                          times=find_times(text, published=published, tz=zone), tz=zone)
            pool = matching.Pool()
            _apply(drafts, reading, pool=pool, by=by, now=now)
            pool.settle()
            article.outcome = [_stored(entry) for entry in reading.entries]
            article.save(update_fields=["outcome"])
    except IntegrityError:
        # Someone read the same article at the same moment and committed first.
        found = ArticleReading.objects.filter(content_hash=digest, url=url or "").first()
        if found is None:
            raise
        return _answer(found)
    return reading


def _checked(*, text, published, url, title, outlet, storyline, zone, by, now):
    errors: dict[str, list[str]] = {}
    if not isinstance(text, str) or not text.strip():
        errors["text"] = ["Paste the article's text."]
    elif len(text) > TEXT_LIMIT:
        errors["text"] = [f"At most {TEXT_LIMIT} characters."]
    if isinstance(published, datetime):
        published = published.date()
    if not isinstance(published, date):
        errors["published"] = ["Give the publication date (YYYY-MM-DD)."]
    url = (url or "").strip() or None
    if url is not None:
        try:
            URLValidator(schemes=["http", "https"])(url)
            if len(url) > Source._meta.get_field("url").max_length:
                raise ValidationError("too long")
        except ValidationError:
            errors["url"] = ["Not a web address (http or https, at most 500 characters)."]
    title = (title or "").strip() or None
    if title and len(title) > Source._meta.get_field("title").max_length:
        errors["title"] = ["At most 300 characters."]
    if outlet is not None and not isinstance(outlet, Outlet):
        errors["outlet"] = ["Must be an outlet."]
    if storyline is not None and not isinstance(storyline, Storyline):
        errors["storyline"] = ["Must be a storyline."]
    if not is_zone_name(zone):
        errors["zone"] = [f"Unknown time zone {zone!r}."]
    if not isinstance(now, datetime) or now.tzinfo is None:
        errors["now"] = ["The reading's clock must be a timezone-aware datetime."]
    if errors:
        raise InvalidInput("The article cannot be read.", fields=errors)
    by_fields(by)
    return text, published, url, title


def _source(*, text, digest, url, title, outlet, published, zone) -> Source:
    url = url or PASTED_URL.format(hash=digest)
    existing = Source.objects.filter(url=url).first()
    if existing is not None:
        if outlet is not None and existing.outlet_id == outlet.pk:
            existing.outlet = outlet  # named in every change row's reason: not read again
        return existing
    if outlet is None:
        outlet = Outlet.objects.filter(slug=UNKNOWN_OUTLET["slug"]).first()
        if outlet is None:
            try:
                outlet = services.outlet_create(**UNKNOWN_OUTLET)
            except InvalidInput:  # made meanwhile by a concurrent reading
                outlet = Outlet.objects.get(slug=UNKNOWN_OUTLET["slug"])
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    title = title or (first_line[:297] + "…" if len(first_line) > 300 else first_line)
    published_at = datetime.combine(published, time(0), tzinfo=zone_of(zone))
    try:
        return services.source_create(outlet=outlet, title=title, url=url, published_at=published_at)
    except InvalidInput:
        # A concurrent reading of the same article created it first (its
        # insert held ours until it committed); theirs is the source.
        existing = Source.objects.filter(url=url).first()
        if existing is None:
            raise
        return existing


# -- drafts into the record -------------------------------------------------------------

def _apply(drafts: list[Draft], reading: Reading, *, pool: matching.Pool, by, now) -> None:
    """`pool` holds the candidates for matching, read once for the article
    and told of every item and citation written here, so the next draft is
    matched against them too (two sentences proposing the same thing make
    one item) without reading the record again.

    The citations of items the record already holds are written together
    once every draft is matched (timeline.services.citations_add: a change
    row each, in a few queries for the article); the pool is told of their
    quotes at once, so matching does not depend on when they are written. A
    postponement names its citation, so it is proposed after them."""
    made: dict[int, Item] = {}  # id(draft) -> the item it became (for an expectation's milestone)
    source = reading.article.source
    # A citation that is already there (the same source read again with
    # other text) is returned as it is: its quote is no new text of its item.
    there = set(Citation.objects.filter(source=source).values_list("item_id", "role", "attribution"))
    deferred: list[tuple[Entry, Draft, services.NewCitation]] = []
    for draft in drafts:
        entry = _apply_one(draft, reading, pool=pool, made=made, by=by, now=now)
        if entry.citation is not None:  # a new item, cited at once
            there.add((entry.item.pk, entry.citation.role, entry.citation.attribution))
        else:
            new = services.NewCitation(item=entry.item, role=_role(draft, entry), attribution=draft.attribution,
                                       quote=draft.quote)
            key = (entry.item.pk, new.role, new.attribution.strip())
            if key not in there:
                there.add(key)
                pool.cited(entry.item.pk, new.quote)
            deferred.append((entry, draft, new))
        made[id(draft)] = entry.item
        reading.entries.append(entry)
    cited = services.citations_add(source=source, by=by, now=now, citations=[new for _, _, new in deferred])
    for (entry, draft, _), citation in zip(deferred, cited):
        entry.citation = citation
        if entry.action == POSTPONEMENT:
            entry.change = _propose_postponement(entry.item, draft, reading.article, citation, now=now)


def _role(draft: Draft, entry: Entry) -> str:
    # A new date is a claim to be checked, whatever the sentence's role.
    return Citation.Role.REPORTS_CLAIM if entry.action == POSTPONEMENT else draft.role


def _apply_one(draft: Draft, reading: Reading, *, pool, made, by, now) -> Entry:
    """A matched draft's Entry comes back without its citation (written by
    _apply with the article's others); a new item is cited at once, since
    its holder may be that citation."""
    article = reading.article
    actor_ids = {a.pk for a in draft.actors}
    found = matching.best_match(kind=draft.kind, text=draft.quote, title=draft.title, when=draft.when,
                                actor_ids=actor_ids, storyline=article.storyline, pool=pool)
    if found is not None:
        action = POSTPONEMENT if found.postpone else CITED
        return Entry(draft.sentence.index, draft.kind, action, pool.specific(found.item), dated_by=draft.dated_by,
                     match="; ".join(found.reasons))
    item = _propose(draft, article, made=made, by=by, now=now)
    citation = services.citation_add(item=item, source=article.source, by=by, now=now, role=draft.role,
                                     attribution=draft.attribution, quote=draft.quote)
    if draft.holder_is_attribution:
        item = services.item_edit(item=item, by=by, now=now, holder_citation=citation,
                                  reason="The holder is the source's anonymous attribution.")
    # The object as last written (its revision current), for a later draft citing it.
    pool.added(item, actor_ids=actor_ids, storyline_ids=[article.storyline_id] if article.storyline_id else [],
               quotes=[citation.quote])
    return Entry(draft.sentence.index, draft.kind, CREATED, item, citation, dated_by=draft.dated_by)


def _propose(draft: Draft, article: ArticleReading, *, made, by, now) -> Item:
    fields = draft.expectation_fields()
    if draft.kind == EXPECTATION and draft.about is not None:
        about = made.get(id(draft.about))
        if isinstance(about, Milestone) and about.status in Item.OPEN_STATUSES:
            fields["about_milestone"] = about
    if fields.get("holder") is None:
        fields.pop("holder", None)
    dated = {"text": "", "reaction": " Dated around the article: a reply it reports without a date.",
             "lead": " Dated by the article's lead: a forecast judged within the horizon it discusses.",
             "": ""}[draft.dated_by]
    return services.item_create(
        kind=draft.kind, by=by, now=now, title=draft.title, when=draft.when, as_of=article.published,
        storylines=[article.storyline] if article.storyline else [], actors=draft.actors,
        editorial_state=Item.EditorialState.PROPOSED, place=draft.place,
        reason=f"Proposed from {article.source} (sentence {draft.sentence.index + 1}).{dated}",
        **fields,
    )


def _propose_postponement(item, draft: Draft, article: ArticleReading, citation, *, now) -> ProposedChange:
    """One pending postponement per milestone and new When: a second article
    reporting the same new date adds its citation, not a second decision."""
    waiting = ProposedChange.objects.filter(item=item, kind=ProposedChange.Kind.POSTPONE,
                                            state=ProposedChange.State.PENDING)
    same = next((c for c in waiting if matching.windows_overlap(c.new_when, draft.when)), None)
    if same is not None:
        return same
    change, _ = ProposedChange.objects.get_or_create(
        reading=article, item=item, kind=ProposedChange.Kind.POSTPONE,
        defaults={"when": draft.when.as_dict(), "as_of": article.published, "citation": citation,
                  "quote": draft.quote, "item_revision": item.revision, "proposed_at": now},
    )
    return change


# -- answers ----------------------------------------------------------------------------

def _stored(entry: Entry) -> dict:
    return {"sentence": entry.sentence, "kind": entry.kind, "action": entry.action, "item": entry.item.pk,
            "citation": entry.citation.pk if entry.citation else None,
            "change": entry.change.pk if entry.change else None, "dated_by": entry.dated_by,
            "match": entry.match}


def _answer(article: ArticleReading) -> Reading:
    """The first reading's answer, from what it stored."""
    items = {i.pk: i.specific() for i in Item.objects.filter(pk__in=[e["item"] for e in article.outcome])}
    citations = Citation.objects.in_bulk([e["citation"] for e in article.outcome if e["citation"]])
    changes = ProposedChange.objects.in_bulk([e["change"] for e in article.outcome if e["change"]])
    entries = [Entry(e["sentence"], e["kind"], e["action"], items[e["item"]], citations.get(e["citation"]),
                     changes.get(e["change"]), e["dated_by"], e["match"]) for e in article.outcome]
    return Reading(article=article, entries=entries, already_read=True)


# -- the editor's decisions on proposed changes --------------------------------------------

def proposed_change_accept(*, change: ProposedChange, by, now: datetime, note: str = "") -> ProposedChange:
    """Postpone the milestone to the reported When, through milestone_postpone
    (its change log, reminders and news are the record's own)."""
    with transaction.atomic():  # a refused postponement leaves the change pending
        _decide(change, ProposedChange.State.ACCEPTED, by=by, now=now, note=note)
        milestone = Milestone.objects.get(pk=change.item_id)
        source = change.reading.source
        services.milestone_postpone(
            milestone=milestone, by=by, now=now, when=change.new_when, as_of=change.as_of,
            reason=note or f"Reported by {source} ({source.url}); accepted from the review queue.",
            public_note=f"Now {change.new_when.display()}, as reported by {source.outlet.name}.",
        )
    return change


def proposed_change_reject(*, change: ProposedChange, by, now: datetime, note: str = "") -> ProposedChange:
    _decide(change, ProposedChange.State.REJECTED, by=by, now=now, note=note)
    return change


def _decide(change: ProposedChange, state: str, *, by, now, note) -> None:
    """A conditional UPDATE, so two editors cannot both decide it. Must run in
    the caller's transaction when more follows (accept opens one)."""
    who = by_fields(by)
    with transaction.atomic():
        won = ProposedChange.objects.filter(pk=change.pk, state=ProposedChange.State.PENDING).update(
            state=state, decided_at=now, decided_by_user=who["by_user"], decided_by_label=who["by_label"],
            note=note.strip(),
        )
        if won != 1:
            change.refresh_from_db()
            raise TransitionNotAllowed(f"This proposed change was already {change.state}.",
                                       current_status=change.state)
    change.refresh_from_db()
