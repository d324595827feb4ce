"""Forms of the editors' admin.

Nothing here writes. These forms read what an editor typed, turn a date
phrase into a When through the parser, and hand clean values to
timeline.services, which do every write (see timeline/admin/).

- when.py: the When field (phrase, as of, zone) every form that takes a When uses;
- items.py: an item's add and change forms, its citations;
- transitions.py: one form per lifecycle move that needs input;
- reference.py: storylines, actors, outlets, sources;
- refusals.py: a service's refusal shown on the form.
"""

from .items import (
    CitationAdminForm, CitationInlineForm, EventAdminForm, ExpectationAdminForm, ItemAdminForm, MilestoneAdminForm,
)
from .reference import ActorAdminForm, LinesField, OutletAdminForm, SourceAdminForm, StorylineAdminForm
from .refusals import RefusableForm, add_refusal, refusal_message
from .transitions import (
    CorrectForm, HappenedForm, NotesForm, OverturnForm, PostponeForm, PublishForm, PublicReasonForm, ReviewForm, SettleForm,
    TransitionForm, TriggerForm, VerdictForm,
)
from .when import WhenField, WhenTyped, ZoneField, describe_window, find_zone, read_for_items, read_when

__all__ = [
    "ActorAdminForm", "CitationAdminForm", "CitationInlineForm", "CorrectForm", "EventAdminForm",
    "ExpectationAdminForm", "HappenedForm", "ItemAdminForm", "LinesField", "MilestoneAdminForm", "NotesForm",
    "OutletAdminForm", "OverturnForm", "PostponeForm", "PublishForm", "PublicReasonForm", "RefusableForm", "ReviewForm",
    "SettleForm", "SourceAdminForm", "StorylineAdminForm", "TransitionForm", "TriggerForm", "VerdictForm",
    "WhenField", "WhenTyped", "ZoneField", "add_refusal", "describe_window", "find_zone", "read_for_items",
    "read_when", "refusal_message",
]
