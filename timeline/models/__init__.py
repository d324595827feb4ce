"""The record: storylines, actors, sources and the dated items they describe.

Every write goes through timeline.services; nothing here saves itself. The
Item table holds what all dated things share, so history, subscriptions,
notifications and feeds point at one table; Event, Milestone and Expectation
extend it one-to-one (multi-table inheritance).
"""

from .changes import Change, ReferenceChange
from .imports import CalendarLink
from .items import UNDATED_SORT_KEY, Event, Expectation, Item, ItemQuerySet, Milestone
from .reference import Actor, Citation, Outlet, Source, Storyline

SYSTEM = "system"  # the actor of changes no person made

__all__ = [
    "SYSTEM", "UNDATED_SORT_KEY", "Actor", "CalendarLink", "Change", "Citation", "Event", "Expectation", "Item",
    "ItemQuerySet", "Milestone", "Outlet", "ReferenceChange", "Source", "Storyline",
]
