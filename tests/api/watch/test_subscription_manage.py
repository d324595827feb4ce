"""Listing, reading, changing and ending subscriptions: a subscriber manages
its own (other people's answer 404); an admin manages everyone's."""

import pytest

from tests.api.watch.conftest import HOOK, SUBSCRIPTIONS, subscribe, subscription_url
from watch.models import Subscription

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_a_subscriber_lists_its_own_and_an_admin_everyones(subscriber_client, editor_client, admin_client, alerts):
    mine, other = alerts.subscription.pk, alerts.other_subscription.pk

    assert ids(subscriber_client.get(SUBSCRIPTIONS)) == [mine]
    assert ids(editor_client.get(SUBSCRIPTIONS)) == []  # editors see only their own too
    assert ids(admin_client.get(SUBSCRIPTIONS)) == [mine, other]


def test_someone_elses_subscription_is_404_whatever_the_method(subscriber_client, alerts):
    url = subscription_url(alerts.other_subscription)

    responses = [subscriber_client.get(url), subscriber_client.patch(url, {"news": ["moves"]}, format="json"),
                 subscriber_client.delete(url), subscriber_client.post(url + "rotate-secret/")]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert {r.json()["error"]["message"] for r in responses} == {"Not found."}
    alerts.other_subscription.refresh_from_db()
    assert alerts.other_subscription.is_active and alerts.other_subscription.wants_verdicts


def test_filters(admin_client, subscriber, alerts, clock, record):
    email_only = subscribe(subscriber, now=clock, actor="trump").subscription
    ended = subscribe(subscriber, now=clock, everything=True).subscription
    assert admin_client.delete(subscription_url(ended)).status_code == 204

    def listed(query):
        return ids(admin_client.get(f"{SUBSCRIPTIONS}?{query}"))

    webhooks = [alerts.subscription.pk, alerts.other_subscription.pk]
    assert listed("target=actor") == [email_only.pk]
    assert listed("target=everything") == [ended.pk]
    assert listed("channel=webhook") == webhooks
    assert listed("channel=email") == [*webhooks, email_only.pk, ended.pk]
    assert listed("active=true") == [*webhooks, email_only.pk]
    assert listed("active=false") == [ended.pk]
    assert listed("active=true&channel=email&target=storyline") == webhooks


@pytest.mark.parametrize("query", ["target=person", "channel=sms", "active=maybe", "ordering=name", "cursor=zzz",
                                   "page_size=0"])
def test_a_bad_filter_is_400(subscriber_client, alerts, query):
    response = subscriber_client.get(f"{SUBSCRIPTIONS}?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


def test_pages_follow_the_creation_order_without_repeats(subscriber_client, subscriber, clock, record):
    from tests.builders import make_storyline

    made = [subscribe(subscriber, now=clock, storyline=make_storyline().slug).subscription.pk for _ in range(5)]

    seen, url = [], f"{SUBSCRIPTIONS}?page_size=2"
    while url:
        page = subscriber_client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    newest_first = ids(subscriber_client.get(f"{SUBSCRIPTIONS}?ordering=-created"))

    assert seen == made and newest_first == made[::-1]


def test_a_patch_changes_news_lead_times_and_cadence(subscriber_client, alerts):
    response = subscriber_client.patch(subscription_url(alerts.subscription), {
        "news": ["verdicts", "reminders"], "lead_times": ["14d", "2h"], "cadence": "digest",
    }, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["news"], body["lead_times"], body["cadence"]) == (["reminders", "verdicts"], ["14d", "2h"], "digest")
    alerts.subscription.refresh_from_db()
    assert alerts.subscription.lead_times == [14 * 86400, 2 * 3600] and not alerts.subscription.wants_moves
    # Only what was sent changed.
    assert body["channels"] == ["email", "webhook"] and body["webhook_url"] == HOOK


def test_an_admin_changes_anyones(admin_client, alerts):
    response = admin_client.patch(subscription_url(alerts.other_subscription), {"lead_times": []}, format="json")

    assert response.status_code == 200
    assert response.json()["lead_times"] == [] and response.json()["user"] == "outsider"


def test_delete_unsubscribes_and_the_subscription_stays_listed_as_ended(subscriber_client, alerts):
    url = subscription_url(alerts.subscription)

    first, again = subscriber_client.delete(url), subscriber_client.delete(url)

    assert (first.status_code, again.status_code) == (204, 204)
    assert first.content == b""
    body = subscriber_client.get(url).json()
    assert body["active"] is False and body["unsubscribed_at"]
    alerts.subscription.refresh_from_db()
    assert alerts.subscription.unsubscribed_at is not None
    assert ids(subscriber_client.get(f"{SUBSCRIPTIONS}?active=true")) == []


def test_an_ended_subscription_cannot_be_changed(subscriber_client, alerts):
    url = subscription_url(alerts.subscription)
    subscriber_client.delete(url)

    response = subscriber_client.patch(url, {"news": ["moves"]}, format="json")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "transition_not_allowed" and error["current"]["active"] is False
    assert Subscription.objects.get(pk=alerts.subscription.pk).wants_verdicts


def test_subscribing_again_after_leaving_makes_a_new_subscription(subscriber_client, alerts):
    subscriber_client.delete(subscription_url(alerts.subscription))

    response = subscriber_client.post(SUBSCRIPTIONS, {"storyline": "gaza-ceasefire"}, format="json")

    assert response.status_code == 201 and response.json()["id"] != alerts.subscription.pk


@pytest.mark.parametrize("path", ["999999/", "99999999999999999999/", "0/"])
def test_an_unknown_id_is_404(subscriber_client, alerts, path):
    response = subscriber_client.get(SUBSCRIPTIONS + path)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
