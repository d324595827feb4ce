"""The manage page reached from every mail: change news, cadence, hour, zone
and lead times; pause and resume; unsubscribe and undo it for a while; the
last deliveries to the address. Bad input and a page left open while the
subscription changed write nothing; forged, expired and replayed links get
a clear page and change nothing."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import send_due, subscribe
from watch import services
from watch.models import Endpoint, Subscription
from watch.selectors import subscriptions_active
from watch.signing import make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def storyline():
    return make_storyline("Gaza ceasefire", slug="gaza-ceasefire")


@pytest.fixture
def subscription(storyline, now):
    return subscribe("reader@example.org", now=now, storyline="gaza-ceasefire")


def manage_path(subscription) -> str:
    return re.sub(r"^https?://[^/]+", "", services.manage_link(subscription.subscriber_id))


def settings_form(subscription, **changes) -> dict:
    prefix = f"s{subscription.pk}-"
    data = {"news": ["reminders", "moves", "verdicts", "new_items"], "cadence": "immediate", "hour": "8",
            "zone": "UTC", "lead_times": ["7d", "1d"], "subscription": subscription.pk,
            "version": subscription.version}
    data.update(changes)
    form = {prefix + k: v for k, v in data.items()}
    form.update({"subscription": subscription.pk, "action": "save"})
    return form


def fresh(subscription) -> Subscription:
    return Subscription.objects.select_related("subscriber").get(pk=subscription.pk)


def test_the_page_shows_each_setting_of_the_subscription(client, subscription):
    html = client.get(manage_path(subscription)).content.decode()
    prefix = f"manage-s{subscription.pk}-"
    for field in ("news_0", "cadence_1", "hour", "zone", "lead_times_0"):
        assert f'id="{prefix}{field}"' in html
    for button in ("Pause", "Unsubscribe", "Save changes"):
        assert f">{button}</button>" in html


def test_changing_to_a_daily_digest_at_an_hour_in_ones_zone(client, subscription, now):
    response = client.post(manage_path(subscription), settings_form(
        subscription, news=["verdicts", "moves"], cadence="digest", hour="7", zone="America/New_York",
        lead_times=["30d"]))

    assert response.status_code == 302 and "done=saved" in response["Location"]
    changed = fresh(subscription)
    assert (changed.cadence, changed.lead_times, changed.wants_verdicts, changed.wants_reminders) == (
        "digest", [30 * 86400], True, False)
    assert (changed.subscriber.digest_hour, changed.subscriber.tz) == (7, "America/New_York")
    endpoint = Endpoint.objects.get()
    assert endpoint.next_digest_at is not None
    local = endpoint.next_digest_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (7, 0)
    assert b"Saved." in client.get(response["Location"]).content


@pytest.mark.parametrize("changes, message", [
    ({"zone": "Mars/Olympus"}, "is not one."),
    ({"lead_times": ["91d"]}, "between 1 minute and 90 days"),
    ({"hour": "-1"}, "Select a valid choice."),
    ({"news": []}, "Choose at least one kind of news."),
])
def test_bad_settings_show_the_form_again_and_change_nothing(client, subscription, changes, message):
    before = fresh(subscription)
    response = client.post(manage_path(subscription), settings_form(subscription, **changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert b"Nothing was saved" in response.content
    after = fresh(subscription)
    assert (after.version, after.lead_times, after.subscriber.tz) == (before.version, before.lead_times, "UTC")


def test_a_page_left_open_while_the_subscription_changed_is_refused(client, subscription, now):
    stale = settings_form(subscription, cadence="digest")
    services.subscription_update(subscription=fresh(subscription), now=now, news=["moves"])

    response = client.post(manage_path(subscription), stale)

    assert response.status_code == 409
    assert b"changed since you opened the page" in response.content
    assert fresh(subscription).cadence == "immediate"


def test_pausing_stops_everything_until_resumed(client, subscription, now, email_channel, storyline):
    path = manage_path(subscription)
    assert client.post(path, {"subscription": subscription.pk, "action": "pause"}).status_code == 302
    paused = fresh(subscription)
    assert paused.paused_at is not None and not paused.is_active
    assert not subscriptions_active().filter(pk=subscription.pk).exists()
    assert b"Resume</button>" in client.get(path).content

    make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline])
    services.process_changes(now=now)
    send_due(now)
    assert email_channel.sent == []

    assert client.post(path, {"subscription": subscription.pk, "action": "resume"}).status_code == 302
    assert fresh(subscription).is_active


def test_unsubscribing_can_be_undone_for_a_while(client, subscription):
    path = manage_path(subscription)
    left = client.post(path, {"subscription": subscription.pk, "action": "unsubscribe"}, follow=True)
    assert b"that subscription has ended" in left.content
    assert fresh(subscription).unsubscribed_at is not None
    assert b": follow storyline Gaza ceasefire again</span>" in left.content

    undone = client.post(path, {"subscription": subscription.pk, "action": "undo"}, follow=True)

    assert b"Undone: the subscription is back." in undone.content
    back = fresh(subscription)
    assert back.is_active and back.unsubscribed_at is None


def test_an_undo_after_its_window_is_refused_and_changes_nothing(client, subscription, now, settings):
    services.subscription_unsubscribe(subscription=subscription, now=timezone.now() - timedelta(days=8))
    path = manage_path(subscription)
    assert b"follow storyline Gaza ceasefire again" not in client.get(path).content

    response = client.post(path, {"subscription": subscription.pk, "action": "undo"})

    assert response.status_code == 409
    assert b"can no longer be undone" in response.content
    assert fresh(subscription).unsubscribed_at is not None


def test_an_undo_when_the_address_already_follows_it_again_is_refused(client, subscription, now):
    # The page reads the wall clock: leave just now, within the undo window.
    services.subscription_unsubscribe(subscription=subscription, now=timezone.now())
    again = subscribe("reader@example.org", now=now, storyline="gaza-ceasefire")

    response = client.post(manage_path(subscription), {"subscription": subscription.pk, "action": "undo"})

    assert response.status_code == 409 and b"newer subscription" in response.content
    assert fresh(again).is_active and fresh(subscription).unsubscribed_at is not None


def test_the_last_deliveries_to_the_address_are_listed(client, subscription, now, email_channel, storyline):
    milestone = make_milestone(now=now, when=day_when(date(2027, 1, 23)), storylines=[storyline],
                               title="First meeting of the Board of Peace")
    services.process_changes(now=now)
    assert send_due(now) == ["sent"]

    html = client.get(manage_path(subscription)).content.decode()

    section = html[html.index('id="deliveries-heading"'):]
    assert milestone.title in section and "Sent" in section


def test_an_unknown_action_is_a_clear_400(client, subscription):
    response = client.post(manage_path(subscription), {"subscription": subscription.pk, "action": "delete-all"})
    assert response.status_code == 400 and b"This link does not work" in response.content
    assert fresh(subscription).is_active


@pytest.mark.parametrize("token", [
    "forged", make_token("confirm", "1"),  # made for another purpose
])
def test_a_forged_manage_link_gets_a_clear_page_and_changes_nothing(client, subscription, token):
    path = reverse("watch:manage", args=[token])
    assert client.get(path).status_code == 400
    response = client.post(path, {"subscription": subscription.pk, "action": "unsubscribe"})
    assert response.status_code == 400 and b"This link does not work" in response.content
    assert fresh(subscription).is_active


def test_an_expired_confirmation_link_changes_nothing(client, storyline, now, settings):
    pending = services.subscription_create(now=now, email="r@example.org", storyline="gaza-ceasefire").subscription
    path = re.sub(r"^https?://[^/]+", "", services.confirmation_link(pending))
    settings.WATCH_CONFIRM_MAX_AGE_SECONDS = -1

    response = client.post(path)

    assert response.status_code == 400 and b"The link has expired" in response.content
    assert fresh(pending).confirmed_at is None


def test_a_confirmation_link_replayed_after_leaving_changes_nothing(client, storyline, now):
    pending = services.subscription_create(now=now, email="r@example.org", storyline="gaza-ceasefire").subscription
    path = re.sub(r"^https?://[^/]+", "", services.confirmation_link(pending))
    assert client.post(path).status_code == 200
    services.subscription_unsubscribe(subscription=fresh(pending), now=now)

    replayed = client.post(path)

    assert replayed.status_code == 400
    assert b"This subscription was cancelled" in replayed.content
    assert fresh(pending).unsubscribed_at is not None
