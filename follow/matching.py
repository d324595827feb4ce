"""Whether an article is one a feed's filter lets through: it mentions one
of the feed's keywords, or one of its actors by name or alias. Whole words,
case ignored ("Iran" is not found in "Iranian"; "IRGC" is found in "the
IRGC's"). A feed without keywords or actors lets everything through."""

from __future__ import annotations

import re
from collections.abc import Iterable


def _pattern(terms: Iterable[str]) -> re.Pattern | None:
    terms = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")(?!\w)", re.IGNORECASE)


def first_match(text: str, *, keywords: Iterable[str], actors: Iterable) -> str | None:
    """The first keyword or actor name found in `text`, or None."""
    names = list(keywords)
    for actor in actors:
        names.append(actor.name)
        names.extend(actor.aliases or [])
    pattern = _pattern(names)
    if pattern is None:
        return ""
    found = pattern.search(text)
    return found.group(0) if found else None
