"""Every attack string of payloads.py into every text field, through the API
(and the admin: test_admin_input.py), then every output read back: the
pages, the admin, the subscriber pages, both parts and the headers of the
emails, the calendars, the Atom feeds and the TimelineJS JSON. Nothing may
execute (no script, no event handler, no javascript: link made of our input),
nothing may break the structure (HTML, XML, JSON and iCalendar still parse,
and into the same number of entries and properties), and a bidi override
never leaks out of its own element or into a mail header.

Refused input (a NUL byte, a 1 MB string) answers 400 before anything is stored.
"""

from __future__ import annotations

import email
import email.policy
import json
import xml.etree.ElementTree as ElementTree
from datetime import timedelta

import icalendar
import lxml.html
import pytest
from django.core import mail

from tests.api.conftest import API, record, token_client  # noqa: F401 (record is a fixture)
from tests.attacks.payloads import BIDI_CONTROLS, MARKER, REFUSED, STORED
from tests.watch.channels.receivers import make_news, make_outgoing
from timeline.models import Item, Storyline

pytestmark = pytest.mark.django_db

TRIED = {"payloads": 0, "fields": 0, "outputs": 0}


# -- Writing the payload everywhere through the API ------------------------------------

def post(client, path, body, *, expect=201):
    response = client.post(f"{API}{path}", body, format="json")
    assert response.status_code == expect, (path, response.status_code, response.content[:500])
    return response.json()


class Planted:
    """One payload in every text field the API writes: a storyline, an actor,
    an outlet and a source, a published milestone citing the source, an
    expectation about it, and a postponement with public and internal notes."""

    FIELDS = 17

    def __init__(self, client, payload: str, clock):
        self.payload = payload
        self.storyline = post(client, "/storylines/", {"name": f"S {payload}"[:200], "description": payload})
        self.actor = post(client, "/actors/", {
            "name": f"A {payload}"[:200], "kind": "person", "aliases": [payload[:200]], "description": payload,
        })
        outlet = post(client, "/outlets/", {"name": f"O {payload}"[:200], "url": "https://news.example.org/"})
        self.outlet = outlet
        source = post(client, "/sources/", {
            "outlet": outlet["slug"], "title": payload[:300], "url": "https://news.example.org/a?b=1&c=2",
            "published_at": (clock - timedelta(days=1)).isoformat(),
        })
        day = (clock + timedelta(days=20)).date().isoformat()
        self.milestone = post(client, "/milestones/", {
            "title": payload[:300], "summary": payload, "place": payload[:200],
            "when": {"edtf": day, "tz": "UTC"}, "storylines": [self.storyline["slug"]],
            "actors": [self.actor["slug"]], "editorial_state": "published", "reason": payload,
        })
        self.id = self.milestone["id"]
        post(client, f"/items/{self.id}/citations/", {
            "source": source["id"], "role": "reports_claim", "attribution": payload, "quote": payload,
        })
        self.expectation = post(client, "/expectations/", {
            "title": f"E {payload}"[:300], "summary": payload, "when": {"edtf": day, "tz": "UTC"},
            "storylines": [self.storyline["slug"]], "editorial_state": "published", "criteria": payload,
            "condition": payload, "about_milestone": self.id,
        })
        later = (clock + timedelta(days=40)).date().isoformat()
        post(client, f"/milestones/{self.id}/postpone/", {
            "when": {"edtf": later, "tz": "UTC"}, "reason": payload, "public_note": payload,
        }, expect=200)


@pytest.fixture
def clock():
    from django.utils import timezone

    return timezone.now().replace(microsecond=0)


# -- What "inert" means, per format -------------------------------------------------------

def assert_inert_html(html: str, payload: str, where: str) -> None:
    """Our input shows as text: no element, attribute or URL made of it."""
    tree = lxml.html.document_fromstring(html)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script":
            assert MARKER not in (element.text or ""), f"{where}: a <script> holds the payload"
        for name, value in element.attrib.items():
            assert not (name.startswith("on") and MARKER in value), f"{where}: <{element.tag} {name}> from input"
            assert not name.startswith("data-" + MARKER), f"{where}: an attribute made of input"
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert not value.strip().lower().startswith("javascript:"), f"{where}: a javascript: URL"
        if element.tag in ("img", "svg") and MARKER in "".join(element.attrib.values()):
            raise AssertionError(f"{where}: an <{element.tag}> element made of input")
    if "<" in payload:
        assert payload not in html, f"{where}: the payload is in the page unescaped"
    assert "SECRET_KEY" not in html or "settings.SECRET_KEY" in html, where  # template syntax stays text


def assert_bidi_isolated(html: str, where: str) -> None:
    """Every text node holding a bidi control is inside an element that
    isolates it (<bdi>, or any element with a dir attribute), so the override
    ends with the element instead of reordering the dates and labels after it.
    The <title> is exempt: it is not laid out with the page (and the tab shows it alone)."""
    tree = lxml.html.document_fromstring(html)
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("title", "script", "style", "textarea", "option"):
            continue
        texts = [element.text or ""] + [child.tail or "" for child in element]
        if not any(c in text for text in texts for c in BIDI_CONTROLS):
            continue
        chain = [element, *element.iterancestors()]
        assert any(node.tag == "bdi" or node.get("dir") for node in chain), (
            f"{where}: a bidi control outside any isolating element, in <{element.tag}> "
            f"{lxml.html.tostring(element, encoding='unicode')[:200]!r}"
        )


def assert_ics_structure(body: bytes, payload: str, where: str, *, events: int | None = None) -> None:
    calendar = icalendar.Calendar.from_ical(body)
    names = [component.name for component in calendar.walk()]
    assert names.count("VCALENDAR") == 1, where
    for event in calendar.walk("VEVENT"):
        assert "ATTENDEE" not in event, f"{where}: a property injected through the text"
        assert event.get("UID"), where
    if events is not None:
        assert names.count("VEVENT") == events, (where, names)
    for line in body.split(b"\r\n"):
        assert not line.startswith((b"ATTENDEE", b"X-INJECTED", b"BCC")), f"{where}: {line!r}"
        assert b"\n" not in line and b"\r" not in line, f"{where}: a bare line break"


# -- The test -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(STORED))
def test_a_stored_payload_comes_back_inert_from_every_output(name, editor, admin_user, clock, client):
    payload = STORED[name]
    planted = Planted(token_client(editor), payload, clock)
    TRIED["payloads"] += 1
    TRIED["fields"] += Planted.FIELDS
    slug, actor, outlet = planted.storyline["slug"], planted.actor["slug"], planted.outlet["slug"]

    pages = {
        "home": "/", "storyline page": f"/storylines/{slug}/", "item page": f"/items/{planted.id}/",
        "expectation page": f"/items/{planted.expectation['id']}/",
        "actor page": f"/actors/{actor}/", "outlet page": f"/outlets/{outlet}/",
        "search": "/search/?" + __import__("urllib.parse").parse.urlencode({"q": payload[:100]}),
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (where, response.status_code)
        html = response.content.decode()
        assert_inert_html(html, payload, where)
        assert_bidi_isolated(html, where)
        TRIED["outputs"] += 1

    # The admin, as an admin: the change pages and the lists.
    client.force_login(admin_user)
    item_pk = Item.objects.get(public_id=planted.id).pk
    storyline_pk = Storyline.objects.get(slug=slug).pk
    for where, url in {
        "admin item list": "/admin/timeline/item/", "admin item": f"/admin/timeline/item/{item_pk}/change/",
        "admin storyline": f"/admin/timeline/storyline/{storyline_pk}/change/",
        "admin storyline list": "/admin/timeline/storyline/",
    }.items():
        response = client.get(url, follow=True)
        if response.status_code == 404:
            continue  # no such admin page on this branch
        assert response.status_code == 200, (where, response.status_code)
        assert_inert_html(response.content.decode(), payload, where)
        TRIED["outputs"] += 1
    client.logout()

    # Calendars: the storyline's, the actor's, everything.
    for where, url in {
        "storyline ics": f"/feeds/storylines/{slug}.ics", "actor ics": f"/feeds/actors/{actor}.ics",
        "all ics": "/feeds/all.ics",
    }.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_ics_structure(response.content, payload, where)
        TRIED["outputs"] += 1
    storyline_calendar = icalendar.Calendar.from_ical(client.get(f"/feeds/storylines/{slug}.ics").content)
    summaries = [str(event["SUMMARY"]) for event in storyline_calendar.walk("VEVENT")]
    assert len(summaries) == 2, summaries  # the milestone and the expectation, nothing injected
    assert any(payload[:300].replace("\r\n", "\n") in s.replace("\r\n", "\n") or MARKER in s for s in summaries)

    # Atom: well-formed XML, one entry per piece of news, the payload as text.
    for where, url in {"storyline atom": f"/feeds/storylines/{slug}.atom", "all atom": "/feeds/all.atom"}.items():
        response = client.get(url)
        assert response.status_code == 200, where
        root = ElementTree.fromstring(response.content)  # raises on broken structure; no DTD, no entities
        ns = "{http://www.w3.org/2005/Atom}"
        assert root.tag == f"{ns}feed", where
        for entry in root.iter(f"{ns}entry"):
            for child in entry:
                assert child.tag.startswith(ns), f"{where}: an element injected into an entry: {child.tag}"
        assert "file:///etc/passwd" not in "".join(root.itertext()).replace(payload, ""), where
        TRIED["outputs"] += 1

    # TimelineJS: valid JSON whose HTML fields (TimelineJS renders them as HTML) are escaped.
    response = client.get(f"{API}/storylines/{slug}/timelinejs/")
    assert response.status_code == 200
    document = json.loads(response.content)
    TRIED["outputs"] += 1
    for event in document.get("events", []):
        for part in ("headline", "text"):
            value = event.get("text", {}).get(part, "")
            wrapped = f"<div>{value}</div>"
            assert_inert_html(f"<html><body>{wrapped}</body></html>", payload, f"timelinejs {part}")
    title = document.get("title", {}).get("text", {})
    assert_inert_html(f"<html><body>{title.get('headline', '')}{title.get('text', '')}</body></html>", payload,
                      "timelinejs title")

    # The API gives the text back exactly as stored: escaping is the output's job.
    item = client.get(f"{API}/milestones/{planted.id}/").json()
    assert item["summary"] == payload


@pytest.mark.parametrize("name", list(STORED))
def test_a_payload_in_an_email_stays_text_in_both_parts_and_out_of_the_headers(name, settings):
    from watch.channels.email import EmailChannel

    payload = STORED[name]
    news = make_news(headline=f"Moved: {payload}", detail=payload, item_title=payload)
    outgoing = make_outgoing(channel="email", address="desk@example.org", news=[news])
    mail.outbox.clear()
    EmailChannel().send(outgoing)
    digest = make_outgoing(channel="email", address="desk@example.org", news=[news, news], is_digest=True,
                           delivery_id="dlv_0002")
    EmailChannel().send(digest)
    assert len(mail.outbox) == 2
    TRIED["outputs"] += 2
    for sent in mail.outbox:
        raw = sent.message().as_bytes()
        headers, _, _ = raw.partition(b"\n\n")
        header_lines = headers.split(b"\n")
        assert not any(line.lower().startswith((b"bcc:", b"x-injected:")) for line in header_lines), headers
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        subject = str(parsed["Subject"])  # unfolded
        assert "\r" not in subject and "\n" not in subject, subject
        assert not any(c in str(subject) for c in BIDI_CONTROLS), f"a bidi control in the Subject: {subject!r}"
        assert sent.recipients() == ["desk@example.org"]
        html = sent.alternatives[0][0] if hasattr(sent.alternatives[0], "__getitem__") else sent.alternatives[0].content
        assert_inert_html(html, payload, "email html")
        assert_bidi_isolated(html, "email html")
        assert MARKER in sent.body  # the text part keeps the words


@pytest.mark.parametrize("name", list(REFUSED))
@pytest.mark.parametrize("target", ["storyline", "milestone", "postpone", "search", "subscription"])
def test_nul_and_oversized_input_is_refused_with_400_and_nothing_is_stored(name, target, editor, record,
                                                                          client):
    from timeline.models import Change
    from watch.models import Subscription

    payload = REFUSED[name]
    api = token_client(editor)
    before = (Storyline.objects.count(), Item.objects.count(), Change.objects.count(), Subscription.objects.count())
    if target == "storyline":
        response = api.post(f"{API}/storylines/", {"name": "Fine", "description": payload}, format="json")
    elif target == "milestone":
        response = api.post(f"{API}/milestones/", {
            "title": "Fine", "summary": payload, "when": {"edtf": "2030-01-01", "tz": "UTC"},
        }, format="json")
    elif target == "postpone":
        response = api.post(f"{API}/milestones/{record.milestone.public_id}/postpone/", {
            "when": {"edtf": "2030-02-01", "tz": "UTC"}, "public_note": payload,
        }, format="json")
    elif target == "search":
        response = client.get("/search/", {"q": payload[:2000]})
        if name == "1 MB string":
            # A long query is only text to search for; a NUL is what breaks it.
            assert response.status_code in (200, 400)
            return
    else:
        response = api.post(f"{API}/subscriptions/", {
            "email": "desk@example.org", "storyline": record.storyline.slug, "note": payload,
            "webhook_url": "", "news": ["reminders"], "lead_times": ["1h"], "label": payload,
        }, format="json")
    TRIED["payloads"] += 1
    assert response.status_code == 400, (target, response.status_code, response.content[:300])
    if response["Content-Type"].startswith("application/json"):
        assert response.json()["error"]["code"] == "invalid_input"
    after = (Storyline.objects.count(), Item.objects.count(), Change.objects.count(), Subscription.objects.count())
    assert after == before


@pytest.mark.parametrize("url", [
    "/search/?q=a%00b", "/feeds/s/ab%00c.ics", "/watch/manage/a%00b/", "/api/v1/items/?q=%00",
    "/storylines/x%00/", "/feeds/all.ics?x=%00",
])
def test_a_nul_in_the_address_is_a_400_not_a_500(url, client, db):
    response = client.get(url)
    assert response.status_code in (400, 404), (url, response.status_code)
