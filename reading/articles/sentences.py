"""Cutting an article into sentences, each with its place in the text.

pysbd (rule-based sentence boundary disambiguation) knows that "U.S.",
"Jan." and a full stop inside closing quotes do not end a sentence the way a
naive split on ". " would. Each sentence keeps its character offsets, so a
time expression the tagger found in the whole text is placed in its sentence.

A lead-in label ("Why it matters:", "Zoom out:", "What's next:") is a device
of the page, not part of what the sentence says: it is kept apart (`label`)
so that neither a title nor a cue is read from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd

# Up to six words and no comma before a colon at the very start of a sentence.
LABEL = re.compile(r"^(?P<label>[A-Z][\w'’]*(?:[ -][\w'’]+){0,5}):\s+(?=\S)")


@dataclass(frozen=True)
class Sentence:
    index: int  # 0-based, in the order of the text
    start: int  # offsets into the text read
    end: int
    text: str  # as written, stripped of surrounding whitespace
    label: str = ""  # the lead-in label, without its colon
    body_start: int = 0  # offset of what follows the label, into the text read

    @property
    def body(self) -> str:
        """What the sentence says, without its label."""
        return self.text[self.body_start - self.start:] if self.body_start else self.text

    def holds(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


# pysbd's abbreviation pass costs more than linear time in the length of
# what it is given: it is given one paragraph at a time, and a paragraph
# longer than this (pasted text without line breaks) in pieces cut after a
# full stop and a space.
PIECE = 4000
_PARAGRAPH = re.compile(r"[^\n]+")


def _pieces(text: str):
    """(offset, piece) of each paragraph, long ones cut after ". "."""
    for paragraph in _PARAGRAPH.finditer(text):
        start, chunk = paragraph.start(), paragraph.group()
        while len(chunk) > PIECE:
            cut = chunk.rfind(". ", 0, PIECE)
            cut = cut + 2 if cut > 0 else PIECE
            yield start, chunk[:cut]
            start, chunk = start + cut, chunk[cut:]
        if chunk.strip():
            yield start, chunk


def split(text: str) -> list[Sentence]:
    sentences = []
    for offset, piece in _pieces(text):
        sentences += _split_piece(piece, offset, first_index=len(sentences))
    return sentences


def _split_piece(text: str, offset: int, *, first_index: int) -> list[Sentence]:
    sentences = []
    for span in _segmenter().segment(text):
        raw = span.sent
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if not stripped:
            continue
        start = offset + span.start + lead
        end = start + len(stripped)
        label, body_start = "", 0
        match = LABEL.match(stripped)
        if match:
            label, body_start = match.group("label"), start + match.end()
        sentences.append(Sentence(index=first_index + len(sentences), start=start, end=end, text=stripped,
                                  label=label, body_start=body_start))
    return sentences
