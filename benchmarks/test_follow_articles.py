"""Followed feeds: articles per minute on one core, and extraction accuracy.

Three figures (docs/reading.md, "Followed feeds"):

1. Extraction alone: trafilatura (what follow.extract uses) and, for the
   comparison that chose it, readability-lxml with htmldate for the date,
   over article pages of 600 words in the wire fixture's page (its header,
   cookie banner, read-next and footer around the text), each page different.
2. Extraction and the reader's reading of the text into drafts (the tagger,
   sentences, cues: reading.articles.read), no database: the CPU work of one
   article.
3. The whole sweep in one process on PostgreSQL: a feed of 100 entries on a
   local HTTP server, each page fetched through the guard, extracted, a
   Source made and read_article writing its proposals (items, citations,
   change rows). Timed by the wall clock and by CPU time: this process's
   and its PostgreSQL backend's (from /proc), whose sum is what the path
   costs one core, whatever else the shared machine runs meanwhile; and
   that sum split per article into the text reading (the CPU of the
   functions figure 2 times) and the rest of the path.

Accuracy: the bag of words of each fixture page's extraction against the
text marked as the article (tests/follow/fixtures/pages/*.txt), for both
libraries, and whether the date is right.

readability-lxml is not in the requirements (pip 23's resolver fails on its
lxml extra next to trafilatura's): its figures are recorded when it is
installed by hand (`pip install --no-deps readability-lxml==0.9 cssselect
chardet`), and said to be missing otherwise.

Timing one process, which uses one core. No assertion on speed beyond a
floor far below the figures (a pathological regression), as in the other
benchmarks: the machine is shared and noisy.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from .support import record

PAGES = Path(__file__).resolve().parents[1] / "tests" / "follow" / "fixtures" / "pages"
WORDS = 600
PAGES_TIMED = 200
FLOOR_PER_MINUTE = 100  # a regression guard only; the figures are far above it


def _paragraphs() -> list[str]:
    lines = []
    for gold in sorted(PAGES.glob("*.txt")):
        lines += [line for line in gold.read_text().splitlines() if len(line.split()) > 12]
    return lines


def article_page(n: int) -> tuple[bytes, str]:
    """A 600-word article (paragraphs of the fixtures, in an order of its
    own) inside the wire fixture's page; and its text."""
    paragraphs = _paragraphs()
    chosen, words, k = [], 0, n
    while words < WORDS:
        paragraph = f"{paragraphs[k % len(paragraphs)]} (Item {n}.{len(chosen)}.)"
        chosen.append(paragraph)
        words += len(paragraph.split())
        k += 7
    frame = (PAGES / "wire-iran-talks.html").read_text()
    start, end = frame.index('<div class="article-body">'), frame.index('<p class="sign-off"')
    body = '<div class="article-body">' + "".join(f"<p>{p}</p>\n" for p in chosen)
    return (frame[:start] + body + frame[end:]).encode(), "\n".join(chosen)


def _readability(page: bytes) -> tuple[str, date | None]:
    import lxml.html
    from htmldate import find_date
    from readability import Document

    text = lxml.html.fromstring(Document(page).summary()).text_content()
    found = find_date(page.decode("utf-8", "replace"), extensive_search=False, original_date=True)
    return text, date.fromisoformat(found) if found else None


def _trafilatura(page: bytes) -> tuple[str, date | None]:
    from follow.extract import extract

    extracted = extract(page)
    return extracted.text, extracted.published


def _extractors():
    try:
        import readability  # noqa: F401
    except ImportError:
        record("readability-lxml is not installed: no comparison this run (see this file's docstring)")
        return (("trafilatura", _trafilatura),)
    return (("trafilatura", _trafilatura), ("readability-lxml + htmldate", _readability))


def _per_minute(work, items) -> float:
    started = time.perf_counter()
    for item in items:
        work(item)
    return len(items) / (time.perf_counter() - started) * 60


def _words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def test_follow_extraction_accuracy_on_the_fixtures():
    import json

    expected = json.loads((PAGES / "expected.json").read_text())
    for name, extractor in _extractors():
        cells, f1s, dates = [], [], 0
        for page in sorted(PAGES.glob("*.html")):
            text, found = extractor(page.read_bytes())
            got, gold = _words(text), _words(page.with_suffix(".txt").read_text())
            common = sum((got & gold).values())
            precision, recall = common / max(1, sum(got.values())), common / max(1, sum(gold.values()))
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0
            f1s.append(f1)
            right = (found.isoformat() if found else None) == expected[page.stem]["published"]
            dates += right
            cells.append(f"{page.stem} P {precision:.2f} R {recall:.2f}{'' if right else ' (date wrong)'}")
        record(f"Extraction accuracy, {name} | mean F1 {sum(f1s) / len(f1s):.3f}, dates right {dates}/{len(f1s)} | "
               + "; ".join(cells))
        if name == "trafilatura":
            assert sum(f1s) / len(f1s) > 0.85


def test_follow_extraction_throughput():
    pages = [article_page(n) for n in range(PAGES_TIMED)]
    assert all(len(text.split()) >= WORDS for _, text in pages)
    rates = {}
    for name, extractor in _extractors():
        extractor(pages[0][0])  # imports and caches warmed
        rates[name] = _per_minute(lambda p: extractor(p[0]), pages)
        record(f"Extraction, {name} | {PAGES_TIMED} pages of {WORDS} words | {rates[name]:,.0f} articles/min")

    from follow.extract import extract
    from reading.articles import read
    from reading.articles.actors import ActorIndex
    from reading.articles.times import find_times

    actors = ActorIndex([])
    published = date(2026, 1, 8)

    def extract_and_read(page):
        text = extract(page[0]).text
        read(text, published=published, actors=actors, times=find_times(text, published=published))

    extract_and_read(pages[0])
    cpu = time.process_time()
    both = _per_minute(extract_and_read, pages)
    cpu = (time.process_time() - cpu) / PAGES_TIMED  # the neighbours' load does not count in it
    record(f"Extraction + reading into drafts (no database) | {PAGES_TIMED} pages of {WORDS} words | "
           f"{both:,.0f} articles/min; CPU {cpu * 1000:.1f} ms an article, {60 / cpu:,.0f} a minute on one core")
    assert rates["trafilatura"] > FLOOR_PER_MINUTE and both > FLOOR_PER_MINUTE


@pytest.fixture
def local_outlet(settings):
    from tests.follow.support import Outlet

    settings.FW_FOLLOW_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    server = Outlet().start()
    yield server
    server.stop()


def _backend_cpu():
    """The CPU seconds (user + system) the PostgreSQL backend serving this
    connection has used, read from /proc: on a shared machine the wall clock
    counts the neighbours' work too, CPU time only ours. A server elsewhere
    (or no /proc) counts as zero, and the figure says so by being the
    process's alone."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    ticks = os.sysconf("SC_CLK_TCK")

    def seconds() -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / ticks  # utime and stime, fields 14 and 15 of stat

    return seconds


def _text_reading_cpu(monkeypatch) -> list[float]:
    """The CPU seconds the sweep spends reading text (trafilatura's
    extraction, the tagger, the reading into drafts: what the figure with no
    database measures), summed as it goes in the one-item list returned, so
    the rest of the path (the poll, the claim, the fetch, the Source, the
    matcher, the writes) is the whole minus this. The functions are wrapped,
    not replaced: they run as in any sweep."""
    import follow.services.articles as follow_articles
    import reading.services as reading_services

    spent = [0.0]

    def timed(function):
        def timed_function(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.process_time() - started
        return timed_function

    for module, name in ((follow_articles, "extract"), (reading_services, "read"), (reading_services, "find_times")):
        monkeypatch.setattr(module, name, timed(getattr(module, name)))
    return spent


def test_follow_sweep_throughput(machine, local_outlet, monkeypatch):
    from follow import services
    from follow.models import Article
    from timeline import services as timeline
    from timeline.models import Item

    count = 100
    items = []
    for n in range(count):
        page, _ = article_page(1000 + n)
        local_outlet.set(f"/pages/bench-{n}.html", page)
        items.append(f"<item><title>Story {n}</title><link>{local_outlet.url(f'/pages/bench-{n}.html')}</link>"
                     f"<guid>bench-{n}</guid><pubDate>Thu, 08 Jan 2026 14:35:00 GMT</pubDate></item>")
    local_outlet.set("/feeds/bench.xml", "<?xml version='1.0'?><rss version='2.0'><channel><title>Bench</title>"
                     + "".join(items) + "</channel></rss>")
    wire = timeline.outlet_create(name="Wire", slug="wire")
    now = datetime(2026, 1, 9, 12, 0, tzinfo=timezone.utc)
    services.feed_follow(url=local_outlet.url("/feeds/bench.xml"), outlet=wire, now=now)

    from django.db import connection

    queries = []  # counted by a wrapper: the query log keeps only the last 9,000

    def counted(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    backend = _backend_cpu()
    text_cpu = _text_reading_cpu(monkeypatch)
    started, started_cpu, started_backend = time.perf_counter(), time.process_time(), backend()
    with connection.execute_wrapper(counted):
        sweep = services.poll_due_feeds(now=now, budget_seconds=3600)
        while len(sweep.reads) < count:  # what the next ticks would do: read what the poll left pending
            more = services.read_pending_articles(now=now, limit=count)
            assert more, "articles left unread"
            sweep.leftovers += more
    seconds = time.perf_counter() - started
    cpu, backend_cpu = time.process_time() - started_cpu, backend() - started_backend
    assert sweep.errors == [] and sweep.articles_read == count
    assert Article.objects.filter(state=Article.State.READ).count() == count
    proposals = Item.objects.filter(editorial_state="proposed").count()
    rate = count / seconds * 60
    record(f"Sweep, whole path on PostgreSQL | {count} articles of {WORDS} words: fetch over loopback, extract, "
           f"Source, read_article | {seconds:.1f} s, {rate:,.0f} articles/min, {proposals:,} proposals written, "
           f"{len(queries) / count:.0f} queries per article")
    record(f"Sweep, CPU of the whole path | this process {cpu:.1f} s + its PostgreSQL backend {backend_cpu:.1f} s: "
           f"{count / (cpu + backend_cpu) * 60:,.0f} articles/min on one core ({count / cpu * 60:,.0f} for this "
           f"process alone)")
    per_article = 1000 / count  # ms per article from seconds per `count`
    record(f"Sweep, CPU per article | {(cpu + backend_cpu) * per_article:.1f} ms: the text reading (extraction, "
           f"tagger, reading into drafts) {text_cpu[0] * per_article:.1f} ms, the rest of the path (poll, claim, "
           f"fetch, Source, matcher, writes, and the backend's {backend_cpu * per_article:.1f} ms) "
           f"{(cpu + backend_cpu - text_cpu[0]) * per_article:.1f} ms")
    assert rate > FLOOR_PER_MINUTE / 10
