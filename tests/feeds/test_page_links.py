"""The pages name their feeds: autodiscovery links in the head, and "Add to
calendar" and "Atom" beside the title."""

import pytest
from django.urls import reverse


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("where", ["storyline", "actor", "home", "item"])
def test_each_page_links_its_calendar_and_its_atom_feed(client, record, where):
    ics, atom, url = {
        "storyline": (reverse("feeds:storyline-ics", args=["gaza"]), reverse("feeds:storyline-atom", args=["gaza"]),
                      reverse("pages:storyline", args=["gaza"])),
        "actor": (reverse("feeds:actor-ics", args=["trump"]), reverse("feeds:actor-atom", args=["trump"]),
                  reverse("pages:actor", args=["trump"])),
        "home": (reverse("feeds:all-ics"), reverse("feeds:all-atom"), reverse("pages:home")),
        "item": (reverse("feeds:storyline-ics", args=["gaza"]), reverse("feeds:storyline-atom", args=["gaza"]),
                 reverse("pages:item", args=[record.davos.public_id])),
    }[where]

    html = page(client, url)

    head = html[: html.index("</head>")]
    assert '<link rel="alternate" type="text/calendar"' in head and f'href="{ics}"' in head
    assert '<link rel="alternate" type="application/atom+xml"' in head and f'href="{atom}"' in head
    body = html[html.index("<body"):]
    assert f'href="{ics}"' in body and "to calendar</a>" in body
    assert f'href="{atom}"' in body


def test_every_linked_feed_answers(client, record):
    html = page(client, reverse("pages:item", args=[record.davos.public_id]))

    for slug in ("gaza", "iran"):
        assert f'href="/feeds/storylines/{slug}.ics"' in html
        assert client.get(f"/feeds/storylines/{slug}.ics").status_code == 200
        assert client.get(f"/feeds/storylines/{slug}.atom").status_code == 200
