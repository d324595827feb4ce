"""Storylines, actors, outlets, sources and citations: the reference data
items point at. Not items themselves, so no revision; a citation added to or
removed from an item is an edit of that item and is logged as one.

Storylines and actors keep a history of their own (ReferenceChange): each
create or edit says who (`by`), when (`now`) and, optionally, why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from ..exceptions import InvalidInput
from ..models import Actor, Citation, Item, Outlet, ReferenceChange, Source, Storyline
from ._core import By, apply_change, by_fields, jsonable, require_aware


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


def citation_add(
    *, item: Item, source: Source, by: By, now: datetime, role: str = Citation.Role.REPORTS_CLAIM,
    attribution: str = "", quote: str = "", expected_revision: int | None = None,
) -> Citation:
    item = item.specific() if type(item) is Item else item
    citation = Citation(item_id=item.pk, source=source, role=role, attribution=attribution.strip(), quote=quote.strip())
    _full_clean(citation, exclude=["item"])
    existing = Citation.objects.filter(item_id=item.pk, source=source, role=role, attribution=citation.attribution).first()
    if existing is not None:
        return existing  # adding the same citation twice is a retry, not a second citation
    with transaction.atomic():
        citation.save()
        apply_change(
            item, kind="edited", by=by, now=now, expected_revision=expected_revision,
            reason=f"Cited {source} ({citation.get_role_display()}).",
            after_extra={"citation_added": {"id": citation.pk, "source": source.url, "role": role,
                                            "attribution": citation.attribution}},
        )
    return citation


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

