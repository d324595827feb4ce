"""Email through Django's SMTP backend to a real SMTP server (aiosmtpd) on
127.0.0.1: what arrives, and how refusals and an absent server are reported."""

from datetime import date

import pytest
from icalendar import Calendar

from watch.channels.base import DeliveryError
from watch.channels.email import EmailChannel

from .receivers import closed_port, make_news, make_outgoing


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://watch.example.org"
    settings.DEFAULT_FROM_EMAIL = "Forecast Watch <alerts@watch.example.org>"


def calendar_part(message):
    [part] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    return part


def test_the_message_arrives_with_both_parts_headers_and_calendar_entry(smtp_server):
    note = EmailChannel().send(make_outgoing(channel="email", address="reader@example.org"))

    assert "reader@example.org" in note
    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == "alerts@watch.example.org"
    assert envelope.rcpt_tos == ["reader@example.org"]
    [message] = smtp_server.messages()
    assert message["Subject"] == "Reminder: First meeting of the Gaza Board of Peace in 7 days"
    assert message["Message-ID"] == "<dlv_0001@watch.example.org>"
    assert message["List-Unsubscribe"] == "<http://127.0.0.1:8000/watch/unsubscribe/tok123/>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    [alternative] = [part for part in message.walk() if part.get_content_type() == "multipart/alternative"]
    text, html = alternative.get_payload()
    assert text.get_content_type() == "text/plain"
    assert html.get_content_type() == "text/html"
    assert "23 Jan 2026" in text.get_content()
    assert "23 Jan 2026" in html.get_content()

    ics = calendar_part(message)
    assert ics.get_param("method") == "PUBLISH"
    raw = ics.get_payload(decode=True)
    assert b"DTSTART;VALUE=DATE:20260123" in raw
    assert b"DTEND;VALUE=DATE:20260124" in raw
    [event] = Calendar.from_ical(raw).events
    assert str(event["UID"]) == "ms_board_of_peace@watch.example.org"
    assert event["SEQUENCE"] == 3
    assert (event.start, event.end) == (date(2026, 1, 23), date(2026, 1, 24))


def test_sending_the_same_delivery_twice_keeps_its_message_id(smtp_server):
    outgoing = make_outgoing(channel="email", address="reader@example.org", delivery_id="dlv_retry_9")

    EmailChannel().send(outgoing)
    EmailChannel().send(outgoing)

    first, second = smtp_server.messages()
    assert first["Message-ID"] == second["Message-ID"] == "<dlv_retry_9@watch.example.org>"


def test_a_cancellation_arrives_as_a_calendar_cancel(smtp_server):
    news = make_news(
        cause="cancelled", headline="Cancelled: First meeting of the Gaza Board of Peace",
        item_status="cancelled", schedule_version=4,
    )

    EmailChannel().send(make_outgoing(channel="email", address="reader@example.org", news=(news,)))

    [message] = smtp_server.messages()
    ics = calendar_part(message)
    assert ics.get_param("method") == "CANCEL"
    calendar = Calendar.from_ical(ics.get_payload(decode=True))
    assert str(calendar["METHOD"]) == "CANCEL"
    [event] = calendar.events
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 4


def test_a_recipient_refused_for_good_is_a_permanent_failure(smtp_server):
    smtp_server.refuse["gone@example.org"] = "550 5.1.1 No such user here"

    with pytest.raises(DeliveryError) as caught:
        EmailChannel().send(make_outgoing(channel="email", address="gone@example.org"))

    assert caught.value.retryable is False
    assert "550" in caught.value.message
    assert "No such user here" in caught.value.message
    assert smtp_server.envelopes == []


def test_a_recipient_refused_for_now_is_retried(smtp_server):
    smtp_server.refuse["busy@example.org"] = "450 4.2.1 Mailbox busy, try again later"

    with pytest.raises(DeliveryError) as caught:
        EmailChannel().send(make_outgoing(channel="email", address="busy@example.org"))

    assert caught.value.retryable is True
    assert "450" in caught.value.message


def test_a_mail_server_that_is_down_is_retried(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5

    with pytest.raises(DeliveryError) as caught:
        EmailChannel().send(make_outgoing(channel="email", address="reader@example.org"))

    assert caught.value.retryable is True
    assert "Could not reach the mail server" in caught.value.message
