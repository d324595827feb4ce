"""The main text of an article page, its title and its publication date.

trafilatura does the work (text, title and date, the date through htmldate,
in one pass over the page). It was chosen over readability-lxml by the
figures on tests/follow/fixtures/pages (docs/reading.md, "Followed feeds"):
both keep nearly every word of a story, but readability dropped a whole post
of the live blog (the newest, the one that matters) while trafilatura's
faults are the other way round, a few lines of boilerplate kept (a paywall's
gate, a donation box). For proposals a missed sentence is a missed date; a
kept line of boilerplate rarely carries one.

Settings, and why:
- favor_precision: on the fixtures it drops link blocks and captions that the
  default keeps, at no loss of story text;
- the date from the page's own metadata only (htmldate's `extensive_search`
  off): the extensive search guesses from any date-like link on the page (an
  archive link "/2025/11" became the date of an undated blog post). No date is
  better than a wrong one: the caller falls back to the feed's, or says it
  used the time the entry was first seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import trafilatura

_DATE_PARAMS = {"extensive_search": False, "original_date": True}
# Fewer words than this is a menu or an error page, not an article (the
# shortest fixture, a paywalled teaser, has 110).
MIN_WORDS = 25


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str
    published: date | None

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def is_article(self) -> bool:
        return self.words >= MIN_WORDS


def extract(page: bytes | str, *, url: str = "") -> Extracted:
    """The article in `page`; an empty text when the page holds none."""
    document = trafilatura.bare_extraction(
        page, url=url or None, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True, date_extraction_params=_DATE_PARAMS,
    )
    if document is None:
        return Extracted(text="", title="", published=None)
    return Extracted(text=(document.text or "").strip(), title=(document.title or "").strip(),
                     published=_date(document.date))


def _date(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
