"""ETags from an item's revision, and If-Match turned into the revision a
service expects.

Every write bumps Item.revision, so `"<public_id>-r<revision>"` names exactly
one state of one item. A client sends it back in If-Match; the view hands the
revision to the service as `expected_revision`, and the service's conditional
UPDATE (filtered on that revision) is what refuses a stale write. The view
never compares and then writes: between its read and the service's UPDATE
someone else may write, and only the UPDATE sees that.

A missing If-Match is allowed: the write then applies to the revision the
server reads (last writer wins for a PATCH; a transition still checks the
current status). Clients that care send If-Match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from timeline.exceptions import StaleRevision, TransitionNotAllowed
from timeline.models import Item

from .errors import APIError, PreconditionFailed

_TAG = re.compile(r'\s*(?P<weak>W/)?"(?P<opaque>[^"]*)"\s*(?:,|$)')
_OURS = re.compile(r"^(?P<public_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-r(?P<revision>[0-9]{1,9})$")


def etag(public_id, revision: int) -> str:
    return f'"{public_id}-r{revision}"'


def item_etag(item: Item) -> str:
    return etag(item.public_id, item.revision)


def _entity_tags(header: str) -> list[str]:
    """The opaque tags of an If-Match list, or APIError if it is not one."""
    tags, position = [], 0
    header = header.strip()
    while position < len(header):
        match = _TAG.match(header, position)
        if match is None or match.end() == position:
            raise APIError(
                "If-Match is not a list of entity tags.",
                fields={"If-Match": ['Send the ETag you read, in double quotes: "<public_id>-r<revision>".']},
            )
        # Weak tags are accepted as if strong: a revision names one state
        # exactly, and some proxies weaken the ETags they pass on.
        tags.append(match.group("opaque"))
        position = match.end()
    if not tags:
        raise APIError("If-Match is empty.", fields={"If-Match": ["Send the ETag you read, or leave the header out."]})
    return tags


def expected_revision(request, item: Item) -> int | None:
    """The revision If-Match asks the write to apply to, None without one.

    `*` asks only that the item exists, which the lookup already proved. A
    list of tags matches if any of them is for this item; the revision handed
    on is the listed one equal to the item's (so a stale list still fails in
    the service), else the newest listed.
    """
    header = request.headers.get("If-Match")
    if header is None:
        return None
    if header.strip() == "*":
        return None
    revisions = []
    for opaque in _entity_tags(header):
        ours = _OURS.match(opaque.lower())
        if ours and ours.group("public_id") == str(item.public_id):
            revisions.append(int(ours.group("revision")))
    if not revisions:
        raise PreconditionFailed(
            "If-Match names no revision of this item.",
            fields={"If-Match": ["None of the entity tags is this item's."]},
            current={"revision": item.revision, "etag": item_etag(item)},
        )
    return item.revision if item.revision in revisions else max(revisions)


@contextmanager
def explains_conflicts(item: Item) -> Iterator[None]:
    """Add the item's revision and ETag to the `current` of a 409 or 412
    raised inside, so the caller can re-read or retry without guessing."""
    try:
        yield
    except TransitionNotAllowed as exc:
        exc.api_current = {"revision": item.revision, "etag": item_etag(item)}
        raise
    except StaleRevision as exc:
        exc.api_current = {"etag": etag(item.public_id, exc.current) if exc.current is not None else None}
        raise
