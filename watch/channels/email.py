"""The email channel: one message per delivery, with a stable Message-ID.

The message has a plain-text and an HTML part rendered from
watch/templates/watch/email/, a one-click unsubscribe (RFC 8058), and, for a
notice about one dated item, that item as an .ics calendar entry whose UID and
SEQUENCE let calendars update the entry when the item moves.

It is sent through Django's configured mail backend (SMTP from EMAIL_URL in
production, the console under `make run`, locmem in tests), outside any
database transaction: the delivery pipeline calls `send` and records the
outcome.

One connection per worker process: the channel opens it at its first send and
keeps it for the next ones (an SMTP session costs a TCP connection, EHLO,
perhaps STARTTLS and a login: most of the time of a send to a fast server),
until it has been idle for KEEPALIVE_SECONDS, the mail settings change, or a
send fails, after which the next send opens a new one. A connection the server
dropped while idle is noticed at the next send, which is tried once more on a
new connection.
"""

from __future__ import annotations

import re
import smtplib
import time
from dataclasses import replace
from datetime import datetime, timezone
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

from core.bidi import strip_bidi_controls

from .. import calendar
from .base import DeliveryError, NewsItem, Outgoing

SUBJECT_MAX_LENGTH = 150
# Servers drop idle sessions (often after a minute or five); a connection
# unused for longer than this is closed and opened afresh.
KEEPALIVE_SECONDS = 30

# Characters allowed on the left of a Message-ID's "@" without quoting (a
# conservative subset of RFC 5322's dot-atom text).
_MESSAGE_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


class EmailChannel:
    name = "email"

    def __init__(self):
        self._connection = None
        self._settings: tuple = ()
        self._last_used = 0.0
        self._last_ics: tuple[tuple, str] = ((), "")

    def send(self, outgoing: Outgoing) -> str:
        message = self.build_message(outgoing)
        try:
            sent = self._send(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise _refused(exc) from exc
        except smtplib.SMTPAuthenticationError as exc:
            # Our own credentials were refused. Retrying helps once an operator
            # fixes EMAIL_URL, and the retry cap bounds the cost until then;
            # marking every delivery dead would lose mail over a config typo.
            raise DeliveryError(f"The mail server refused our login: {_smtp_reply(exc)}", retryable=True) from exc
        except smtplib.SMTPResponseException as exc:
            # 5xx is the server's "do not try again"; 4xx its "not now".
            raise DeliveryError(
                f"The mail server answered {_smtp_reply(exc)}", retryable=exc.smtp_code < 500
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            # Refused or reset connections, timeouts, TLS failures, a server
            # that hung up: all may pass.
            reason = str(exc) or type(exc).__name__
            raise DeliveryError(f"Could not reach the mail server: {reason}", retryable=True) from exc
        except ValueError as exc:
            # Django's address sanitising rejects what cannot be an address.
            raise DeliveryError(f"Cannot send to {outgoing.address!r}: {exc}", retryable=False) from exc
        if not sent:
            raise DeliveryError(f"The mail backend sent nothing to {outgoing.address!r}.", retryable=False)
        return f"accepted by the mail server for {outgoing.address}"

    def _send(self, message: EmailMultiAlternatives) -> int:
        reused = self._connection is not None
        connection = self._open()
        try:
            sent = connection.send_messages([message])
        except smtplib.SMTPServerDisconnected:
            self.close()
            if not reused:
                raise
            # Dropped by the server while we kept it: once more, on a new one.
            connection = self._open()
            try:
                sent = connection.send_messages([message])
            except BaseException:
                self.close()
                raise
        except BaseException:
            # A session in an unknown state (a refused recipient may leave it
            # usable, a timeout does not) is not reused.
            self.close()
            raise
        self._last_used = time.monotonic()
        return sent

    def _open(self):
        current = _mail_settings()
        if self._connection is not None and (
            current != self._settings or time.monotonic() - self._last_used > KEEPALIVE_SECONDS
        ):
            self.close()
        if self._connection is None:
            connection = get_connection(fail_silently=False)
            connection.open()
            self._connection, self._settings, self._last_used = connection, current, time.monotonic()
        return self._connection

    def close(self) -> None:
        """Close the kept connection, if any (idle, failed, or the worker process ending)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # closing a broken session: nothing to save
                pass

    def build_message(self, outgoing: Outgoing) -> EmailMultiAlternatives:
        """The message `send` sends, without sending it."""
        if not outgoing.news:
            raise DeliveryError("A delivery without news has nothing to say.", retryable=False)
        if not outgoing.delivery_id:
            raise DeliveryError("A delivery without an id cannot be deduplicated by its receiver.", retryable=False)

        template = "digest" if outgoing.is_digest else "notice"
        context = _context(outgoing)
        message = EmailMultiAlternatives(
            subject=_subject(outgoing),
            body=render_to_string(f"watch/email/{template}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[outgoing.address],
            headers=_headers(outgoing),
        )
        message.attach_alternative(render_to_string(f"watch/email/{template}.html", context), "text/html")

        if not outgoing.is_digest:
            news = outgoing.news[0]
            if calendar.has_calendar_entry(news):
                method = calendar.calendar_method(news)
                message.attach(_ics_part(news, self._ics_text(news, method), method))
        return message

    def _ics_text(self, news: NewsItem, method: str) -> str:
        """The calendar entry of one piece of news, stamped to the second. A
        batch of the same news to many readers in one zone asks for the same
        entry again and again (only the notification differs, which the entry
        does not show), so the last one built is kept."""
        stamp = datetime.now(timezone.utc).replace(microsecond=0)
        key = (repr(replace(news, notification_id="")), method, stamp)
        if self._last_ics[0] != key:
            self._last_ics = (key, calendar.build_ics(news, method=method, now=stamp).decode("utf-8"))
        return self._last_ics[1]


def _mail_settings() -> tuple:
    # What get_connection builds its backend from: when any of it changes (a
    # test's override, a reloaded setting), the kept connection is dropped.
    return (settings.EMAIL_BACKEND, getattr(settings, "EMAIL_HOST", ""), getattr(settings, "EMAIL_PORT", None),
            getattr(settings, "EMAIL_HOST_USER", ""), getattr(settings, "EMAIL_USE_TLS", False),
            getattr(settings, "EMAIL_USE_SSL", False), getattr(settings, "EMAIL_TIMEOUT", None))


def message_id(delivery_id: str) -> str:
    """The Message-ID of a delivery: the same on every attempt, so a mail
    client or server that sees a retry of a message it has treats it as one."""
    return f"<{_MESSAGE_ID_UNSAFE.sub('-', delivery_id)}@{calendar.site_host()}>"


def _headers(outgoing: Outgoing) -> dict[str, str]:
    headers = {
        "Message-ID": message_id(outgoing.delivery_id),
        # RFC 3834: tells mail servers and people's vacation responders not to answer.
        "Auto-Submitted": "auto-generated",
    }
    if outgoing.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{outgoing.unsubscribe_url}>"
        # RFC 8058: the mail client may POST to that URL to unsubscribe in one
        # click; a GET (a mail scanner following links) only shows a page.
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def _subject(outgoing: Outgoing) -> str:
    headlines = [news.headline for news in outgoing.news]
    if not outgoing.is_digest:
        subject = headlines[0]
    elif len(headlines) == 1:
        subject = f"Your digest: {headlines[0]}"
    else:
        subject = f"Your digest: {headlines[0]} and {len(headlines) - 1} more"
    # A header must be one line: a title typed with a line break would
    # otherwise make Django refuse the whole message (BadHeaderError).
    # Nor can a header isolate a right-to-left override (core/bidi.py): drop it.
    subject = " ".join(strip_bidi_controls(subject).split())
    if len(subject) > SUBJECT_MAX_LENGTH:
        subject = subject[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
    return subject


def _context(outgoing: Outgoing) -> dict:
    entries = [_entry(news) for news in outgoing.news]
    return {
        "entry": entries[0],
        "entries": entries,
        "is_digest": outgoing.is_digest,
        "manage_url": outgoing.manage_url,
        "unsubscribe_url": outgoing.unsubscribe_url,
        "site_url": settings.SITE_URL,
    }


def _entry(news: NewsItem) -> dict:
    """What the templates show of one piece of news, already worded."""
    reported = (news.when or {}).get("text") or ""
    verdict_line = ""
    if news.verdict:
        verdict_line = _label(news.verdict.get("status", ""))
        decided_by = news.verdict.get("decided_by")
        # The note is usually the news's detail, shown above this line:
        # repeat it here only when it is not. The system decides by the grace
        # rule or by a milestone's outcome; the note says which.
        if decided_by == "system":
            verdict_line += " (decided automatically by the system; an editor may review or overturn it)"
        elif decided_by:
            verdict_line += f" (decided by {'an editor' if decided_by == 'editor' else decided_by})"
        note = (news.verdict.get("note") or "").strip()
        if note and note not in (news.detail or ""):
            verdict_line += f": {note}"
    return {
        "headline": news.headline,
        "title": news.item_title,
        "kind": news.item_kind,
        "when": news.when_display,
        "reported_as": reported if reported and reported != news.when_display else "",
        "status": _label(news.item_status),
        "detail": news.detail,
        "verdict": verdict_line,
        "url": news.item_url,
    }


def _label(status: str) -> str:
    return status.replace("_", " ")


def _ics_part(news: NewsItem, text: str, method: str) -> MIMEText:
    part = MIMEText(text, "calendar", "utf-8")
    # The method parameter on the MIME type must match the calendar's METHOD
    # (RFC 6047), or some clients ignore the entry.
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=f"{news.item_public_id}.ics")
    return part


def _refused(exc: smtplib.SMTPRecipientsRefused) -> DeliveryError:
    replies = exc.recipients.values()
    detail = "; ".join(
        f"{address}: {code} {_text(reply)}" for address, (code, reply) in exc.recipients.items()
    )
    # A 550 "no such user" will not change; a 450 (greylisting, a full
    # mailbox) may.
    permanent = bool(replies) and all(code >= 500 for code, _ in replies)
    return DeliveryError(f"The mail server refused the recipient: {detail}", retryable=not permanent)


def _smtp_reply(exc: smtplib.SMTPResponseException) -> str:
    return f"{exc.smtp_code} {_text(exc.smtp_error)}"


def _text(reply) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
