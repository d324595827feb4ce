"""Reading what a subscriber asked for: the address, the one target, the
kinds of news, a webhook URL. Each problem is filed under the field it
belongs to, so a form or a 400 can point at every one of them at once."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.errors import InvalidInput
from timeline.models import Actor, Item, Storyline

from .. import netguard
from ..models import Subscription

Target = Subscription.Target


def clean_email(*, user, email, needed: bool, errors) -> str:
    address = (email or (getattr(user, "email", "") if user is not None else "") or "").strip().lower()
    if user is None and not address:
        errors["email"] = ["An email address is required."]
        return ""
    if address:
        try:
            validate_email(address)
        except ValidationError:
            errors["email"] = [f"{address!r} is not an email address."]
    elif needed:
        errors["email"] = ["The account has no email address to send to."]
    return address


def resolve_target(storyline, actor, item, everything: bool, errors) -> tuple[str, dict]:
    given = [name for name, value in (("storyline", storyline), ("actor", actor), ("item", item)) if value]
    if everything:
        given.append("everything")
    if len(given) != 1:
        errors["target"] = ["Follow exactly one of: a storyline, an actor, an item, or everything public."]
        return "", {}
    if everything:
        return Target.EVERYTHING, {}
    if storyline:
        found = storyline if isinstance(storyline, Storyline) else Storyline.objects.filter(slug=storyline).first()
        if found is None:
            errors["storyline"] = [f"No storyline {storyline!r}."]
        return Target.STORYLINE, {"storyline": found}
    if actor:
        found = actor if isinstance(actor, Actor) else Actor.objects.filter(slug=actor).first()
        if found is None:
            errors["actor"] = [f"No actor {actor!r}."]
        return Target.ACTOR, {"actor": found}
    found = item if isinstance(item, Item) else _published_item(item)
    if found is None or found.editorial_state != Item.EditorialState.PUBLISHED:
        # Drafts and retracted items are not public: "unknown" for them too,
        # so the answer reveals nothing.
        errors["item"] = [f"No published item {str(item)!r}."]
        found = None
    return Target.ITEM, {"item": found}


def _published_item(public_id: str) -> Item | None:
    try:
        uuid.UUID(str(public_id))
    except ValueError:
        return None
    return Item.objects.filter(public_id=public_id, editorial_state=Item.EditorialState.PUBLISHED).first()


def clean_news(news, errors) -> set[str]:
    if news is None:
        return set(Subscription.NEWS)
    wanted = set([news] if isinstance(news, str) else news)
    unknown = sorted(wanted - set(Subscription.NEWS))
    if unknown:
        errors["news"] = [f"Unknown news {', '.join(unknown)}; one or more of: {', '.join(Subscription.NEWS)}."]
    elif not wanted:
        errors["news"] = ["Choose at least one kind of news."]
    return wanted & set(Subscription.NEWS)


def check_webhook_url(url: str, resolver) -> None:
    try:
        netguard.check_url(url, resolver=resolver)
    except netguard.HostNotResolved as exc:
        raise InvalidInput(str(exc), fields={"webhook_url": [f"{exc} Check the address, or try again later."]}) from None
    except (netguard.InvalidWebhookURL, netguard.AddressNotAllowed) as exc:
        raise InvalidInput(str(exc), fields={"webhook_url": [str(exc)]}) from None


def collect(errors: dict, name: str, check):
    """Run `check`, filing an InvalidInput it raises under `name`."""
    try:
        return check()
    except InvalidInput as exc:
        messages = [m for ms in exc.fields.values() for m in ms] or [exc.message]
        errors.setdefault(name, []).extend(messages)
        return None

