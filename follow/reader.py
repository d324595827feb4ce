"""The hand-off to the article reader: a followed article goes through the
same `reading.services.read_article` as one an editor pastes, so both give
the same proposals (items in the `proposed` state, each citing the Source).

What this adds for a feed: the feed's storylines, and its muted kinds.
"""

from __future__ import annotations

from datetime import date, datetime


def propose(*, text: str, published: date, outlet, url: str, title: str, storylines: list, mutes: set[str],
            now: datetime) -> int:
    """Read `text` into proposals; how many the reading made."""
    from reading.services import read_article

    reading = read_article(text=text, published=published, outlet=outlet, url=url, title=title,
                           storyline=storylines[0] if storylines else None, by="system", now=now)
    return len(getattr(reading, "proposals", ()) or ())
