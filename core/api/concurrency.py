"""ETags from a row's revision, and If-Match turned into the revision a
service expects.

For any row with a `public_id` (a UUID) and a `revision` that every write
bumps (the record's items), `"<public_id>-r<revision>"` names exactly one
state of one row. A client sends it back in If-Match; the view hands the
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

from django.utils.http import parse_etags

from core.errors import StaleRevision, TransitionNotAllowed

from .errors import APIError, PreconditionFailed

HEADER = "If-Match"
_OURS = re.compile(r"^(?P<public_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-r(?P<revision>[0-9]{1,9})$")


def etag(public_id, revision: int) -> str:
    return f'"{public_id}-r{revision}"'


def etag_of(row) -> str:
    """The ETag of a row with a public_id and a revision."""
    return etag(row.public_id, row.revision)


def entity_tags(header: str) -> list[str]:
    """The opaque tags of an If-Match list (["*"] for `*`), or APIError if it
    is not one. Weak tags count as strong: a revision names one state
    exactly, and some proxies weaken the ETags they pass on."""
    if header.strip() == "*":
        return ["*"]
    # parse_etags keeps the elements it can read and drops the rest; an
    # element dropped is a header we cannot honour, so it is refused. Empty
    # elements ("a, , b") are ignored, as RFC 9110's list syntax asks.
    elements = [element for element in header.split(",") if element.strip()]
    if not elements:
        raise APIError("If-Match is empty.", fields={HEADER: ["Send the ETag you read, or leave the header out."]})
    tags = parse_etags(header)
    if len(tags) != len(elements):
        raise APIError(
            "If-Match is not a list of entity tags.",
            fields={HEADER: ['Send the ETag you read, in double quotes: "<public_id>-r<revision>".']},
        )
    return [tag.removeprefix("W/")[1:-1] for tag in tags]


def expected_revision(request, row) -> int | None:
    """The revision If-Match asks the write to apply to, None without one.

    `*` asks only that the row exists, which the lookup already proved. A
    list of tags matches if any of them is for this row; the revision handed
    on is the listed one equal to the row's (so a stale list still fails in
    the service), else the newest listed.
    """
    header = request.headers.get(HEADER)
    if header is None:
        return None
    tags = entity_tags(header)
    if tags == ["*"]:
        return None
    revisions = []
    for opaque in tags:
        ours = _OURS.match(opaque.lower())
        if ours and ours.group("public_id") == str(row.public_id):
            revisions.append(int(ours.group("revision")))
    if not revisions:
        raise PreconditionFailed(
            "If-Match names no revision of this item.",
            fields={HEADER: ["None of the entity tags is this item's."]},
            current={"revision": row.revision, "etag": etag_of(row)},
        )
    return row.revision if row.revision in revisions else max(revisions)


@contextmanager
def explains_conflicts(row) -> Iterator[None]:
    """Add the row's revision and ETag to the `current` of a 409 or 412
    raised inside, so the caller can re-read or retry without guessing."""
    try:
        yield
    except TransitionNotAllowed as exc:
        exc.api_current = {"revision": row.revision, "etag": etag_of(row)}
        raise
    except StaleRevision as exc:
        exc.api_current = {"etag": etag(row.public_id, exc.current) if exc.current is not None else None}
        raise
