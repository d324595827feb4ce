"""What an alert email says and carries: text and HTML, a stable Message-ID,
one-click unsubscribe headers, and the item as a calendar entry."""

import pytest
from django.core import mail
from icalendar import Calendar

from timeline.when import When
from watch.channels.base import DeliveryError
from watch.channels.email import EmailChannel

from .receivers import make_news, make_outgoing


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://watch.example.org"
    settings.DEFAULT_FROM_EMAIL = "Forecast Watch <alerts@watch.example.org>"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def send(**fields):
    fields.setdefault("address", "reader@example.org")
    EmailChannel().send(make_outgoing(channel="email", **fields))
    return mail.outbox[-1]


def html_of(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_a_notice_says_what_happened_when_and_where_to_read_more():
    message = send()

    assert message.subject == "Reminder: First meeting of the Gaza Board of Peace in 7 days"
    assert message.to == ["reader@example.org"]
    assert message.from_email == "Forecast Watch <alerts@watch.example.org>"
    for part in (message.body, html_of(message)):
        assert "First meeting of the Gaza Board of Peace" in part
        assert "23 Jan 2026" in part  # NewsItem.when_display, as given
        assert "on Jan. 23" in part  # the words as reported
        assert "Chaired by Trump, at the World Economic Forum in Davos." in part
        assert "http://127.0.0.1:8000/items/ms_board_of_peace/" in part
        assert "http://127.0.0.1:8000/watch/manage/tok456/" in part
        assert "http://127.0.0.1:8000/watch/unsubscribe/tok123/" in part
    assert "Manage your subscriptions" in message.body
    assert "Unsubscribe" in html_of(message)


def test_the_message_id_is_the_delivery_id_at_the_site_host_on_every_attempt():
    first = send(delivery_id="dlv_77")
    again = send(delivery_id="dlv_77")

    assert first.message()["Message-ID"] == again.message()["Message-ID"] == "<dlv_77@watch.example.org>"


def test_unsafe_characters_in_a_delivery_id_do_not_break_the_message_id():
    message = send(delivery_id="dlv 7@<x>")

    assert message.message()["Message-ID"] == "<dlv-7--x-@watch.example.org>"


def test_one_click_unsubscribe_headers_follow_rfc_8058():
    headers = send().message()

    assert headers["List-Unsubscribe"] == "<http://127.0.0.1:8000/watch/unsubscribe/tok123/>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Auto-Submitted"] == "auto-generated"


def test_without_an_unsubscribe_url_there_are_no_unsubscribe_headers():
    headers = send(unsubscribe_url="").message()

    assert headers["List-Unsubscribe"] is None
    assert headers["List-Unsubscribe-Post"] is None


def test_a_verdict_shows_who_decided_and_the_note():
    verdict = make_news(
        cause="verdict",
        headline="Missed: The Board of Peace meets at Davos on Jan. 23",
        item_kind="expectation",
        item_status="missed",
        detail="",
        verdict={"status": "missed", "decided_by": "system", "note": "No meeting was reported by the deadline."},
    )

    message = send(news=(verdict,))

    for part in (message.body, html_of(message)):
        assert "Verdict: missed (decided automatically" in part.replace("<strong>", "").replace("</strong>", "")
        assert "No meeting was reported by the deadline." in part


def test_titles_are_escaped_in_html_but_not_in_text():
    message = send(news=(make_news(item_title="Trump & Netanyahu <meet>"),))

    assert "Trump &amp; Netanyahu &lt;meet&gt;" in html_of(message)
    assert "Trump & Netanyahu <meet>" in message.body


def test_a_headline_with_a_line_break_makes_a_one_line_subject():
    message = send(news=(make_news(headline="Moved:\nThe meeting\r\nat Davos"),))

    assert message.subject == "Moved: The meeting at Davos"


def test_a_dated_notice_carries_the_item_as_a_calendar_entry():
    message = send()

    [attachment] = message.attachments
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH"
    assert attachment.get_filename() == "ms_board_of_peace.ics"
    [event] = Calendar.from_ical(attachment.get_payload(decode=True)).events
    assert str(event["UID"]) == "ms_board_of_peace@watch.example.org"
    assert event["SEQUENCE"] == 3


def test_a_cancellation_carries_a_cancel_entry():
    news = make_news(cause="cancelled", headline="Cancelled: Board of Peace meeting", item_status="cancelled")

    [attachment] = send(news=(news,)).attachments

    assert attachment.get_param("method") == "CANCEL"
    calendar = Calendar.from_ical(attachment.get_payload(decode=True))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(calendar.events[0]["STATUS"]) == "CANCELLED"


def test_an_undated_notice_has_no_calendar_entry():
    message = send(news=(make_news(when=When.undated("no date given"), when_display="no date yet"),))

    assert message.attachments == []
    assert "no date yet" in message.body


def test_a_digest_lists_every_piece_of_news_without_a_calendar_entry():
    moved = make_news(cause="moved", headline="Moved: Trump announces phase two", item_title="Phase two")
    reminder = make_news()

    message = send(news=(moved, reminder), is_digest=True, delivery_id="dlv_digest_3")

    assert message.subject == "Your digest: Moved: Trump announces phase two and 1 more"
    assert message.attachments == []
    for part in (message.body, html_of(message)):
        assert "2 updates" in part
        assert "Moved: Trump announces phase two" in part
        assert "Reminder: First meeting of the Gaza Board of Peace in 7 days" in part
    assert message.message()["Message-ID"] == "<dlv_digest_3@watch.example.org>"


def test_an_address_that_cannot_be_one_fails_permanently():
    with pytest.raises(DeliveryError) as caught:
        EmailChannel().send(make_outgoing(channel="email", address="reader@example.org\nBcc: everyone@example.org"))

    assert caught.value.retryable is False
    assert mail.outbox == []
