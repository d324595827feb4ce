"""Every write to the record. See _core.apply_change for how a transition is made safe."""

from ._core import By, apply_change
from .assignment import item_assign
from .items import item_correct, item_create, item_edit, item_publish, item_retract
from .milestones import milestone_cancel, milestone_confirm, milestone_mark_happened, milestone_postpone
from .reference import (
    NewCitation, actor_create, actor_update, citation_add, citation_remove, citations_add, outlet_create,
    outlet_update, source_create, source_update, storyline_create, storyline_update,
)
from .overdue import expectations_apply_grace, grace_period_of, items_notice_overdue, sweep_overdue
from .verdict_rules import Outcome, resettle_after_correction, settle_expectations_of_milestone, verdict_for_actual
from .verdicts import expectation_overturn, expectation_review, expectation_settle, expectation_trigger

__all__ = [name for name in dir() if not name.startswith("_")]
