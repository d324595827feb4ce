"""`manage.py follow_feed` and `manage.py poll_feeds --once`, run in this
process against the local outlet with the real reader: a clear message for
bad input, and a summary naming what was polled, read and proposed, and each
error with its reason."""

from __future__ import annotations

from datetime import datetime, timezone
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from follow.models import FollowedFeed
from tests.builders import make_storyline
from timeline import services as timeline
from timeline.models import Item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_follow_then_poll_once(outlet):
    timeline.outlet_create(name="Axios", slug="axios")
    make_storyline("Gaza ceasefire", slug="gaza")
    said = run("follow_feed", outlet.url("/feeds/rss.xml"), "--outlet", "axios", "--storyline", "gaza")
    assert "Following" in said and "the next sweep reads it" in said
    run("follow_feed", outlet.url("/feeds/private.xml"), "--outlet", "axios", "--interval", "1h")
    assert outlet.requests == []

    summary = run("poll_feeds", "--once", "--now", datetime.now(timezone.utc).isoformat())
    proposals = Item.objects.filter(editorial_state="proposed").count()
    assert proposals > 0
    first_line = summary.splitlines()[0]
    assert first_line == (f"2 feeds polled, 0 not modified, 2 new articles, 2 read, {proposals} proposals, "
                          "1 errors.")
    assert f"error: {outlet.url('/feeds/private.xml')}: Feeds and articles may not be fetched from 10.20.30.40" \
        in summary
    assert set(Item.objects.filter(editorial_state="proposed").values_list("storylines__slug", flat=True)) == {"gaza"}

    # Nothing due: nothing polled.
    assert run("poll_feeds", "--once").startswith("0 feeds polled")


def test_bad_input_is_a_message_not_a_traceback(outlet):
    timeline.outlet_create(name="Axios", slug="axios")
    for args, message in [
        (["ftp://example.org/x", "--outlet", "axios"], "must start with http"),
        (["https://example.org/x", "--outlet", "nobody"], "No outlet with slug 'nobody'"),
        (["https://example.org/x", "--outlet", "axios", "--storyline", "nope"], "No storyline with slug 'nope'"),
        (["https://example.org/x", "--outlet", "axios", "--interval", "5s"], "interval"),
    ]:
        with pytest.raises(CommandError, match=message):
            run("follow_feed", *args)
    run("follow_feed", "https://example.org/x", "--outlet", "axios")
    with pytest.raises(CommandError, match="already followed"):
        run("follow_feed", "https://example.org/x", "--outlet", "axios")
    with pytest.raises(CommandError, match="--now"):
        run("poll_feeds", "--once", "--now", "yesterday")
    assert FollowedFeed.objects.count() == 1
