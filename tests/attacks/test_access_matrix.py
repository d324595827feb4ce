"""Who may open what, beyond the API (whose matrix is tests/api/test_role_matrix.py
and tests/api/watch/test_role_matrix.py): the public pages, the feeds, the
admin, the private calendars and the signed links of the emails, for each of
anonymous, a subscriber, another subscriber, an editor and an admin
(logged in with a session, as people use these pages).

And the links themselves: signed, expiring, useless for another purpose, and
impossible to edit into acting on someone else's subscription.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from tests.builders import day_when, make_milestone, make_storyline
from tests.factories import make_admin, make_editor, make_user
from watch import services as watch
from watch.models import Subscription
from watch.signing import BadToken, make_token, read_token

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "subscriber", "other", "editor", "admin")
PUBLIC = dict.fromkeys(ROLES, 200)
STAFF_ONLY = {"anonymous": 302, "subscriber": 302, "other": 302, "editor": 200, "admin": 200}
ADMIN_ONLY = {"anonymous": 302, "subscriber": 302, "other": 302, "editor": 403, "admin": 200}
CHECKED = {"cells": 0}


class World:
    def __init__(self):
        now = timezone.now().replace(microsecond=0)
        self.now = now
        self.users = {
            "subscriber": make_user("reader1"), "other": make_user("reader2"),
            "editor": make_editor("editor"), "admin": make_admin("admin"),
        }
        self.gaza = make_storyline("Gaza ceasefire", slug="gaza")
        self.iran = make_storyline("Iran talks", slug="iran")
        day = (now + timedelta(days=10)).date()
        self.gaza_item = make_milestone(now=now, when=day_when(day), title="Board of Peace meets",
                                        storylines=[self.gaza])
        self.iran_item = make_milestone(now=now, when=day_when(day), title="Vienna round resumes",
                                        storylines=[self.iran])
        self.draft = make_milestone(now=now, when=day_when(day), title="Unpublished scoop", published=False,
                                    storylines=[self.gaza])
        self.mine = self.subscribe("subscriber", self.gaza)
        self.theirs = self.subscribe("other", self.iran)

    def subscribe(self, role, storyline) -> Subscription:
        made = watch.subscription_create(now=self.now, user=self.users[role], storyline=storyline, confirmed=True)
        watch.subscription_feed_rotate(subscription=made.subscription, now=self.now)
        made.subscription.refresh_from_db()
        return made.subscription


@pytest.fixture
def world():
    return World()


def client_for(role, world, client):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def pages(world):
    gaza_item, draft = world.gaza_item.public_id, world.draft.public_id
    return {
        "home": ("/", PUBLIC),
        "storyline page": ("/storylines/gaza/", PUBLIC),
        "item page": (f"/items/{gaza_item}/", PUBLIC),
        "search": ("/search/?q=Board", PUBLIC),
        "storyline calendar": ("/feeds/storylines/gaza.ics", PUBLIC),
        "storyline atom": ("/feeds/storylines/gaza.atom", PUBLIC),
        "all calendar": ("/feeds/all.ics", PUBLIC),
        "all atom": ("/feeds/all.atom", PUBLIC),
        "a draft's page": (f"/items/{draft}/", dict.fromkeys(ROLES, 404)),
        "admin index": ("/admin/", STAFF_ONLY),
        "admin items": ("/admin/timeline/item/", STAFF_ONLY),
        "admin subscriptions": ("/admin/watch/subscription/", STAFF_ONLY),
        "admin deliveries": ("/admin/watch/delivery/", STAFF_ONLY),
        "admin accounts": ("/admin/auth/user/", ADMIN_ONLY),
        "admin account change": (f"/admin/auth/user/{world.users['editor'].pk}/change/", ADMIN_ONLY),
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_page_feed_and_admin_screen_answers_each_role_as_it_should(role, world, client):
    client = client_for(role, world, client)
    seen = {}
    for name, (url, expected) in pages(world).items():
        response = client.get(url)
        seen[name] = response.status_code
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"], (name, response["Location"])
        CHECKED["cells"] += 1
    assert seen == {name: expected[role] for name, (url, expected) in pages(world).items()}


@pytest.mark.parametrize("role", ROLES)
def test_public_feeds_and_pages_never_show_a_draft(role, world, client):
    client = client_for(role, world, client)
    for url in ("/", "/storylines/gaza/", "/feeds/storylines/gaza.ics", "/feeds/all.ics", "/feeds/all.atom",
                "/feeds/storylines/gaza.atom", "/search/?q=scoop"):
        body = client.get(url).content.decode()
        assert "Unpublished scoop" not in body, url
        CHECKED["cells"] += 1


@pytest.mark.parametrize("role", ROLES)
def test_a_private_calendar_opens_with_its_token_alone_whoever_asks(role, world, client):
    client = client_for(role, world, client)
    mine = client.get(reverse("subscription-ics", kwargs={"token": world.mine.feed_token}))
    theirs = client.get(reverse("subscription-ics", kwargs={"token": world.theirs.feed_token}))
    assert (mine.status_code, theirs.status_code) == (200, 200)
    assert b"Board of Peace meets" in mine.content and b"Vienna round resumes" not in mine.content
    assert b"Vienna round resumes" in theirs.content and b"Board of Peace meets" not in theirs.content
    for forged in (world.mine.feed_token[:-1] + ("A" if world.mine.feed_token[-1] != "A" else "B"),
                   world.mine.feed_token[:20], world.mine.feed_token + "x", "", world.mine.feed_token.upper()):
        if forged == world.mine.feed_token:
            continue
        response = client.get(f"/feeds/s/{forged}.ics")
        assert response.status_code == 404, forged
    CHECKED["cells"] += 7


def test_a_rotated_or_revoked_calendar_token_opens_nothing(world, client):
    old = world.mine.feed_token
    watch.subscription_feed_rotate(subscription=world.mine, now=world.now)
    assert client.get(f"/feeds/s/{old}.ics").status_code == 404
    new = Subscription.objects.get(pk=world.mine.pk).feed_token
    assert client.get(f"/feeds/s/{new}.ics").status_code == 200
    watch.subscription_feed_revoke(subscription=world.mine, now=world.now)
    assert client.get(f"/feeds/s/{new}.ics").status_code == 404


# -- The signed links of the emails -------------------------------------------------------

def endpoint_of(subscription):
    from watch.models import Endpoint

    return Endpoint.objects.get(subscriber_id=subscription.subscriber_id, kind="email")


def manage_url(subscriber_id):
    return reverse("watch:manage", args=[make_token("manage", str(subscriber_id))])


def test_a_manage_link_opens_its_own_subscriber_only(world, client):
    mine = client.get(manage_url(world.mine.subscriber_id))
    theirs = client.get(manage_url(world.theirs.subscriber_id))
    assert mine.status_code == theirs.status_code == 200
    assert b"Gaza ceasefire" in mine.content and b"Iran talks" not in mine.content
    assert b"Iran talks" in theirs.content and b"Gaza ceasefire" not in theirs.content


def test_a_link_edited_to_name_another_subscription_is_refused(world, client):
    token = make_token("manage", str(world.mine.subscriber_id))
    value, _, rest = token.partition(":")
    edited = f"{world.theirs.subscriber_id}:{rest}"
    assert edited != token
    response = client.get(reverse("watch:manage", args=[edited]))
    assert response.status_code == 400
    assert b"Iran talks" not in response.content

    unsubscribe = make_token("unsubscribe", f"{endpoint_of(world.mine).pk}:{world.mine.pk}")
    swapped = unsubscribe.replace(f":{world.mine.pk}:", f":{world.theirs.pk}:", 1)
    assert client.post(reverse("watch:unsubscribe", args=[swapped])).status_code == 400
    assert Subscription.objects.get(pk=world.theirs.pk).is_active


def test_a_token_for_one_purpose_is_refused_for_another(world, client):
    confirm = make_token("confirm", str(world.theirs.pk))
    with pytest.raises(BadToken):
        read_token("unsubscribe", confirm)
    with pytest.raises(BadToken):
        read_token("manage", confirm)
    assert client.get(reverse("watch:manage", args=[confirm])).status_code == 400
    assert client.post(reverse("watch:unsubscribe", args=[confirm])).status_code == 400
    assert Subscription.objects.get(pk=world.theirs.pk).is_active


def test_a_token_signed_with_another_key_is_refused(world, client, settings):
    settings.SECRET_KEY = "an-attackers-guess-of-the-key-" + "x" * 30
    forged = make_token("manage", str(world.theirs.subscriber_id))
    settings.SECRET_KEY = "test-only-key-not-secret"
    settings.SECRET_KEY_FALLBACKS = []
    assert client.get(reverse("watch:manage", args=[forged])).status_code == 400


def old_token(monkeypatch, purpose, value, *, age):
    """A token made `age` seconds ago: the signer's timestamp, moved back."""
    import time

    monkeypatch.setattr(signing.TimestampSigner, "timestamp",
                        lambda self: signing.b62_encode(int(time.time()) - age))
    try:
        return make_token(purpose, value)
    finally:
        monkeypatch.undo()


def test_every_link_expires(world, client, settings, monkeypatch):
    links = {
        "watch:confirm": ("confirm", str(world.theirs.pk), settings.WATCH_CONFIRM_MAX_AGE_SECONDS),
        "watch:manage": ("manage", str(world.theirs.subscriber_id), settings.WATCH_LINK_MAX_AGE_SECONDS),
        "watch:unsubscribe": ("unsubscribe", f"{endpoint_of(world.theirs).pk}:{world.theirs.pk}",
                              settings.WATCH_LINK_MAX_AGE_SECONDS),
    }
    for path, (purpose, value, max_age) in links.items():
        fresh = old_token(monkeypatch, purpose, value, age=max_age - 3600)
        stale = old_token(monkeypatch, purpose, value, age=max_age + 3600)
        assert client.get(reverse(path, args=[fresh])).status_code == 200, path
        response = client.get(reverse(path, args=[stale]))
        assert response.status_code == 400 and b"expired" in response.content, path
        with pytest.raises(BadToken) as caught:
            read_token(purpose, stale, max_age=max_age)
        assert caught.value.expired
    assert Subscription.objects.get(pk=world.theirs.pk).is_active
