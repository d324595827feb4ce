"""The attack strings tried in every text field (tests/attacks/test_injection.py).

Each carries the marker `fwx` so a check can tell our payload from the
site's own markup. The ones a field may hold are stored and must come back
inert everywhere; the ones no field may hold (NUL, oversized) must be refused
with a 400 before anything is stored.
"""

MARKER = "fwx"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "txt.exe" shown as "exe.txt"

STORED = {
    "script tag": f"<script>alert('{MARKER}')</script>",
    "script, closing a title first": f"</title></textarea><script>alert('{MARKER}')</script>",
    "event handler attribute": f'<img src=x onerror="alert(\'{MARKER}\')">',
    "attribute breakout": f'" autofocus onfocus="alert(\'{MARKER}\')" x="',
    "single-quoted breakout": f"' onmouseover='alert(1)' data-{MARKER}='",
    "javascript url": f"javascript:alert('{MARKER}')",
    "svg onload": f"<svg/onload=alert('{MARKER}')>",
    "template syntax": f"{{{{ settings.SECRET_KEY }}}}{{% debug %}}{MARKER}",
    "CRLF header injection": f"News {MARKER}\r\nBcc: victim@example.org\r\nX-Injected: 1",
    "ICS property injection": f"Talks {MARKER}\r\nATTENDEE:mailto:victim@example.org\r\nEND:VEVENT",
    "ICS folded line": f"Talks {MARKER}\n DESCRIPTION:injected",
    "XML entity": f"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>&e; {MARKER}",
    "JSON breakout": f'"}}, "headline": "{MARKER}", "x": {{"',
    "bidi override": f"Invoice {RLO}gpj.exe {MARKER}",
    "bidi isolates": f"\u2067{MARKER}\u2069 \u202bembedded\u202c \u202dleft\u202c",
    "SQL": f"'; DROP TABLE timeline_item; -- {MARKER}",
}

REFUSED = {
    "NUL byte": f"before\x00after {MARKER}",
    "1 MB string": MARKER + "A" * 1_000_000,
}

# The bidi controls that reorder what follows them (embeddings, overrides,
# isolates). Marks (U+200E, U+200F) only nudge one position and are harmless.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
