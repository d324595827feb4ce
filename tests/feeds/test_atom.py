"""Atom feeds of news per storyline, per actor and for everything: new items,
reschedules, cancellations and verdicts, each entry with a stable id and the
change's public note (never its internal one)."""

from datetime import timedelta
from xml.etree import ElementTree

from django.urls import reverse

from tests.builders import day_when
from timeline import services
from timeline.models import Change

from .support import INTERNAL

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    return [
        {"id": e.findtext(f"{ATOM}id"), "title": e.findtext(f"{ATOM}title"),
         "summary": e.findtext(f"{ATOM}summary") or "", "link": e.find(f"{ATOM}link").get("href")}
        for e in root.iter(f"{ATOM}entry")
    ]


def storyline_atom(client, record):
    return entries(client, reverse("feeds:storyline-atom", kwargs={"slug": record.storyline.slug}))


def test_news_of_the_storyline_reads_as_headlines_with_public_notes(client, record, editor):
    services.milestone_postpone(milestone=record.davos, by=editor, now=record.now,
                                when=day_when(record.davos.when_start.date() + timedelta(days=7)),
                                reason=INTERNAL, public_note="Davos moved by a week.")

    titles = {e["title"]: e for e in storyline_atom(client, record)}

    assert "Moved: Board of Peace meets at Davos" in titles
    assert "Davos moved by a week." in titles["Moved: Board of Peace meets at Davos"]["summary"]
    assert "Was " in titles["Moved: Board of Peace meets at Davos"]["summary"]
    assert titles["Cancelled: Signing ceremony"]["summary"] == "The ceremony was called off."
    assert "Withdrawn: A summit that was never planned" in titles
    assert "New: Trump announces phase two" in titles
    assert not any("Draft milestone" in title for title in titles)
    assert all(INTERNAL not in e["summary"] for e in titles.values())


def test_each_entry_has_the_change_rows_stable_id_and_links_the_item(client, record, settings):
    settings.SITE_URL = "https://watch.example.org"
    change = Change.objects.get(item=record.cancelled, kind="cancelled")

    [entry] = [e for e in storyline_atom(client, record) if e["title"].startswith("Cancelled")]

    assert entry["id"] == f"tag:watch.example.org,2025:change/{change.pk}"
    assert entry["link"] == f"https://watch.example.org/items/{record.cancelled.public_id}/"
    assert entry == [e for e in storyline_atom(client, record) if e["title"].startswith("Cancelled")][0]


def test_a_verdict_is_news(client, record, editor):
    services.expectation_settle(expectation=record.deadline, by=editor, now=record.now, status="void",
                                note="The agreement collapsed.", internal_note=INTERNAL)

    [entry] = [e for e in storyline_atom(client, record) if "Hamas disarms" in e["title"]
               and not e["title"].startswith("New")]

    assert entry["title"] == "Void: Hamas disarms"
    assert entry["summary"] == "The agreement collapsed."


def test_an_edit_that_moves_nothing_is_not_news(client, record, editor):
    services.item_edit(item=record.month, by=editor, now=record.now, summary="Now with a summary.")

    titles = [e["title"] for e in storyline_atom(client, record)]

    assert titles.count("New: Trump announces phase two") == 1
    assert not any(title.startswith("Date corrected") for title in titles)


def test_actor_and_all_feeds(client, record):
    actor = {e["title"] for e in entries(client, reverse("feeds:actor-atom", kwargs={"slug": record.actor.slug}))}
    everything = {e["title"] for e in entries(client, reverse("feeds:all-atom"))}

    assert actor == {"New: Trump announces phase two", "New: Board of Peace meets at Davos"}
    assert actor < everything
    assert "Cancelled: Signing ceremony" in everything
