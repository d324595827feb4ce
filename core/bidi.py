"""Bidi controls in text people typed: isolated in HTML, removed from one-line headers.

A right-to-left override (U+202E) reorders everything after it up to the end
of the paragraph: "Invoice \u202egpj.exe" reads "Invoice exe.jpg", and a title
holding one would also reverse the date and status printed after it. The
embeddings, overrides and isolates below are what can do that; the marks
(U+200E, U+200F) only nudge the characters beside them and stay.

- In HTML, text that holds one is wrapped in <bdi> (templatetag `isolate` of
  core/templatetags/site.py): the browser ends the override at the element's
  end, so it cannot reach past the field, while the words stay as typed (a
  Hebrew or Arabic name may carry a control on purpose).
- In a mail Subject, a calendar's name and other one-line headers nothing can
  isolate, so `strip_bidi_controls` removes them there.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROLS = re.compile(f"[{BIDI_CONTROLS}]")


def has_bidi_controls(text: str) -> bool:
    return bool(_CONTROLS.search(text or ""))


def strip_bidi_controls(text: str) -> str:
    return _CONTROLS.sub("", text or "")
