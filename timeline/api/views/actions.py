"""Lifecycle actions of milestones and expectations: each calls the service the
admin calls. A move the lifecycle forbids answers 409 naming the current
status; a stale If-Match answers 412."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from core.api.views import ActionAPIView
from timeline import lifecycle, services
from timeline.models import Item

from ..serializers.actions import (
    HappenedIn, OverturnIn, PostponeIn, ReasonIn, RequiredReasonIn, ReviewIn, SettleIn, TriggerIn,
)
from ..serializers.items import ExpectationOut, MilestoneOut, service_arguments
from .items import RendersItems

Kind = Item.Kind


class MilestoneAction(RendersItems, ActionAPIView):
    kind = Kind.MILESTONE
    serializer_class = MilestoneOut


class ExpectationAction(RendersItems, ActionAPIView):
    kind = Kind.EXPECTATION
    serializer_class = ExpectationOut


def action_schema(operation_id: str):
    """The path's default would end in "_create"; an action is no create. What
    the move does and where it is allowed from is the lifecycle table's
    (operation ids end in the move's name). Request, responses, errors and
    headers come from the view (core.api.schema)."""
    move = operation_id.split("_", 1)[1]
    return extend_schema_view(post=extend_schema(operation_id=operation_id, description=lifecycle.describe(move)))


# -- Milestones --------------------------------------------------------------------------

@action_schema("milestones_confirm")
class MilestoneConfirm(MilestoneAction):
    input_serializer_class = ReasonIn

    def perform_action(self, item, data, *, expected_revision):
        return services.milestone_confirm(milestone=item.specific(), by=self.request.user, now=self.now,
                                          expected_revision=expected_revision, **data)


@action_schema("milestones_postpone")
class MilestonePostpone(MilestoneAction):
    """A new When (possibly undated); the old one stays in the change log."""

    input_serializer_class = PostponeIn

    def perform_action(self, item, data, *, expected_revision):
        return services.milestone_postpone(milestone=item.specific(), by=self.request.user, now=self.now,
                                           expected_revision=expected_revision, **service_arguments(data))


@action_schema("milestones_happened")
class MilestoneHappened(MilestoneAction):
    """It happened: name the event that shows it, or give the actual When and
    an event is recorded. Open expectations about it are settled by the rules."""

    input_serializer_class = HappenedIn

    def perform_action(self, item, data, *, expected_revision):
        return services.milestone_mark_happened(milestone=item.specific(), by=self.request.user, now=self.now,
                                                expected_revision=expected_revision, **service_arguments(data))


@action_schema("milestones_cancel")
class MilestoneCancel(MilestoneAction):
    """It will not happen; open expectations about it become missed."""

    input_serializer_class = RequiredReasonIn

    def perform_action(self, item, data, *, expected_revision):
        return services.milestone_cancel(milestone=item.specific(), by=self.request.user, now=self.now,
                                         expected_revision=expected_revision, **data)


# -- Expectations ---------------------------------------------------------------------------

@action_schema("expectations_settle")
class ExpectationSettle(ExpectationAction):
    """An editor's verdict, with evidence (an event or a citation) and a note."""

    input_serializer_class = SettleIn

    def perform_action(self, item, data, *, expected_revision):
        return services.expectation_settle(expectation=item.specific(), by=self.request.user, now=self.now,
                                           expected_revision=expected_revision, **data)


@action_schema("expectations_overturn")
class ExpectationOverturn(ExpectationAction):
    """Replace the verdict with another, or reopen it (`open`)."""

    input_serializer_class = OverturnIn

    def perform_action(self, item, data, *, expected_revision):
        return services.expectation_overturn(expectation=item.specific(), by=self.request.user, now=self.now,
                                             expected_revision=expected_revision, **data)


@action_schema("expectations_review")
class ExpectationReview(ExpectationAction):
    """Let the system's verdict stand."""

    input_serializer_class = ReviewIn

    def perform_action(self, item, data, *, expected_revision):
        return services.expectation_review(expectation=item.specific(), by=self.request.user, now=self.now,
                                           expected_revision=expected_revision, **data)


@action_schema("expectations_trigger")
class ExpectationTrigger(ExpectationAction):
    """The condition of a dormant conditional came about: it is open now."""

    input_serializer_class = TriggerIn

    def perform_action(self, item, data, *, expected_revision):
        return services.expectation_trigger(expectation=item.specific(), by=self.request.user, now=self.now,
                                            expected_revision=expected_revision, **data)
