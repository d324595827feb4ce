"""TimeML files in and out: the document creation time (DCT), the text of
<TEXT> with its tags removed, the gold TIMEX3 in it (with character offsets
into that text), and writing the same file back with our own TIMEX3 tags.

Offsets come from walking <TEXT>'s .text and each child's .tail, so the text
a tagger sees is exactly the text the gold offsets count in. Writing keeps
everything outside <TEXT> as it was, and inside it keeps every other element
(EVENT, SIGNAL) and drops the TIMEX3 tags (their words stay).
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

SUFFIXES = (".tml", ".TE3input")


class TimeMLError(ValueError):
    """A file that is not TimeML we can read: no DCT, no TEXT, bad XML."""


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str
    tid: str = ""


@dataclass(frozen=True)
class Document:
    name: str
    dct_value: str  # as written: 1998-08-07 or 1990-08-15T13:37
    text: str  # the content of <TEXT>, tags removed
    timexes: tuple[GoldTimex, ...]

    @property
    def dct(self) -> date | datetime:
        return parse_dct(self.dct_value)


def parse_dct(value: str) -> date | datetime:
    """A DCT value (1998-08-07, 19980807, 1990-08-15T13:37) as a date or datetime."""
    v = value.strip()
    try:
        if "T" in v:
            return datetime.fromisoformat(v)
        if len(v) == 8 and v.isdigit():
            return date(int(v[:4]), int(v[4:6]), int(v[6:]))
        return date.fromisoformat(v[:10])
    except ValueError:
        raise TimeMLError(f"the DCT value {value!r} is not a date") from None


def _parse(path: Path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as error:
        raise TimeMLError(f"{path.name}: not well-formed XML ({error})") from None


def read(path: str | Path) -> Document:
    path = Path(path)
    root = _parse(path)
    dct_el = root.find(".//DCT/TIMEX3")
    if dct_el is None or not dct_el.get("value"):
        raise TimeMLError(f"{path.name}: no <DCT><TIMEX3 value=...>")
    text_el = root.find(".//TEXT")
    if text_el is None:
        raise TimeMLError(f"{path.name}: no <TEXT>")
    parts: list[str] = []
    found: list[GoldTimex] = []
    pos = 0

    def walk(el):
        nonlocal pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            start = pos
            walk(child)
            if child.tag == "TIMEX3":
                found.append(GoldTimex(start, pos, "", child.get("type", ""), child.get("value", ""),
                                       child.get("tid", "")))
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)

    walk(text_el)
    text = "".join(parts)
    timexes = tuple(GoldTimex(t.start, t.end, text[t.start:t.end], t.type, t.value, t.tid) for t in found)
    parse_dct(dct_el.get("value"))
    return Document(path.name, dct_el.get("value"), text, timexes)


def files(folder: str | Path) -> list[Path]:
    """The TimeML files of a folder (recursively), sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise TimeMLError(f"{folder} is not a folder")
    return sorted((p for p in folder.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES)), key=lambda p: str(p))


def part_of(name: str) -> str:
    """'dev' or 'held-out' for a file name: a fixed ~80/20 split by a hash
    of the name, so that the held-out files are never looked at when tuning."""
    digest = hashlib.sha256(Path(name).name.encode()).digest()
    return "held-out" if digest[0] % 5 == 0 else "dev"


# Writing -------------------------------------------------------------------------

def _attrs(el: ET.Element) -> str:
    return "".join(f" {k}={quoteattr(v)}" for k, v in el.attrib.items())


def _serialise_text(text_el: ET.Element, timexes, text: str) -> str:
    """<TEXT> again: its other elements kept, the old TIMEX3 tags dropped,
    ours inserted at their offsets. A timex that would cross another
    element's boundary (XML cannot overlap) is dropped; one that holds a
    whole element ("a decade <SIGNAL>after</SIGNAL>") or sits inside one is
    kept, nested properly."""
    # Every element as (start, end, rank, open tag, close tag); rank 0 for the
    # file's own elements, 1 for ours, so that where both span the same
    # characters ours is the inner one.
    elements: list[tuple[int, int, int, str, str]] = []
    pos = 0

    def walk(el, keep: bool):
        nonlocal pos
        start = pos
        if el.text:
            pos += len(el.text)
        for child in el:
            walk(child, child.tag != "TIMEX3")
            if child.tail:
                pos += len(child.tail)
        if keep:
            elements.append((start, pos, 0, f"<{el.tag}{_attrs(el)}>", f"</{el.tag}>"))

    if text_el.text:
        pos += len(text_el.text)
    for child in text_el:
        walk(child, child.tag != "TIMEX3")
        if child.tail:
            pos += len(child.tail)

    def crosses(s, e):
        return any(a < s < b < e or s < a < e < b for a, b, *_ in elements)

    ours = sorted((t for t in timexes if not crosses(t.start, t.end)), key=lambda t: (t.start, t.end))
    for i, t in enumerate(ours, start=1):
        mod = getattr(t, "mod", "")
        elements.append((
            t.start, t.end, 1,
            f'<TIMEX3 tid="t{i}" type={quoteattr(t.type)} value={quoteattr(t.value)}'
            + (f" mod={quoteattr(mod)}" if mod else "") + ">",
            "</TIMEX3>",
        ))
    opens: dict[int, list] = {}
    closes: dict[int, list] = {}
    for el in elements:
        opens.setdefault(el[0], []).append(el)
        closes.setdefault(el[1], []).append(el)
    out = []
    for i in range(len(text) + 1):
        # Close the innermost first (the latest start, ours before theirs),
        # then open the outermost first (the furthest end, theirs before ours).
        for el in sorted((e for e in closes.get(i, ()) if e[0] < i), key=lambda e: (-e[0], -e[2])):
            out.append(el[4])
        for el in sorted(opens.get(i, ()), key=lambda e: (-e[1], e[2])):
            out.append(el[3] + (el[4] if el[1] == i else ""))
        if i < len(text):
            out.append(escape(text[i]))
    return "".join(out)


def write(source: str | Path, target: str | Path, timexes) -> None:
    """Write source again as target, with timexes (objects with start, end,
    type, value, optionally mod) as the only TIMEX3 inside <TEXT>."""
    source, target = Path(source), Path(target)
    raw = source.read_text(encoding="utf-8")
    doc = read(source)
    text_el = _parse(source).find(".//TEXT")
    start = raw.find("<TEXT>")
    end = raw.rfind("</TEXT>")
    if start == -1 or end == -1:
        raise TimeMLError(f"{source.name}: <TEXT> is not written as <TEXT>...</TEXT>")
    body = _serialise_text(text_el, timexes, doc.text)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(raw[: start + len("<TEXT>")] + body + raw[end:], encoding="utf-8")
