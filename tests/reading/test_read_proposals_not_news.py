"""Nothing proposed is public or sends news until an editor publishes it:
the watch pipeline (its change processing and reminder schedule) passes over
every change a reading writes, and the public selectors do not show the
proposals. Publishing one is news like any publication, which shows this
test can see news when there is some."""

from datetime import datetime, timezone

import pytest

from reading.services import read_article
from timeline import services as timeline_services
from timeline.models import Change, Item
from watch import services as watch_services
from watch.models import Notification, ReminderDue

from .reader_helpers import NOW, PUBLISHED, article_text, make_reference

pytestmark = pytest.mark.django_db


def test_proposals_send_no_news_until_published(editor):
    ref = make_reference()
    watch_services.subscription_create(now=NOW, email="everything@example.org", everything=True, confirmed=True)
    watch_services.subscription_create(now=NOW, email="gaza@example.org", storyline="gaza-ceasefire",
                                       confirmed=True)
    reading = read_article(text=article_text(), published=PUBLISHED, outlet=ref["axios"],
                           storyline=ref["storylines"]["gaza-ceasefire"], now=NOW)
    assert len(reading.created) == 13
    watch_services.process_changes(now=NOW)

    changes = Change.objects.filter(item__editorial_state="proposed")
    assert changes.exists() and not changes.filter(public=True).exists()
    assert not changes.filter(processed_at__isnull=True).exists(), "watch saw every row, and passed over it"
    assert not Notification.objects.exists() and not ReminderDue.objects.exists()
    assert not Item.objects.public().exists()

    davos = next(e.item for e in reading.created if e.kind == "milestone" and "Davos" in e.citation.quote)
    later = datetime(2025, 12, 31, 9, 0, tzinfo=timezone.utc)
    timeline_services.item_publish(item=davos, by=editor, now=later)
    watch_services.process_changes(now=later)
    assert sorted(Notification.objects.values_list("endpoint__address", "kind")) == [
        ("everything@example.org", "new_item"), ("gaza@example.org", "new_item")]
    assert list(Item.objects.public()) == [davos.item_ptr]
