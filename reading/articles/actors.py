"""Which known actors a sentence names, by their names and aliases.

Names are matched as written (case-sensitive, on word boundaries), longest
first, and a stretch of text names one actor at most: "Iran's Revolutionary
Guards" is the IRGC, and the "Iran" inside it is not read again. Matching
case-sensitively is what keeps the alias "US" from matching the "us" of "he
gave us room".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from timeline.models import Actor


@dataclass(frozen=True)
class Mention:
    actor: Actor
    start: int  # offsets into the text searched
    end: int
    text: str


class ActorIndex:
    def __init__(self, actors: Iterable[Actor]):
        names: list[tuple[str, Actor]] = []
        for actor in actors:
            for name in dict.fromkeys([actor.name, *(actor.aliases or [])]):
                if name and name.strip():
                    names.append((name.strip(), actor))
        # Longest first, so the longer name claims its stretch of text.
        names.sort(key=lambda pair: -len(pair[0]))
        self._patterns = [(re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)"), actor) for name, actor in names]

    @classmethod
    def of_record(cls) -> ActorIndex:
        return cls(Actor.objects.all())

    def mentions(self, text: str) -> list[Mention]:
        taken: list[tuple[int, int]] = []
        found: list[Mention] = []
        for pattern, actor in self._patterns:
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(start < t_end and t_start < end for t_start, t_end in taken):
                    continue
                taken.append((start, end))
                found.append(Mention(actor, start, end, match.group()))
        return sorted(found, key=lambda m: m.start)

    def actors(self, text: str) -> list[Actor]:
        """The actors named, each once, in the order of their first mention."""
        seen: dict[int, Actor] = {}
        for mention in self.mentions(text):
            seen.setdefault(mention.actor.pk, mention.actor)
        return list(seen.values())
