"""A subscription's private calendar: what it follows, with a VALARM per lead
time at the moment its reminder email is due; a secret token that opens that
calendar alone, rotated or revoked from the manage page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from watch import services as watch

from .conftest import events_by_uid, fetch_ics


def subscribe(user, record, **target):
    made = watch.subscription_create(now=record.now, user=user, lead_times=["7d", "1d"], confirmed=True,
                                     **(target or {"storyline": record.storyline}))
    subscription = made.subscription
    watch.subscription_feed_rotate(subscription=subscription, now=record.now)
    return subscription


def url_of(subscription):
    return reverse("subscription-ics", kwargs={"token": subscription.feed_token})


def test_the_private_feed_carries_alarms_at_the_reminders_moments(client, record, subscriber):
    subscription = subscribe(subscriber, record)

    response, calendar = fetch_ics(client, url_of(subscription))

    davos = events_by_uid(calendar)[str(record.davos.public_id)]
    # 7 days and 1 day before 23 January, at 09:00 in Zurich: from the
    # all-day start (midnight), 6 days 15 hours and 15 hours before.
    assert sorted(alarm["TRIGGER"].dt for alarm in davos.walk("VALARM")) == [
        -timedelta(days=6, hours=15), -timedelta(hours=15)]
    assert {str(alarm["ACTION"]) for alarm in davos.walk("VALARM")} == {"DISPLAY"}
    assert "In 1 day: Board of Peace meets at Davos" in [str(a["DESCRIPTION"]) for a in davos.walk("VALARM")]
    meeting = events_by_uid(calendar)[str(record.meeting.public_id)]
    assert sorted(alarm["TRIGGER"].dt for alarm in meeting.walk("VALARM")) == [-timedelta(days=7), -timedelta(days=1)]
    cancelled = events_by_uid(calendar)[str(record.cancelled.public_id)]
    assert list(cancelled.walk("VALARM")) == []  # nothing to remind of
    assert response["Cache-Control"] == "private, no-cache"


def test_public_feeds_have_no_alarms(client, record):
    response = client.get(reverse("feeds:storyline-ics", kwargs={"slug": record.storyline.slug}))

    assert b"BEGIN:VALARM" not in response.content


def test_it_holds_what_the_subscription_follows(client, record, subscriber):
    subscription = subscribe(subscriber, record, actor=record.actor)

    _, calendar = fetch_ics(client, url_of(subscription))

    assert set(events_by_uid(calendar)) == {str(record.month.public_id), str(record.davos.public_id)}


def test_one_token_opens_one_calendar(client, record, subscriber, outsider):
    mine = subscribe(subscriber, record)
    theirs = subscribe(outsider, record, item=record.meeting)

    _, calendar = fetch_ics(client, url_of(theirs))

    assert set(events_by_uid(calendar)) == {str(record.meeting.public_id)}
    assert mine.feed_token != theirs.feed_token
    assert client.get(reverse("subscription-ics", kwargs={"token": mine.feed_token[:-1]})).status_code == 404


def test_a_rotated_token_stops_working_and_the_new_one_works(client, record, subscriber):
    subscription = subscribe(subscriber, record)
    old = url_of(subscription)

    watch.subscription_feed_rotate(subscription=subscription, now=record.now)

    assert client.get(old).status_code == 404
    assert client.get(url_of(subscription)).status_code == 200


@pytest.mark.parametrize("end", ["revoke", "unsubscribe"])
def test_a_revoked_or_ended_subscription_has_no_calendar(client, record, subscriber, end):
    subscription = subscribe(subscriber, record)
    url = url_of(subscription)
    if end == "revoke":
        watch.subscription_feed_revoke(subscription=subscription, now=record.now)
    else:
        watch.subscription_unsubscribe(subscription=subscription, now=record.now)

    assert client.get(url).status_code == 404


def test_an_unconfirmed_subscription_has_no_calendar(client, record, db):
    made = watch.subscription_create(now=record.now, email="reader@example.org", storyline=record.storyline)
    watch.subscription_feed_rotate(subscription=made.subscription, now=record.now)

    assert client.get(url_of(made.subscription)).status_code == 404


def test_new_lead_times_change_the_etag_and_the_alarms(client, record, subscriber):
    subscription = subscribe(subscriber, record)
    first = client.get(url_of(subscription))
    assert client.get(url_of(subscription), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    subscription.refresh_from_db()

    watch.subscription_update(subscription=subscription, now=record.now, lead_times=["2d"])

    again = client.get(url_of(subscription), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    davos = events_by_uid(Calendar.from_ical(again.content))[str(record.davos.public_id)]
    assert [alarm["TRIGGER"].dt for alarm in davos.walk("VALARM")] == [-timedelta(days=1, hours=15)]


def test_feed_link_is_the_full_url(record, subscriber, settings):
    settings.SITE_URL = "https://watch.example.org"
    subscription = subscribe(subscriber, record)

    assert watch.feed_link(subscription) == f"https://watch.example.org/feeds/s/{subscription.feed_token}.ics"
