"""Storylines, actors, outlets, sources and citations: the reference data
items point at. Not items themselves, so no revision; a citation added to or
removed from an item is an edit of that item and is logged as one.

Storylines and actors keep a history of their own (ReferenceChange): each
create or edit says who (`by`), when (`now`) and, optionally, why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models.signals import post_save
from django.utils.text import slugify

from ..exceptions import InvalidInput, StaleRevision
from ..models import Actor, Change, Citation, Item, Outlet, ReferenceChange, Source, Storyline
from ._core import By, apply_change, by_fields, is_public_news, jsonable, require_aware


def _full_clean(obj, *, exclude=()) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=True)
    except ValidationError as exc:
        raise InvalidInput("Some fields are not valid.", fields=exc.message_dict) from None


@dataclass(frozen=True)
class _Logged:
    """Who makes a write of a storyline or an actor, when and why: what its
    history row records."""

    by: dict[str, Any]
    now: datetime
    reason: str

    def write(self, subject, *, kind: str, before: dict, after: dict) -> None:
        ReferenceChange.objects.create(
            **{subject._meta.model_name: subject}, kind=kind, at=self.now, before=before, after=after,
            reason=self.reason.strip(), **self.by,
        )


def _logged(by: By, now: datetime, reason: str) -> _Logged:
    # Checked before anything is written: an unknown `by` writes nothing.
    return _Logged(by=by_fields(by), now=require_aware(now), reason=reason or "")


def _value(value: Any) -> Any:
    # A grace period in whole seconds, so the history reads back exactly.
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    return jsonable(value)


def _snapshot(obj, names) -> dict[str, Any]:
    return {name: _value(getattr(obj, name)) for name in names}


def _create(model, *, unique_field: str = "slug", logged: _Logged | None = None, **fields: Any):
    obj = model(**fields)
    _full_clean(obj)
    try:
        with transaction.atomic():
            obj.save()
            if logged is not None:
                logged.write(obj, kind=ReferenceChange.Kind.CREATED, before={}, after=_snapshot(obj, fields))
    except IntegrityError:
        # A concurrent create got there between the check and the insert.
        value = fields.get(unique_field)
        raise InvalidInput(
            f"A {model._meta.verbose_name} with {unique_field} {value!r} already exists.",
            fields={unique_field: [f"{value!r} is taken."]},
        ) from None
    return obj


def _update(obj, fields: dict[str, Any], allowed: tuple[str, ...], *, logged: _Logged | None = None):
    """Write the fields that differ from the row as it is now (locked, so the
    history's `before` is what was really there); none differing, nothing is
    written, not even a history row. `obj` ends up as the row."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidInput("Unknown fields.", fields={name: ["Not an editable field."] for name in unknown})
    try:
        with transaction.atomic():
            current = type(obj).objects.select_for_update().get(pk=obj.pk)
            changed = {name: value for name, value in fields.items() if getattr(current, name) != value}
            if changed:
                before = _snapshot(current, changed)
                for name, value in changed.items():
                    setattr(current, name, value)
                _full_clean(current)
                current.save(update_fields=list(changed))
                if logged is not None:
                    logged.write(current, kind=ReferenceChange.Kind.EDITED, before=before,
                                 after=_snapshot(current, changed))
    except IntegrityError:
        # A concurrent save took a unique value between the check and the write.
        raise InvalidInput("Another row took one of these values meanwhile; check and save again.") from None
    for name in allowed:
        attname = type(obj)._meta.get_field(name).attname  # outlet_id, not a query for the outlet
        setattr(obj, attname, getattr(current, attname))
    return obj


def storyline_create(
    *, by: By, now: datetime, name: str, slug: str = "", description: str = "",
    grace_period: timedelta | None = None, reason: str = "",
) -> Storyline:
    return _create(Storyline, logged=_logged(by, now, reason), slug=slug or slugify(name), name=name,
                   description=description, grace_period=grace_period)


def storyline_update(*, storyline: Storyline, by: By, now: datetime, reason: str = "", **fields: Any) -> Storyline:
    """Edit a storyline, with a history row of what changed. Its grace period
    decides when the system calls its open expectations missed."""
    return _update(storyline, fields, ("slug", "name", "description", "grace_period"),
                   logged=_logged(by, now, reason))


def actor_create(
    *, by: By, now: datetime, name: str, slug: str = "", kind: str = Actor.Kind.PERSON,
    aliases: list[str] | None = None, description: str = "", reason: str = "",
) -> Actor:
    aliases = _clean_aliases(aliases)
    return _create(Actor, logged=_logged(by, now, reason), slug=slug or slugify(name), name=name, kind=kind,
                   aliases=aliases, description=description)


def actor_update(*, actor: Actor, by: By, now: datetime, reason: str = "", **fields: Any) -> Actor:
    if "aliases" in fields:
        fields["aliases"] = _clean_aliases(fields["aliases"])
    return _update(actor, fields, ("slug", "name", "kind", "aliases", "description"), logged=_logged(by, now, reason))


def _clean_aliases(aliases) -> list[str]:
    if aliases is None:
        return []
    if isinstance(aliases, str) or not all(isinstance(a, str) for a in aliases):
        raise InvalidInput("Aliases are a list of names.", fields={"aliases": ["A list of names."]})
    return list(dict.fromkeys(a.strip() for a in aliases if a.strip()))


def outlet_create(*, name: str, slug: str = "", url: str = "") -> Outlet:
    return _create(Outlet, slug=slug or slugify(name), name=name, url=url)


def outlet_update(*, outlet: Outlet, **fields: Any) -> Outlet:
    return _update(outlet, fields, ("slug", "name", "url"))


def source_create(*, outlet: Outlet, title: str, url: str, published_at: datetime) -> Source:
    if published_at is not None and published_at.tzinfo is None:
        raise InvalidInput("published_at must be timezone-aware.", fields={"published_at": ["Give a time zone."]})
    return _create(Source, unique_field="url", outlet=outlet, title=title, url=url, published_at=published_at)


def source_update(*, source: Source, **fields: Any) -> Source:
    published_at = fields.get("published_at")
    if published_at is not None and published_at.tzinfo is None:
        raise InvalidInput("published_at must be timezone-aware.", fields={"published_at": ["Give a time zone."]})
    return _update(source, fields, ("outlet", "title", "url", "published_at"))


@dataclass(frozen=True)
class NewCitation:
    """One citation for citations_add: `item` cites the source as `role`,
    attributed and quoted as reported. `expected_revision`, when given, is
    the item's revision the caller saw (checked only if a row is written)."""

    item: Item
    role: str = Citation.Role.REPORTS_CLAIM
    attribution: str = ""
    quote: str = ""
    expected_revision: int | None = None


def citation_add(
    *, item: Item, source: Source, by: By, now: datetime, role: str = Citation.Role.REPORTS_CLAIM,
    attribution: str = "", quote: str = "", expected_revision: int | None = None,
) -> Citation:
    [citation] = citations_add(source=source, by=by, now=now, citations=[
        NewCitation(item=item, role=role, attribution=attribution, quote=quote, expected_revision=expected_revision),
    ])
    return citation


def citations_add(*, source: Source, by: By, now: datetime, citations: Iterable[NewCitation]) -> list[Citation]:
    """Cite `source` on items: what citation_add writes for each in turn, in
    a few queries however many there are (an article read into the record
    cites a dozen items at once).

    Each new citation is an edit of its item, logged as one: a change row of
    its own (who, when, which citation) with the revision it made, so an item
    cited twice moves two revisions, as two citation_add calls would, in one
    conditional UPDATE guarded on the revision the caller holds (a stale copy
    of any item raises StaleRevision and nothing is written). Adding a
    citation that is already there (the same item, source, role and
    attribution), or twice in one call, is a retry: the citation there is
    returned and nothing is logged. Returns the citations in the order given;
    the items passed get their new revision and updated_at."""
    require_aware(now)
    who = by_fields(by)  # an unknown `by` writes nothing
    wanted = list(citations)
    rows, checked = [], set()
    for n, new in enumerate(wanted):
        if new.item.pk is None:
            raise InvalidInput("Cite a saved item.", fields={"item": ["The item is not saved."]})
        row = Citation(item=new.item, source=source, role=new.role, attribution=new.attribution.strip(),
                       quote=new.quote.strip())
        # The source is checked once (a query); the unique constraint by the
        # query below. Beyond the item and the source, only the role and the
        # attribution have rules (the quote is free text), so a pair already
        # checked needs no second full_clean.
        if (row.role, row.attribution) not in checked:
            _full_clean(row, exclude=["item"] if n == 0 else ["item", "source"])
            checked.add((row.role, row.attribution))
        rows.append(row)
    if not rows:
        return []

    def key(citation: Citation):
        return citation.item_id, citation.role, citation.attribution

    there = {key(c): c for c in Citation.objects.filter(source=source, item_id__in={r.item_id for r in rows})}
    added: list[tuple[NewCitation, Citation]] = []
    for new, row in zip(wanted, rows):
        if key(row) not in there:
            there[key(row)] = row
            added.append((new, row))
    answer = [there[key(row)] for row in rows]
    if not added:
        return answer

    items: dict[int, list[Item]] = {}  # every object given for an item, so all of them stay current
    for new, _ in added:
        copies = items.setdefault(new.item.pk, [])
        if not any(copy is new.item for copy in copies):
            copies.append(new.item)
        if new.expected_revision is not None and new.expected_revision != new.item.revision:
            raise StaleRevision(expected=new.expected_revision, current=new.item.revision)
    revision = {pk: copies[0].revision for pk, copies in items.items()}
    for pk, copies in items.items():
        stale = next((copy for copy in copies if copy.revision != revision[pk]), None)
        if stale is not None:  # two copies of one item, one behind the other
            raise StaleRevision(expected=min(stale.revision, revision[pk]), current=max(stale.revision, revision[pk]))
    cited = Counter(row.item_id for _, row in added)
    cited_from = str(source)  # the source's name made once, not once per citation
    with transaction.atomic():
        Citation.objects.bulk_create([row for _, row in added])
        won = _revisions_bump(cited, revision, now=now)
        if won != len(items):
            current = dict(Item.objects.filter(pk__in=items).values_list("pk", "revision"))
            pk = next(pk for pk in items if current.get(pk) != revision[pk])
            raise StaleRevision(expected=revision[pk], current=current.get(pk))
        changes, made = [], Counter()
        for new, row in added:
            item = new.item
            made[item.pk] += 1
            changes.append(Change(
                item_id=item.pk, kind=Change.Kind.EDITED, at=now, before={},
                # Never str.format: the name is the outlet's and the article's own text.
                reason=f"Cited {cited_from} ({row.get_role_display()}).",
                after={"citation_added": {"id": row.pk, "source": source.url, "role": row.role,
                                          "attribution": row.attribution}},
                public_note="", revision=revision[item.pk] + made[item.pk], schedule_version=item.schedule_version,
                # Citing moves no editorial state: news when the item is published.
                public=is_public_news(item.editorial_state, item.editorial_state), **who,
            ))
        Change.objects.bulk_create(changes)
        # bulk_create sends no post_save; whoever listens for new change rows
        # (watch queues their processing on commit) hears of these as of any.
        for change in changes:
            post_save.send(sender=Change, instance=change, created=True, raw=False, using=router.db_for_write(Change),
                           update_fields=None)
    for pk, copies in items.items():
        for copy in copies:
            copy.revision, copy.updated_at = revision[pk] + cited[pk], now
    return answer


def _revisions_bump(cited: Counter, revision: dict[int, int], *, now: datetime) -> int:
    """Move each item of `cited` on by its count of new citations, on the
    condition that it still holds `revision[pk]`; how many rows were won.

    One UPDATE written out here rather than through the ORM: building a
    filter of one (pk, revision) pair per item and a CASE of one WHEN per
    item through QuerySet.update cost more CPU than the write itself (a
    dozen items per article read from a feed)."""
    connection = connections[router.db_for_write(Item)]
    quote = connection.ops.quote_name
    table, pk, rev, updated = (quote(n) for n in (Item._meta.db_table, "id", "revision", "updated_at"))
    params: list[Any] = []
    if set(cited.values()) == {1}:
        bump = "1"
    else:
        bump = f"CASE {pk} {' '.join(['WHEN %s THEN %s'] * len(cited))} END"
        for item_pk, count in cited.items():
            params += [item_pk, count]
    params.append(connection.ops.adapt_datetimefield_value(now))
    guard = " OR ".join([f"({pk} = %s AND {rev} = %s)"] * len(cited))
    for item_pk in cited:
        params += [item_pk, revision[item_pk]]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {rev} = {rev} + {bump}, {updated} = %s WHERE {guard}", params)
        return cursor.rowcount


def citation_remove(*, citation: Citation, by: By, now: datetime, reason: str = "",
                    expected_revision: int | None = None) -> None:
    item = citation.item.specific()
    with transaction.atomic():
        apply_change(
            item, kind="edited", by=by, now=now, expected_revision=expected_revision,
            reason=reason or f"Removed the citation of {citation.source}.",
            after_extra={"citation_removed": {"id": citation.pk, "source": citation.source.url,
                                              "role": citation.role, "attribution": citation.attribution}},
        )
        citation.delete()

