"""What an editor marks as an internal note stays in the change log: no
subscriber reads it, by email or webhook; the public note is what they get."""

from datetime import date

import pytest

from tests.builders import day_when, make_milestone, make_storyline
from tests.watch.support import send_due, subscribe
from timeline import services as timeline
from timeline.models import SYSTEM
from watch import services

pytestmark = pytest.mark.django_db

INTERNAL = "Our source at the WEF asked not to be named."
PUBLIC = "The World Economic Forum moved the meeting by two weeks."


def test_subscribers_read_the_public_note_and_never_the_internal_one(now, email_channel):
    make_storyline(slug="gaza-ceasefire")
    davos = make_milestone(now=now, when=day_when(date(2027, 1, 23), tz="Europe/Zurich"),
                           storylines=[make_storyline(slug="davos")])
    subscribe(now=now, storyline="davos")
    services.process_changes(now=now)

    timeline.milestone_postpone(milestone=davos, by=SYSTEM, now=now, when=day_when(date(2027, 2, 6), tz="Europe/Zurich"),
                                reason=INTERNAL, public_note=PUBLIC)
    services.process_changes(now=now)
    assert "sent" in send_due(now)

    [mail] = [m for m in email_channel.sent if any(n.cause == "moved" for n in m.news)]
    [news] = mail.news
    assert PUBLIC in news.detail
    assert INTERNAL not in news.detail
    assert all(INTERNAL not in (n.detail or "") for m in email_channel.sent for n in m.news)
