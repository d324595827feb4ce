"""Our sentence splitter (reading/articles/sentences.py) cuts as pysbd, the
splitter it replaced, cuts: over the fixtures (the followed pages' marked
text, the example article, the texts the reading tests read) and the 256
TempEval-3 training texts (read from ../shared, never copied in), each
sentence of pysbd's must be one of ours, except the few listed below, each
with the reason ours is the better cut. docs/reading.md gives the figure.

pysbd stays a development requirement for this test only."""

import ast
import re
from pathlib import Path

import pysbd
import pytest
from django.conf import settings

from reading.articles.sentences import split
from reading.timex import timeml

ROOT = settings.BASE_DIR
SHARED = settings.BASE_DIR.parent / "shared"
# Texts the reading tests read as articles: their string literals, docstrings left out.
READING_TESTS = ("test_read_sentences.py", "test_matching_fixtures.py", "test_matching_rules.py")

# pysbd's sentences that are not ours, by document, with ours in their place.
# Each one is pysbd's mistake (docs/reading.md, "Sentences: where we differ from pysbd").
DIFFERENCES = {
    # "me" is an abbreviation (Maine) in pysbd's list, so its first stop is taken for the abbreviation's
    # and the ellipsis is not seen: pysbd cuts "to me.." / "." / "she is ..."; an ellipsis before a small
    # letter ends nothing.
    "APW19980213.1310.tml": (
        ["``It's no secret that she's indicated to me..", ".",
         "she is a 20th century democrat, understands that the role of the crown in Australia rests in the hands "
         "of the Australian people as it has for almost a hundred years."],
        ["``It's no secret that she's indicated to me... she is a 20th century democrat, understands that the role "
         "of the crown in Australia rests in the hands of the Australian people as it has for almost a hundred "
         "years."]),
    # pysbd ends a sentence after "a.m." or "p.m." before any capital; the day, month or zone of the time
    # is not a new sentence (and the tagger's "10 p.m. Wednesday" is then in one sentence).
    "APW19980213.1380.tml": (
        ["Hernandez was kidnapped from his small, neighborhood store in the town of Trujillo Alto at 10 p.m.",
         "Wednesday, police said."],
        ["Hernandez was kidnapped from his small, neighborhood store in the town of Trujillo Alto at 10 p.m. "
         "Wednesday, police said."]),
    "wsj_0152.tml": (
        ["Dow Jones amp Co. said it extended its $18-a-share offer for Telerate Inc. common stock until 5 p.m.",
         "EST Nov. 9."],
        ["Dow Jones amp Co. said it extended its $18-a-share offer for Telerate Inc. common stock until 5 p.m. EST "
         "Nov. 9."]),
    "wsj_0542.tml": (
        ["Dow Jones amp Co. extended its tender offer of $18 a share, or about $576 million, for the 33% of "
         "Telerate Inc. that it doesn't already own until 5 p.m.", "EST, Nov. 6."],
        ["Dow Jones amp Co. extended its tender offer of $18 a share, or about $576 million, for the 33% of "
         "Telerate Inc. that it doesn't already own until 5 p.m. EST, Nov. 6."]),
    "APW20000403.0057.tml": (
        ["In its latest deadline, the U.S. Immigration and Naturalization Service has given the Miami relatives "
         "until 9 a.m.",
         "Tuesday to sign a paper promising to turn over the boy to immigration authorities if they lose their "
         "federal court appeal."],
        ["In its latest deadline, the U.S. Immigration and Naturalization Service has given the Miami relatives "
         "until 9 a.m. Tuesday to sign a paper promising to turn over the boy to immigration authorities if they "
         "lose their federal court appeal."]),
    "NYT20000403.0463.tml": (
        ["The family refused to sign the agreement through two days of negotiations, and INS extended its "
         "deadline until 9 a.m.", "EST Tuesday."],
        ["The family refused to sign the agreement through two days of negotiations, and INS extended its "
         "deadline until 9 a.m. EST Tuesday."]),
}


def _literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and id(node) not in docstrings
            and isinstance(node.value, str) and len(node.value) > 30 and " " in node.value]


def corpus() -> list[tuple[str, str]]:
    docs = [(p.name, p.read_text()) for p in sorted((ROOT / "tests" / "follow" / "fixtures" / "pages").glob("*.txt"))]
    docs.append(("seed-article.txt", (SHARED / "examples" / "seed-article.txt").read_text()))
    for name in READING_TESTS:
        docs += [(f"{name}[{n}]", text) for n, text in enumerate(_literals(ROOT / "tests" / "reading" / name))]
    data = SHARED / "data" / "tempeval3-train"
    docs += [(p.name, timeml.read(p).text) for p in timeml.files(data / "TimeBank") + timeml.files(data / "AQUAINT")]
    return docs


_segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)


def pysbd_cuts(text: str) -> list[tuple[int, int]]:
    """pysbd's sentences, a line at a time, stripped, as the reader took them until December 2026."""
    cuts = []
    for line in re.finditer(r"[^\n]+", text):
        for span in _segmenter.segment(line.group()):
            start = line.start() + span.start + len(span.sent) - len(span.sent.lstrip())
            if span.sent.strip():
                cuts.append((start, start + len(span.sent.strip())))
    return cuts


def test_our_sentences_are_pysbds_on_news():
    docs = corpus()
    assert len(docs) > 300
    total = identical = 0
    differences = {}
    for name, text in docs:
        theirs, ours = pysbd_cuts(text), [(s.start, s.end) for s in split(text)]
        total += len(theirs)
        identical += len(set(theirs) & set(ours))
        if set(theirs) != set(ours):
            differences[name] = ([text[a:b] for a, b in sorted(set(theirs) - set(ours))],
                                 [text[a:b] for a, b in sorted(set(ours) - set(theirs))])
    print(f"\n{len(docs)} texts: {identical:,} of pysbd's {total:,} sentences are ours "
          f"({identical / total:.2%}); {len(differences)} texts differ")
    for name, (theirs, ours) in differences.items():
        print(f"{name}: pysbd {theirs}\n{' ' * len(name)}  ours  {ours}")
    assert differences == DIFFERENCES


@pytest.mark.parametrize("text, sentences", [
    # Abbreviations, titles and initials.
    ("The U.S. envoy met Gen. David Petraeus and Sen. Warren on Jan. 23. They spoke.",
     ["The U.S. envoy met Gen. David Petraeus and Sen. Warren on Jan. 23.", "They spoke."]),
    ("George W. Bush and J. R. Smith met Dr. Ahmed at St. Louis. It rained.",
     ["George W. Bush and J. R. Smith met Dr. Ahmed at St. Louis.", "It rained."]),
    ("Acme Inc. reported a loss. Its shares fell.", ["Acme Inc. reported a loss.", "Its shares fell."]),
    ("He was born in the U.K. He left.", ["He was born in the U.K.", "He left."]),
    ("The troops left the U.S. Trump said so.", ["The troops left the U.S. Trump said so."]),
    ("It is No. 2 in the poll. No. It is not.", ["It is No. 2 in the poll.", "No.", "It is not."]),
    # Numbers and dates: pysbd took "23." and "24." for a numbered list and cut before them.
    ("Prices rose 3.5 percent to $4.5 billion. Then they fell.",
     ["Prices rose 3.5 percent to $4.5 billion.", "Then they fell."]),
    ("The summit is on Jan. 23. It ends Jan. 24. Then more.",
     ["The summit is on Jan. 23.", "It ends Jan. 24.", "Then more."]),
    ("The vote is at 9 a.m. Tuesday in Geneva. It starts at 9 a.m. The count follows.",
     ["The vote is at 9 a.m. Tuesday in Geneva.", "It starts at 9 a.m.", "The count follows."]),
    # Quotes, brackets, ellipses.
    ("“We will win. We will not stop,” he said. Then he left.",
     ["“We will win. We will not stop,” he said.", "Then he left."]),
    ("“Why?” she asked. “We will win.” Trump said so.", ["“Why?” she asked.", "“We will win.”", "Trump said so."]),
    ("The talks (held in Oman. Again.) ended. It rained.", ["The talks (held in Oman. Again.) ended.", "It rained."]),
    ("He paused... and went on. It ended... Then it began.",
     ["He paused... and went on.", "It ended...", "Then it began."]),
    ("Really?! Yes. Stop! now, he said.", ["Really?!", "Yes.", "Stop! now, he said."]),
    # A line without a mark is a sentence; a sentence never runs across a line break.
    ("Why it matters\nThe deal holds. For now", ["Why it matters", "The deal holds.", "For now"]),
])
def test_news_cuts(text, sentences):
    cut = split(text)
    assert [s.text for s in cut] == sentences
    assert all(text[s.start:s.end] == s.text for s in cut)
