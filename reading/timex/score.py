"""Scoring a tagger's TimeML files against gold ones, TempEval-3 style.

- extent: a system timex matches a gold one strictly when both offsets are
  equal, relaxed when they overlap; each timex matches at most one other
  (pairs taken by largest overlap first). Precision is matches / system
  timexes, recall matches / gold timexes, F1 their harmonic mean.
- value and type: over the relaxed matches, a pair is correct when the
  attribute is equal. Accuracy is correct / matches; F1 takes precision as
  correct / system timexes and recall as correct / gold timexes (so a missed
  or spurious timex counts against it, as in TempEval-3).
- The document creation time is not scored: only timexes inside <TEXT> are
  read (timeml.read), and the DCT lives outside it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import timeml


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Tally:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0
    documents: int = 0
    # (category, gold text, gold value, system text, system value) for error listings
    errors: list = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name in ("gold", "system", "strict", "relaxed", "value", "type", "documents"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)

    def prf(self, correct: int) -> tuple[float, float, float]:
        p = correct / self.system if self.system else 0.0
        r = correct / self.gold if self.gold else 0.0
        return p, r, _f1(p, r)

    def figures(self) -> dict:
        out = {"documents": self.documents, "gold": self.gold, "system": self.system}
        for name in ("strict", "relaxed", "value", "type"):
            p, r, f = self.prf(getattr(self, name))
            out[name] = {"precision": round(100 * p, 2), "recall": round(100 * r, 2), "f1": round(100 * f, 2)}
        for name in ("value", "type"):
            out[name]["accuracy"] = round(100 * getattr(self, name) / self.relaxed, 2) if self.relaxed else 0.0
        return out


def _overlap(a, b) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def match(gold, system) -> list[tuple]:
    """One-to-one relaxed pairs (gold, system), largest overlap first."""
    pairs = sorted(
        ((_overlap(g, s), i, j) for i, g in enumerate(gold) for j, s in enumerate(system) if _overlap(g, s) > 0),
        reverse=True,
    )
    used_g, used_s, out = set(), set(), []
    for _, i, j in pairs:
        if i not in used_g and j not in used_s:
            used_g.add(i)
            used_s.add(j)
            out.append((gold[i], system[j]))
    return sorted(out, key=lambda p: p[0].start)


def score_document(gold, system) -> Tally:
    t = Tally(gold=len(gold), system=len(system), documents=1)
    t.strict = len({(g.start, g.end) for g in gold} & {(s.start, s.end) for s in system})
    pairs = match(gold, system)
    t.relaxed = len(pairs)
    matched_g = {id(g) for g, _ in pairs}
    matched_s = {id(s) for _, s in pairs}
    for g, s in pairs:
        t.value += g.value == s.value
        t.type += g.type == s.type
        if g.value != s.value:
            t.errors.append(("value", g.text, g.type, g.value, s.text, s.type, s.value))
        elif (g.start, g.end) != (s.start, s.end):
            t.errors.append(("extent", g.text, g.type, g.value, s.text, s.type, s.value))
    for g in gold:
        if id(g) not in matched_g:
            t.errors.append(("missed", g.text, g.type, g.value, "", "", ""))
    for s in system:
        if id(s) not in matched_s:
            t.errors.append(("spurious", "", "", "", s.text, s.type, s.value))
    return t


def score_folders(gold_dir, system_dir, *, part: str = "all") -> tuple[Tally, list[str]]:
    """The tally over every gold file (of the part: dev, held-out or all)
    and the names of gold files the system folder lacks (scored as empty)."""
    gold_dir, system_dir = Path(gold_dir), Path(system_dir)
    total, missing = Tally(), []
    system_files = {p.name: p for p in timeml.files(system_dir)}
    for path in timeml.files(gold_dir):
        if part != "all" and timeml.part_of(path.name) != part:
            continue
        gold = timeml.read(path)
        if path.name in system_files:
            system = timeml.read(system_files[path.name]).timexes
        else:
            system, missing = (), missing + [path.name]
        total.add(score_document(list(gold.timexes), list(system)))
    return total, missing


def categories(errors) -> Counter:
    return Counter(e[0] for e in errors)
