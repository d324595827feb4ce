"""The pages reached from links in emails: double opt-in confirmation,
one-click unsubscribe (RFC 8058), and managing one's subscriptions. GETs
change nothing (mail scanners follow links); bad links get a 400 page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.builders import make_actor, make_storyline
from tests.watch.support import subscribe
from watch import services
from watch.models import Endpoint, Subscription
from watch.signing import make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def storyline():
    make_actor("Hamas", slug="hamas")
    return make_storyline("Gaza ceasefire", slug="gaza-ceasefire")


@pytest.fixture
def csrf_client():
    # Like a mail client's POST: no session, no CSRF cookie, checks enforced.
    return Client(enforce_csrf_checks=True)


def link_path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# -- Double opt-in --------------------------------------------------------------

def test_the_confirmation_mail_links_to_a_page_whose_button_confirms(storyline, now, client, mailoutbox):
    made = services.subscription_create(now=now, email="reader@example.org", storyline="gaza-ceasefire")
    assert made.needs_confirmation
    services.subscription_send_confirmation(subscription=made.subscription)
    [mail] = mailoutbox
    assert mail.to == ["reader@example.org"]
    path = link_path(re.search(r"https?://\S+/watch/confirm/\S+/", mail.body).group(0))

    page = client.get(path)  # what a mail scanner does
    assert page.status_code == 200
    assert b"Confirm your alerts" in page.content and b"storyline Gaza ceasefire" in page.content
    assert Subscription.objects.get().confirmed_at is None

    done = client.post(path)
    assert done.status_code == 200 and b"Your alerts are on" in done.content
    assert Subscription.objects.get().is_active


def test_confirming_twice_is_harmless(storyline, now, client):
    subscription = services.subscription_create(now=now, email="r@example.org", storyline="gaza-ceasefire").subscription
    path = link_path(services.confirmation_link(subscription))
    client.post(path)
    confirmed_at = Subscription.objects.get().confirmed_at
    assert client.post(path).status_code == 200
    assert Subscription.objects.get().confirmed_at == confirmed_at


def test_an_expired_confirmation_link_gets_a_400_page(storyline, now, client, settings):
    subscription = services.subscription_create(now=now, email="r@example.org", storyline="gaza-ceasefire").subscription
    path = link_path(services.confirmation_link(subscription))
    settings.WATCH_CONFIRM_MAX_AGE_SECONDS = -1
    page = client.get(path)
    assert page.status_code == 400 and b"expired" in page.content
    assert Subscription.objects.get().confirmed_at is None


# -- One-click unsubscribe ---------------------------------------------------------

def unsubscribe_path(subscriptions):
    endpoint = Endpoint.objects.get(kind="email")
    return link_path(services.unsubscribe_link(endpoint, [s.pk for s in subscriptions]))


def test_the_unsubscribe_link_shows_a_confirmation_page_and_changes_nothing(storyline, now, client):
    subscription = subscribe(now=now, storyline="gaza-ceasefire")
    page = client.get(unsubscribe_path([subscription]))
    assert page.status_code == 200
    assert b"Unsubscribe reader@example.org?" in page.content and b"storyline Gaza ceasefire" in page.content
    assert Subscription.objects.get().is_active


def test_one_click_post_without_csrf_token_unsubscribes(storyline, now, csrf_client):
    subscription = subscribe(now=now, storyline="gaza-ceasefire")
    other = subscribe(now=now, actor="hamas")

    response = csrf_client.post(unsubscribe_path([subscription]), data="List-Unsubscribe=One-Click",
                                content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200 and b"You are unsubscribed" in response.content
    assert Subscription.objects.get(pk=subscription.pk).unsubscribed_at is not None
    assert Subscription.objects.get(pk=other.pk).is_active  # only what that email was about


def test_one_click_keeps_the_webhook_of_a_subscription_that_has_both(storyline, now, csrf_client, loopback_webhooks):
    subscription = subscribe(now=now, storyline="gaza-ceasefire", webhook_url="http://127.0.0.1:9/hook")
    csrf_client.post(unsubscribe_path([subscription]), data="List-Unsubscribe=One-Click",
                     content_type="application/x-www-form-urlencoded")
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.channels == ["webhook"]


def test_unsubscribing_twice_is_harmless(storyline, now, csrf_client):
    subscription = subscribe(now=now, storyline="gaza-ceasefire")
    path = unsubscribe_path([subscription])
    csrf_client.post(path)
    assert csrf_client.post(path).status_code == 200


@pytest.mark.parametrize("token", [
    "garbage",
    make_token("confirm", "1:1"),  # a token made for another purpose
])
def test_a_bad_token_gets_a_clear_400_page(storyline, now, client, token):
    subscribe(now=now, storyline="gaza-ceasefire")
    for name in ("watch:unsubscribe", "watch:manage", "watch:confirm"):
        response = client.get(reverse(name, args=[token]))
        assert response.status_code == 400
        assert b"This link does not work" in response.content
    assert client.post(reverse("watch:unsubscribe", args=[token])).status_code == 400


def test_a_tampered_token_is_refused(storyline, now, client):
    subscription = subscribe(now=now, storyline="gaza-ceasefire")
    path = unsubscribe_path([subscription])
    tampered = path.replace(f"/{Endpoint.objects.get().pk}:", "/999:")
    assert client.post(tampered).status_code == 400
    assert Subscription.objects.get().is_active


def test_links_survive_a_secret_key_rotation(storyline, now, client, settings):
    subscription = subscribe(now=now, storyline="gaza-ceasefire")
    path = unsubscribe_path([subscription])
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    assert client.get(path).status_code == 200


# -- Manage ------------------------------------------------------------------------

def test_the_manage_page_lists_the_subscriptions_with_unsubscribe_buttons(storyline, now, client):
    by_storyline = subscribe(now=now, storyline="gaza-ceasefire")
    subscribe(now=now, actor="hamas")
    path = link_path(services.manage_link(by_storyline.subscriber_id))

    page = client.get(path)
    assert page.status_code == 200
    assert b"storyline Gaza ceasefire" in page.content and b"actor Hamas" in page.content

    left = client.post(path, {"subscription": by_storyline.pk}, follow=True)
    assert left.status_code == 200 and b"that subscription has ended" in left.content
    # No longer listed; only offered back, for a while (tests/watch/test_subscribe_manage.py).
    assert b"<strong>storyline Gaza ceasefire</strong>" not in left.content
    assert b": follow storyline Gaza ceasefire again</span>" in left.content
    assert Subscription.objects.get(pk=by_storyline.pk).unsubscribed_at is not None


def test_the_manage_page_cannot_end_someone_elses_subscription(storyline, now, client):
    mine = subscribe("me@example.org", now=now, storyline="gaza-ceasefire")
    theirs = subscribe("them@example.org", now=now, storyline="gaza-ceasefire")
    path = link_path(services.manage_link(mine.subscriber_id))

    response = client.post(path, {"subscription": theirs.pk})
    assert response.status_code == 400
    assert Subscription.objects.get(pk=theirs.pk).is_active
    assert client.post(path, {"subscription": "x"}).status_code == 400
