"""An item's When as the API renders it: WhenOut writes its fields out for
speed, and must give exactly what DRF's field-by-field walk gives."""

from datetime import date, datetime, timezone

import pytest
from rest_framework import serializers

from tests.builders import day_when, make_event, make_milestone
from timeline.api.serializers.when import WhenOut
from timeline.models import Item
from timeline.when import When
from timeline.whenparse import parse_when

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)


def whens():
    return [
        make_milestone(now=NOW, when=day_when(date(2026, 1, 23), tz="Europe/Zurich", text="on Jan. 23"),
                       as_of=date(2025, 12, 30)),
        make_milestone(now=NOW, when=parse_when("~March", as_of=date(2025, 12, 30), tz="Asia/Tehran",
                                                kind="milestone"), as_of=date(2025, 12, 30)),
        make_milestone(now=NOW, when=When.undated("TBD")),
        make_event(now=NOW, when=day_when(date(2025, 6, 13), tz="Asia/Tehran")),
    ]


def test_written_out_when_matches_drf_walk():
    items = [Item.objects.get(pk=item.pk) for item in whens()]
    out = WhenOut()

    for item in items:
        assert out.to_representation(item) == serializers.Serializer.to_representation(out, item)


def test_an_undated_when_renders_nulls():
    undated = Item.objects.get(pk=make_milestone(now=NOW, when=When.undated("TBD")).pk)

    rendered = WhenOut().to_representation(undated)

    assert (rendered["text"], rendered["start"], rendered["end"], rendered["as_of"]) == ("TBD", None, None, None)
    assert list(rendered) == list(WhenOut().fields)
