"""The manage page of an email subscription makes, rotates and revokes the
private calendar's secret address."""

from django.urls import reverse

from watch import services as watch
from watch.models import Subscription


def manage_path(subscription) -> str:
    link = watch.manage_link(subscription.subscriber_id)
    return link[link.index("/watch/"):]


def test_the_manage_page_gives_rotates_and_revokes_the_calendar(client, record, subscriber):
    subscription = watch.subscription_create(now=record.now, user=subscriber, storyline=record.storyline,
                                             confirmed=True).subscription
    page = manage_path(subscription)
    assert "Get a calendar address" in client.get(page).content.decode()

    made = client.post(page, {"subscription": subscription.pk, "feed": "rotate"})
    subscription.refresh_from_db()
    first = subscription.feed_token
    assert made.status_code == 302 and first
    shown = client.get(made["Location"]).content.decode()
    assert f"/feeds/s/{first}.ics" in shown
    assert client.get(reverse("subscription-ics", kwargs={"token": first})).status_code == 200

    client.post(page, {"subscription": subscription.pk, "feed": "rotate"})
    subscription.refresh_from_db()
    assert subscription.feed_token != first
    assert client.get(reverse("subscription-ics", kwargs={"token": first})).status_code == 404

    gone = client.post(page, {"subscription": subscription.pk, "feed": "revoke"})
    assert "no longer works" in client.get(gone["Location"]).content.decode()
    assert Subscription.objects.get(pk=subscription.pk).feed_token is None
    assert Subscription.objects.get(pk=subscription.pk).unsubscribed_at is None


def test_another_subscribers_subscription_cannot_be_touched(client, record, subscriber, outsider):
    mine = watch.subscription_create(now=record.now, user=subscriber, storyline=record.storyline,
                                     confirmed=True).subscription
    theirs = watch.subscription_create(now=record.now, user=outsider, storyline=record.storyline,
                                       confirmed=True).subscription

    response = client.post(manage_path(mine), {"subscription": theirs.pk, "feed": "rotate"})

    assert response.status_code == 400
    assert Subscription.objects.get(pk=theirs.pk).feed_token is None
