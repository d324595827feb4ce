"""Calendars poll: a strong ETag and Last-Modified from the newest change of
what the feed holds, a 304 to If-None-Match or If-Modified-Since, computed
from the rows without building the calendar."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date, parse_http_date

from tests.builders import day_when
from timeline import services


def url_of(record):
    return reverse("feeds:storyline-ics", kwargs={"slug": record.storyline.slug})


def test_the_etag_is_strong_and_last_modified_is_the_newest_change(client, record):
    response = client.get(url_of(record))

    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    newest = max(item.updated_at for item in (record.month, record.davos, record.meeting, record.deadline,
                                               record.cancelled, record.retracted))
    assert parse_http_date(response["Last-Modified"]) == int(newest.timestamp())


def test_the_same_feed_answers_304_without_building(client, record):
    first = client.get(url_of(record))

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url_of(record), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    # The storyline, the held rows, the reference history, the outlets, the
    # items gone: none of the citations or storylines a build would read.
    assert len(queries) <= 5
    assert not any("timeline_citation" in q["sql"] for q in queries.captured_queries)


def test_if_modified_since_answers_304_until_something_changes(client, record, editor):
    first = client.get(url_of(record))

    assert client.get(url_of(record), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    later = record.now + timedelta(minutes=5)
    services.milestone_postpone(milestone=record.davos, by=editor, now=later,
                                when=day_when(record.davos.when_start.date() + timedelta(days=7)))
    moved = client.get(url_of(record), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert moved.status_code == 200
    assert moved["ETag"] != first["ETag"]
    assert moved["Last-Modified"] == http_date(later.timestamp())


def test_bytes_are_the_same_while_the_etag_is(client, record):
    assert client.get(url_of(record)).content == client.get(url_of(record)).content


def test_an_item_leaving_the_feed_changes_both_validators(client, record, settings):
    before = client.get(url_of(record))
    settings.FW_FEED_KEEP_CANCELLED = timedelta(hours=1)

    after = client.get(url_of(record), HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    cancelled_at = max(record.cancelled.updated_at, record.retracted.updated_at)
    assert parse_http_date(after["Last-Modified"]) >= int((cancelled_at + timedelta(hours=1)).timestamp())


def test_a_storyline_rename_changes_the_etag(client, record, editor):
    before = client.get(url_of(record))
    services.storyline_update(storyline=record.storyline, by=editor, now=record.now, name="Gaza truce")

    after = client.get(url_of(record), HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert b"X-WR-CALNAME:Gaza truce" in after.content


def test_head_answers_the_validators_without_a_body(client, record):
    response = client.head(url_of(record))

    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"]
