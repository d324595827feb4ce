"""Subscribing without an account, through the form on the site's pages.

A valid request writes an unconfirmed subscription and owes one confirmation
mail (sent by the worker, not in the request); every accepted request, new
address or known, ends on the same page; bad input shows the form again with
a message at each field and writes nothing; the honeypot, the CSRF check and
the rate limits (per address and per client IP, 429 with Retry-After) hold.
The rate limits count in the default cache (local memory here, as a single
web process would), emptied around each test.
"""

from datetime import date

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.builders import day_when, make_actor, make_milestone, make_storyline
from tests.watch.support import subscribe
from watch import services
from watch.models import Endpoint, Subscriber, Subscription

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("watch:subscribe")
SENT = reverse("watch:subscribe-sent")


@pytest.fixture(autouse=True)
def record():
    make_storyline("Gaza ceasefire", slug="gaza-ceasefire")
    make_actor("Donald Trump", slug="donald-trump")


@pytest.fixture(autouse=True)
def empty_counts():
    cache.clear()
    yield
    cache.clear()


def form(**changes) -> dict:
    data = {
        "email": "Reader@Example.org", "news": ["reminders", "verdicts"], "cadence": "digest", "hour": "7",
        "zone": "Europe/Zurich", "lead_times": ["7d", "1d"], "follow_kind": "storyline",
        "follow_key": "gaza-ceasefire", "website": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def written() -> tuple[int, int, int]:
    return Subscriber.objects.count(), Endpoint.objects.count(), Subscription.objects.count()


def test_the_form_writes_an_unconfirmed_subscription_and_owes_one_confirmation_mail(client, now):
    response = client.post(SUBSCRIBE, form())

    assert (response.status_code, response["Location"]) == (302, SENT)
    subscription = Subscription.objects.select_related("subscriber").get()
    assert subscription.confirmed_at is None and not subscription.is_active
    assert (subscription.target, subscription.storyline.slug, subscription.cadence) == (
        "storyline", "gaza-ceasefire", "digest")
    assert (subscription.wants_reminders, subscription.wants_moves, subscription.wants_verdicts,
            subscription.wants_new_items) == (True, False, True, False)
    assert subscription.lead_times == [7 * 86400, 86400]
    assert (subscription.subscriber.email, subscription.subscriber.tz, subscription.subscriber.digest_hour) == (
        "reader@example.org", "Europe/Zurich", 7)
    # Not sent in the request: owed in the outbox, for the worker.
    assert mail.outbox == []
    assert subscription.confirm_due_at is not None

    assert services.confirmations_send(now=subscription.confirm_due_at, limit=10) == 1
    [message] = mail.outbox
    assert message.to == ["reader@example.org"]
    assert services.confirmation_link(subscription) in message.body


def test_the_check_your_inbox_page(client):
    page = client.get(SENT)
    assert page.status_code == 200
    assert b"<h1>Check your inbox</h1>" in page.content
    assert b"Forecast Watch" in page.content  # the site's look


def test_an_address_already_subscribed_gets_the_same_page_and_nothing_changes(client, now):
    confirmed = subscribe("reader@example.org", now=now, storyline="gaza-ceasefire", news=["moves"])
    fresh = client.post(SUBSCRIBE, form(email="someone-new@example.org"), follow=True)

    known = client.post(SUBSCRIBE, form(), follow=True)

    assert known.status_code == fresh.status_code == 200
    assert known.redirect_chain == fresh.redirect_chain == [(SENT, 302)]
    assert known.content == fresh.content
    confirmed.refresh_from_db()
    # What the owner of the address confirmed stays as they set it, and no mail is owed to them.
    assert (confirmed.wants_moves, confirmed.wants_verdicts, confirmed.cadence, confirmed.confirm_due_at) == (
        True, False, "immediate", None)
    assert confirmed.subscriber.tz == "UTC"


@pytest.mark.parametrize("kind, key", [("actor", "donald-trump"), ("item", None), ("everything", "")])
def test_every_kind_of_follow(client, now, kind, key):
    if kind == "item":
        key = str(make_milestone(now=now, when=day_when(date(2027, 1, 23))).public_id)
    assert client.post(SUBSCRIBE, form(follow_kind=kind, follow_key=key)).status_code == 302
    assert Subscription.objects.get().target == kind


@pytest.mark.parametrize("changes, field, message", [
    ({"email": "reader@"}, "email", "Enter an email address like name@example.com."),
    ({"email": ""}, "email", "Enter your email address."),
    ({"zone": "Mars/Olympus"}, "zone", "&#x27;Mars/Olympus&#x27; is not one."),
    ({"zone": "zone.tab"}, "zone", "is not one."),
    ({"lead_times": ["120d"]}, "lead_times", "between 1 minute and 90 days; got &#x27;120d&#x27;"),
    ({"lead_times": ["soon"]}, "lead_times", "Lead time"),
    ({"lead_times": []}, "lead_times", "Choose when to be reminded, or untick reminders."),
    ({"hour": "24"}, "hour", "Select a valid choice."),
    ({"news": []}, "news", "Choose at least one kind of news."),
    ({"cadence": "hourly"}, "cadence", "Select a valid choice."),
])
def test_bad_input_shows_the_form_again_with_the_field_error_and_writes_nothing(client, changes, field, message):
    response = client.post(SUBSCRIBE, form(**changes))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="subscribe-{field}_error"' in html  # Django's field group ties the error to its field
    assert "Nothing was saved" in html
    # What the person typed is still there to correct.
    assert 'value="gaza-ceasefire"' in html
    assert written() == (0, 0, 0)
    assert mail.outbox == []


@pytest.mark.parametrize("kind, key", [("storyline", "no-such-storyline"), ("item", "not-an-id"), ("actor", "")])
def test_following_nothing_public_is_refused_and_writes_nothing(client, now, kind, key):
    response = client.post(SUBSCRIBE, form(follow_kind=kind, follow_key=key))
    assert response.status_code == 400
    assert written() == (0, 0, 0)


def test_a_draft_item_cannot_be_followed(client, now):
    draft = make_milestone(now=now, when=day_when(date(2027, 1, 23)), published=False)
    response = client.post(SUBSCRIBE, form(follow_kind="item", follow_key=str(draft.public_id)))
    assert response.status_code == 400
    assert b"nothing public by that name to follow" in response.content
    assert written() == (0, 0, 0)


def test_a_filled_in_honeypot_ends_on_the_same_page_and_writes_nothing(client):
    response = client.post(SUBSCRIBE, form(website="https://spam.example"))
    assert (response.status_code, response["Location"]) == (302, SENT)
    assert written() == (0, 0, 0)


def test_a_post_without_the_csrf_token_is_refused():
    response = Client(enforce_csrf_checks=True).post(SUBSCRIBE, form())
    assert response.status_code == 403
    assert written() == (0, 0, 0)


def test_the_form_from_a_page_carries_its_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/storylines/gaza-ceasefire/")
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = browser.post(SUBSCRIBE, {**form(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Subscription.objects.count() == 1


def test_too_many_requests_from_one_client_ip_get_a_friendly_429(client, settings):
    settings.WATCH_SUBSCRIBE_RATE_PER_IP = "3/hour"
    for n in range(3):
        assert client.post(SUBSCRIBE, form(email=f"r{n}@example.org")).status_code == 302

    refused = client.post(SUBSCRIBE, form(email="r3@example.org"))

    assert refused.status_code == 429
    assert 3000 < int(refused["Retry-After"]) <= 3600
    assert b"<h1>Too many requests</h1>" in refused.content and b"site-header" in refused.content
    assert Subscription.objects.count() == 3
    # Another client is not held up by this one.
    assert client.post(SUBSCRIBE, form(email="r4@example.org"), REMOTE_ADDR="192.0.2.9").status_code == 302


def test_too_many_requests_for_one_address_get_a_429_whatever_the_ip(client, settings):
    settings.WATCH_SUBSCRIBE_RATE_PER_ADDRESS = "2/hour"
    for n in range(2):
        assert client.post(SUBSCRIBE, form(), REMOTE_ADDR=f"192.0.2.{n + 1}").status_code == 302

    refused = client.post(SUBSCRIBE, form(email="READER@example.org "), REMOTE_ADDR="198.51.100.7")

    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert client.post(SUBSCRIBE, form(email="other@example.org"), REMOTE_ADDR="198.51.100.7").status_code == 302


def test_the_subscribe_page_of_its_own(client):
    page = client.get(SUBSCRIBE, {"follow_kind": "actor", "follow_key": "donald-trump"})
    assert page.status_code == 200
    assert b"<h1>Get alerts about Donald Trump</h1>" in page.content
    assert client.get(SUBSCRIBE, {"follow_kind": "actor", "follow_key": "nobody"}).status_code == 404


@pytest.mark.parametrize("path, kind", [
    ("/", "everything"), ("/storylines/gaza-ceasefire/", "storyline"), ("/actors/donald-trump/", "actor"),
    ("item", "item"),
])
def test_the_form_is_on_the_home_storyline_actor_and_item_pages(client, now, path, kind):
    if path == "item":
        path = f"/items/{make_milestone(now=now, when=day_when(date(2027, 1, 23))).public_id}/"
    html = client.get(path).content.decode()
    assert f'action="{SUBSCRIBE}"' in html
    assert f'name="follow_kind" value="{kind}"' in html
    for name in ("email", "news", "cadence", "hour", "zone", "lead_times", "website"):
        assert f'name="{name}"' in html
