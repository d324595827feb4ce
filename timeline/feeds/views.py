"""The public calendar feeds: per storyline, per actor, and everything.

Anyone may subscribe (published items only, as on the pages). Each answer
carries a strong ETag and Last-Modified; a client whose copy is current gets
a 304 without the calendar being built (timeline/feeds/http.py).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from core.clock import request_now

from .. import selectors
from ..models import Item
from . import entries as feed_entries
from .http import calendar_response
from .selectors import calendar_items, feed_validators, items_with_actor, with_entry_relations


def _serve(request, *, scope: QuerySet, name: str, filename: str, key: tuple):
    now = request_now(request)
    validators = feed_validators(scope, now=now, params=key)

    def build():
        items = with_entry_relations(calendar_items(scope, now=now))
        return [entry for entry in map(feed_entries.item_entry, items) if entry is not None]

    return calendar_response(request, validators=validators, entries=build, name=name, filename=filename)


@require_safe
def storyline_ics(request, slug: str):
    storyline = get_object_or_404(selectors.storylines(), slug=slug)
    return _serve(request, scope=selectors.items_in_storyline(storyline), name=f"{storyline.name} · Forecast Watch",
                  filename=f"storyline-{storyline.slug}", key=("storyline", storyline.pk))


@require_safe
def actor_ics(request, slug: str):
    actor = get_object_or_404(selectors.actors(), slug=slug)
    return _serve(request, scope=items_with_actor(actor), name=f"{actor.name} · Forecast Watch", filename=f"actor-{actor.slug}",
                  key=("actor", actor.pk))


@require_safe
def all_ics(request):
    return _serve(request, scope=Item.objects.all(), name="Forecast Watch", filename="forecast-watch",
                  key=("all",))
