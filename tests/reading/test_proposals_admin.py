"""The admin: "Read an article" (paste, date, outlet, URL) and the review
queue (publish, edit then publish, retract; accept or reject a proposed
postponement), all through the services, with clear errors for bad input
and refusals, and only for editors."""


import pytest
from django.urls import reverse

from reading.models import ArticleReading, ProposedChange
from timeline import services
from timeline.demo import load_demo
from timeline.models import Item, Milestone

from tests.factories import make_user

from .reader_helpers import NOW, article_text, make_reference

pytestmark = pytest.mark.django_db

READ = reverse("admin:reading_read")
REVIEW = reverse("admin:reading_review")


@pytest.fixture
def client_of(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def ref():
    return make_reference()


def read_form(ref, **changes):
    data = {"text": article_text(), "published": "2025-12-30", "outlet": ref["axios"].pk,
            "url": "https://www.axios.com/example", "title": "", "storyline": ref["storylines"]["gaza-ceasefire"].pk,
            "zone": "UTC"}
    data.update(changes)
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_reading_an_article_from_the_admin(client_of, ref):
    assert client_of.get(READ).status_code == 200
    response = client_of.post(READ, read_form(ref))
    assert response.status_code == 200
    assert "Read: 13 proposed, 0 cited on existing items, 0 postponement(s) proposed." in messages_of(response)
    reading = ArticleReading.objects.get()
    assert reading.read_by_label == "editor" and reading.storyline.slug == "gaza-ceasefire"
    assert Item.objects.filter(editorial_state="proposed", created_by__username="editor").count() == 13
    assert f"{REVIEW}?reading={reading.pk}" in response.content.decode()
    again = client_of.post(READ, read_form(ref))
    assert "already read" in " ".join(messages_of(again)) and Item.objects.count() == 13


@pytest.mark.parametrize("changes, field, message", [
    ({"text": "  "}, "text", "This field is required."),
    ({"published": "2025-13-45"}, "published", "Enter a valid date."),
    ({"published": "next Tuesday"}, "published", "Enter a valid date."),
    ({"published": ""}, "published", "This field is required."),
    ({"url": "not an address"}, "url", "Enter a valid URL."),
    ({"zone": "Mars/Olympus"}, "zone", "Unknown time zone 'Mars/Olympus'."),
    ({"outlet": "99999"}, "outlet", "Select a valid choice. That choice is not one of the available choices."),
])
def test_bad_input_to_the_form_is_shown_at_its_field(client_of, ref, changes, field, message):
    response = client_of.post(READ, read_form(ref, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert "Please correct the errors below." in response.content.decode()
    assert not ArticleReading.objects.exists() and not Item.objects.exists()


def test_a_service_refusal_is_a_form_error(client_of, ref):
    """What only the service checks (the text's length) comes back at the field too."""
    response = client_of.post(READ, read_form(ref, text="x " * 100_001))
    assert response.context["form"].errors["text"] == ["At most 200000 characters."]
    assert not ArticleReading.objects.exists()


def proposals(client_of, ref):
    client_of.post(READ, read_form(ref))
    return {item.title: item for item in Item.objects.filter(editorial_state="proposed")}


def test_the_queue_lists_each_proposal_with_its_sentence(client_of, ref):
    proposals(client_of, ref)
    response = client_of.get(REVIEW + f"?reading={ArticleReading.objects.get().pk}")
    assert response.status_code == 200
    assert len(response.context["items"]) == 13
    page = response.content.decode()
    assert "Proposed items (13)" in page
    assert "23 Jan 2026" in page and "a U.S. official and two additional U.S. sources" in page
    assert 'Holder: two senior U.S. officials' in page


def test_publish_from_the_queue(client_of, ref):
    davos = next(i for t, i in proposals(client_of, ref).items() if "Davos" in t and i.kind == "milestone")
    response = client_of.post(REVIEW, {"action": "publish", "item": davos.pk, "revision": davos.revision}, follow=True)
    assert f"Published “{davos.title}”." in messages_of(response)
    davos.refresh_from_db()
    assert davos.editorial_state == "published" and davos.changes.last().by_label == "editor"
    assert len(client_of.get(REVIEW).context["items"]) == 12


def test_edit_then_publish(client_of, ref, editor):
    """The queue's edit link is the item's own admin page; a publish from a page
    read before the edit is refused, from a fresh one it goes through."""
    item = next(i for t, i in proposals(client_of, ref).items() if "round two" in t)
    queue = client_of.get(REVIEW).content.decode()
    edit_url = reverse("admin:timeline_expectation_change", args=[item.pk])
    assert edit_url in queue
    assert client_of.get(edit_url).status_code == 200
    seen = item.revision
    # The editor saves the item's page (its save goes through item_edit).
    services.item_edit(item=item.specific(), by=editor, now=NOW, title="The U.S. would back a second round of strikes on Iran")
    stale = client_of.post(REVIEW, {"action": "publish", "item": item.pk, "revision": seen}, follow=True)
    assert any("changed since you read it" in m for m in messages_of(stale))
    item.refresh_from_db()
    assert item.editorial_state == "proposed"
    client_of.post(REVIEW, {"action": "publish", "item": item.pk, "revision": item.revision})
    item.refresh_from_db()
    assert (item.editorial_state, item.title) == ("published", "The U.S. would back a second round of strikes on Iran")


def test_retract_needs_a_reason(client_of, ref):
    item = next(iter(proposals(client_of, ref).values()))
    refused = client_of.post(REVIEW, {"action": "retract", "item": item.pk, "revision": item.revision, "reason": " "},
                             follow=True)
    assert "Retracting needs a reason. Say why the item is retracted." in messages_of(refused)
    item.refresh_from_db()
    assert item.editorial_state == "proposed"
    client_of.post(REVIEW, {"action": "retract", "item": item.pk, "revision": item.revision,
                            "reason": "Background, not news."})
    item.refresh_from_db()
    assert item.editorial_state == "retracted" and item.changes.last().public_note == "Background, not news."


def test_unknown_or_missing_input_to_the_queue_is_a_message(client_of, ref):
    for data, message in (({"action": "publish", "item": "999999"}, "That proposal no longer exists."),
                          ({"action": "accept", "change": "x"}, "That proposed change no longer exists."),
                          ({"action": "drop"}, "Unknown action.")):
        assert message in messages_of(client_of.post(REVIEW, data, follow=True))


def test_accept_and_reject_a_postponement_from_the_queue(client_of, ref):
    load_demo(now=NOW)
    moved = ("The first meeting of the Gaza Board of Peace, which Trump will chair in Davos, has been moved to "
             "Feb. 5, according to two diplomats.")
    client_of.post(READ, read_form(ref, text=moved, published="2026-01-10", url="https://example.org/moved",
                                   storyline=""))
    change = ProposedChange.objects.get()
    page = client_of.get(REVIEW).content.decode()
    assert "Postponement of “The Gaza Board of Peace holds its first meeting" in page and "5 Feb 2026" in page
    response = client_of.post(REVIEW, {"action": "accept", "change": change.pk}, follow=True)
    assert any(m.startswith("Accepted") for m in messages_of(response))
    davos = Milestone.objects.get(pk=change.item_id)
    assert davos.postponed_count == 1 and davos.when.display() == "5 Feb 2026"
    again = client_of.post(REVIEW, {"action": "reject", "change": change.pk}, follow=True)
    assert "This proposed change was already accepted." in messages_of(again)


def test_bulk_accept_from_the_proposed_changes_list(client_of, ref):
    load_demo(now=NOW)
    moved = "The first meeting of the Gaza Board of Peace in Davos has been moved to Feb. 5, two diplomats said."
    client_of.post(READ, read_form(ref, text=moved, published="2026-01-10", url="https://example.org/m2",
                                   storyline=""))
    change = ProposedChange.objects.get()
    changelist = reverse("admin:reading_proposedchange_changelist")
    assert client_of.get(changelist).status_code == 200
    client_of.post(changelist, {"action": "accept", "_selected_action": [change.pk]})
    change.refresh_from_db()
    assert change.state == "accepted"


def test_only_editors(client, ref):
    assert client.get(READ).status_code == 302  # to the login page
    client.force_login(make_user("staff", is_staff=True))
    assert client.get(READ).status_code == 403
    assert client.get(REVIEW).status_code == 403
    assert client.post(READ, read_form(ref)).status_code == 403
    assert not ArticleReading.objects.exists()


def test_the_queue_costs_the_same_queries_for_more_proposals(client_of, ref):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client_of.post(READ, read_form(ref))
    with CaptureQueriesContext(connection) as few:
        assert len(client_of.get(REVIEW).context["items"]) == 13
    more = ("Hamas released four hostages on Saturday. Iran is expected to hold a presidential vote in June. "
            "Trump promised to end the war by March. The summit will take place in Geneva on March 3.")
    client_of.post(READ, read_form(ref, text=more, url="https://example.org/more"))
    with CaptureQueriesContext(connection) as many:
        assert len(client_of.get(REVIEW).context["items"]) == 18
    assert len(many) == len(few) <= 15
