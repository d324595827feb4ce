"""Storylines, actors, outlets, sources and citations: the reference data
items point at. Not items themselves, so no revision; a citation added to or
removed from an item is an edit of that item and is logged as one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from ..exceptions import InvalidInput
from ..models import Actor, Citation, Item, Outlet, Source, Storyline
from ._core import By, apply_change


def _full_clean(obj, *, exclude=()) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=True)
    except ValidationError as exc:
        raise InvalidInput("Some fields are not valid.", fields=exc.message_dict) from None


def _create(model, *, unique_field: str = "slug", **fields: Any):
    obj = model(**fields)
    _full_clean(obj)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        # A concurrent create got there between the check and the insert.
        value = fields.get(unique_field)
        raise InvalidInput(
            f"A {model._meta.verbose_name} with {unique_field} {value!r} already exists.",
            fields={unique_field: [f"{value!r} is taken."]},
        ) from None
    return obj


def _update(obj, fields: dict[str, Any], allowed: tuple[str, ...]):
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidInput("Unknown fields.", fields={name: ["Not an editable field."] for name in unknown})
    for name, value in fields.items():
        setattr(obj, name, value)
    _full_clean(obj)
    try:
        with transaction.atomic():
            obj.save(update_fields=list(fields))
    except IntegrityError:
        # A concurrent save took a unique value between the check and the write.
        raise InvalidInput("Another row took one of these values meanwhile; check and save again.") from None
    return obj


def storyline_create(*, name: str, slug: str = "", description: str = "", grace_period: timedelta | None = None) -> Storyline:
    return _create(Storyline, slug=slug or slugify(name), name=name, description=description, grace_period=grace_period)


def storyline_update(*, storyline: Storyline, **fields: Any) -> Storyline:
    return _update(storyline, fields, ("slug", "name", "description", "grace_period"))


def actor_create(*, name: str, slug: str = "", kind: str = Actor.Kind.PERSON, aliases: list[str] | None = None,
                 description: str = "") -> Actor:
    aliases = _clean_aliases(aliases)
    return _create(Actor, slug=slug or slugify(name), name=name, kind=kind, aliases=aliases, description=description)


def actor_update(*, actor: Actor, **fields: Any) -> Actor:
    if "aliases" in fields:
        fields["aliases"] = _clean_aliases(fields["aliases"])
    return _update(actor, fields, ("slug", "name", "kind", "aliases", "description"))


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

