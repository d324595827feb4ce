"""The hand-off to the article reader: a followed article goes through the
same `reading.services.read_article` as one an editor pastes, so both give
the same proposals (items in the `proposed` state, each citing the Source;
or a citation, or a proposed postponement, on an item the record holds).

What a feed adds, after the reading and in the same transaction:
- its other storylines: read_article files new proposals under one; the rest
  of the feed's are added to each item it created;
- its muted kinds: an item the reading created, of a kind the feed mutes, is
  retracted by the system at once with the reason, so it never waits in the
  queue (nothing is deleted; the change log says why). Only items this
  reading created: a citation added to an item already in the record is
  never undone here.
"""

from __future__ import annotations

from datetime import date, datetime

from timeline import services as timeline
from timeline.models import SYSTEM


def propose(*, text: str, published: date, outlet, url: str, title: str, storylines: list, mutes: set[str],
            now: datetime) -> int:
    """Read `text` into proposals; how many are left for an editor."""
    from reading.services import read_article

    reading = read_article(text=text, published=published, outlet=outlet, url=url, title=title,
                           storyline=storylines[0] if storylines else None, by=SYSTEM, now=now)
    if reading.already_read:
        return len(reading.entries)
    muted = 0
    for entry in reading.created:
        if entry.kind in mutes:
            timeline.item_retract(item=entry.item, by=SYSTEM, now=now,
                                  reason=f"Not wanted: the followed feed of {outlet.name} mutes {entry.kind}s.")
            muted += 1
        elif len(storylines) > 1:
            entry.item = timeline.item_edit(item=entry.item, by=SYSTEM, now=now, storylines=storylines,
                                            reason="Filed under every storyline of the followed feed.")
    return len(reading.entries) - muted
