"""An item as the API renders it. The item serializers write their fields out
for speed (as WhenOut does) over items whose references are fetched after
the page (with_item_relations); both must give, byte for byte, what DRF's
field-by-field walk gives over the same items with every reference joined,
for every kind, state and reference, to anonymous readers and to editors.
And the keys they write are the schema's, in its order."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from tests.api.test_query_counts import World
from tests.api.varied import build_varied_record
from timeline.api.serializers.items import OUT_BY_KIND, with_item_relations
from timeline.models import Item

pytestmark = pytest.mark.django_db

# What with_item_relations joined before it fetched the referenced items by prefetch.
JOINED = (
    "milestone__happened_event", "expectation__holder", "expectation__holder_citation",
    "expectation__about_milestone", "expectation__evidence_event", "expectation__trigger_event",
)


@pytest.fixture
def record(editor, clock):
    build_varied_record(clock, editor=editor)
    World(clock).grow_to(8)


def context(clock, *, is_editor: bool) -> dict:
    return {"request": Request(APIRequestFactory().get("/api/v1/items/")), "now": clock, "is_editor": is_editor}


@pytest.mark.parametrize("is_editor", [False, True], ids=["anonymous", "editor"])
def test_written_out_items_match_drf_walk_over_joined_references(record, clock, is_editor):
    items = list(with_item_relations(Item.objects.all()).order_by("id"))
    joined = {item.pk: item for item in with_item_relations(Item.objects.all()).select_related(*JOINED)}
    render = JSONRenderer().render
    kinds = set()

    for item in items:
        out = OUT_BY_KIND[item.kind](context=context(clock, is_editor=is_editor))
        walked = serializers.Serializer.to_representation(out, joined[item.pk])

        assert render(out.to_representation(item)) == render(walked), item.title
        kinds.add(item.kind)

    assert kinds == set(OUT_BY_KIND)


def test_the_record_holds_every_reference_and_verdict(record, clock):
    # So that the comparison above covers each branch of the written-out code.
    rendered = [OUT_BY_KIND[item.kind](context=context(clock, is_editor=False)).to_representation(item)
                for item in with_item_relations(Item.objects.all())]
    for key in ("happened_event", "about_milestone", "trigger_event", "holder", "holder_citation", "probability",
                "grace_period", "trigger_deadline", "triggered_at", "verdict", "actual_when"):
        values = [row[key] for row in rendered if key in row]
        assert any(v is None for v in values) and any(v is not None for v in values), key
    verdicts = [row["verdict"] for row in rendered if row.get("verdict")]
    assert any(v["evidence_event"] for v in verdicts) and any(v["evidence_event"] is None for v in verdicts)
    assert any(row["citations"] for row in rendered)


def test_written_out_keys_are_the_schema(record, clock):
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]

    for item in with_item_relations(Item.objects.all()):
        serializer = OUT_BY_KIND[item.kind]
        rendered = serializer(context=context(clock, is_editor=True)).to_representation(item)

        assert list(rendered) == list(components[serializer.__name__]["properties"]), item.kind
