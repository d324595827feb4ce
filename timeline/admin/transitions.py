"""Transitions from the admin: confirm, postpone, mark happened, cancel,
settle, overturn, review, trigger, publish, retract and correct.

Each transition is one service call. The admin offers it twice:

- as a bulk action on the list. One that needs no input (confirm, publish,
  review) runs at once; the others show an intermediate page with their form
  (the standard Django pattern: the action returns a TemplateResponse, and
  the form posts back to the list with the action and the selection);
- as a button on the item's page, leading to /<pk>/<transition>/, the same
  form for one item.

The revision each item had on the page the editor acted from travels along
as a hidden `revision_<pk>` (the list renders one per row, the forms carry
it on), and goes to the service as `expected_revision`: an item someone else
changed meanwhile is refused with a clear message instead of being
overwritten. Refusals (TimelineError) become error messages or form errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from .. import forms as fw_forms
from .. import services
from ..exceptions import TimelineError
from ..models import Expectation, Item
from ..services.verdicts import VERDICTS
from .base import request_now

Status = Item.Status
LIVE_MILESTONE = (Status.SCHEDULED, Status.CONFIRMED)

# The hidden input that carries the revision an editor saw, per item.
REVISION_FIELD = "revision_{pk}"


@dataclass(frozen=True)
class Transition:
    name: str  # the action's name and the URL segment
    label: str  # the button, the action's description
    done: str  # past tense, for messages
    form_class: type[fw_forms.TransitionForm]
    perform: Callable[..., Any]  # (item, data, *, by, now, expected_revision)
    offered: Callable[[Item], bool]  # whether the item's page shows the button
    needs_input: bool = True  # False: the bulk action runs without a form
    explanation: str = ""
    moves_when: bool = False  # the message after it says where the item now stands


# -- What each transition does: exactly one service call ----------------------

def _confirm(item, data, **context):
    services.milestone_confirm(milestone=item, reason=data.get("reason", ""), **context)


def _postpone(item, data, **context):
    services.milestone_postpone(
        milestone=item, when=data["when"], as_of=data.get("when_as_of"), reason=data.get("reason", ""), **context
    )


def _happened(item, data, **context):
    services.milestone_mark_happened(
        milestone=item, event=data.get("event"), actual=data.get("actual"),
        as_of=data.get("when_as_of") if data.get("actual") else None, reason=data.get("reason", ""), **context,
    )


def _cancel(item, data, **context):
    services.milestone_cancel(milestone=item, reason=data["reason"], **context)


def _publish(item, data, **context):
    services.item_publish(item=item, reason=data.get("reason", ""), **context)


def _retract(item, data, **context):
    services.item_retract(item=item, reason=data["reason"], **context)


def _correct(item, data, **context):
    when = data.get("when")
    services.item_correct(
        item=item, reason=data["reason"], status=data.get("status") or None,
        editorial_state=data.get("editorial_state") or None,
        when=when, as_of=data.get("when_as_of") if when is not None and when.is_dated else None, **context,
    )


def _settle(item, data, **context):
    services.expectation_settle(
        expectation=item, status=data["status"], note=data["note"],
        evidence_event=data.get("evidence_event"), evidence_citation=data.get("evidence_citation"), **context,
    )


def _overturn(item, data, **context):
    services.expectation_overturn(
        expectation=item, status=data["status"], note=data["note"],
        evidence_event=data.get("evidence_event"), evidence_citation=data.get("evidence_citation"), **context,
    )


def _review(item, data, **context):
    services.expectation_review(expectation=item, note=data.get("reason", ""), **context)


def _trigger(item, data, **context):
    services.expectation_trigger(
        expectation=item, triggered_at=data.get("triggered_at"), trigger_event=data.get("trigger_event"),
        reason=data.get("reason", ""), **context,
    )


def _system_verdict_unreviewed(item) -> bool:
    exp = item if isinstance(item, Expectation) else None
    return bool(
        exp and exp.status in VERDICTS and exp.decided_by == Expectation.DecidedBy.SYSTEM
        and exp.verdict_reviewed_at is None
    )


PUBLISH = Transition(
    "publish", "Publish", "published", fw_forms.NoteOnlyForm, _publish,
    offered=lambda item: item.editorial_state != Item.EditorialState.PUBLISHED, needs_input=False,
    explanation="Publishing makes the item public: pages, feeds and subscribers see it from now on.",
)
RETRACT = Transition(
    "retract", "Retract", "retracted", fw_forms.ReasonRequiredForm, _retract,
    offered=lambda item: item.editorial_state != Item.EditorialState.RETRACTED,
    explanation="Nothing is deleted: the item leaves public view, calendars show it as cancelled, "
                "and the change log keeps it with your reason.",
)
CORRECT = Transition(
    "correct", "Correct", "corrected", fw_forms.CorrectForm, _correct, offered=lambda item: True, moves_when=True,
    explanation="A correction stands on the record as one: use it to leave a final state "
                "(happened, cancelled, a verdict) or to fix what the item says, with the reason.",
)
CONFIRM = Transition(
    "confirm", "Confirm", "confirmed", fw_forms.NoteOnlyForm, _confirm,
    offered=lambda item: item.status == Status.SCHEDULED, needs_input=False,
)
POSTPONE = Transition(
    "postpone", "Postpone", "postponed", fw_forms.PostponeForm, _postpone,
    offered=lambda item: item.status in LIVE_MILESTONE, moves_when=True,
    explanation="The milestone moves to the new When; the old one stays in the change log.",
)
HAPPENED = Transition(
    "happened", "Mark happened", "marked as happened", fw_forms.HappenedForm, _happened,
    offered=lambda item: item.status in LIVE_MILESTONE,
    explanation="Give the event that shows it happened, or when it happened (an event is then recorded). "
                "Open expectations about the milestone are settled by the verdict rules.",
)
CANCEL = Transition(
    "cancel", "Cancel", "cancelled", fw_forms.ReasonRequiredForm, _cancel,
    offered=lambda item: item.status in LIVE_MILESTONE,
    explanation="Open expectations about the milestone become missed.",
)
SETTLE = Transition(
    "settle", "Settle", "settled", fw_forms.SettleForm, _settle,
    offered=lambda item: item.status in (Status.OPEN, Status.DORMANT),
    explanation="A met verdict needs evidence: an event or one of the item's citations.",
)
OVERTURN = Transition(
    "overturn", "Overturn", "overturned", fw_forms.OverturnForm, _overturn,
    offered=lambda item: item.status in VERDICTS,
    explanation="The new verdict is recorded beside the old one in the change log; "
                "choose open to withdraw the verdict.",
)
REVIEW = Transition(
    "review", "Review (let the system's verdict stand)", "reviewed", fw_forms.ReviewForm, _review,
    offered=_system_verdict_unreviewed, needs_input=False,
)
TRIGGER = Transition(
    "trigger", "Trigger", "triggered", fw_forms.TriggerForm, _trigger,
    offered=lambda item: item.status == Status.DORMANT, moves_when=True,
    explanation="The condition came about: the expectation opens, and its deadline, if it has one, "
                "counts from the trigger.",
)

EVENT_TRANSITIONS = (PUBLISH, RETRACT, CORRECT)
MILESTONE_TRANSITIONS = (CONFIRM, POSTPONE, HAPPENED, CANCEL, PUBLISH, RETRACT, CORRECT)
EXPECTATION_TRANSITIONS = (SETTLE, OVERTURN, REVIEW, TRIGGER, PUBLISH, RETRACT, CORRECT)


def posted_revisions(request, items) -> dict[int, int | None]:
    """The revision each item had on the page the editor acted from.

    Missing (a selection across pages the editor never saw) means no such
    guard: the service still refuses to act on a copy someone changed while
    it worked."""
    revisions = {}
    for item in items:
        raw = request.POST.get(REVISION_FIELD.format(pk=item.pk), "")
        revisions[item.pk] = int(raw) if raw.isdigit() else None
    return revisions


class TransitionsMixin:
    """Bulk actions and per-item pages for the admin's `transitions`."""

    transitions: tuple[Transition, ...] = ()
    transition_template = "admin/timeline/transition.html"

    # -- Bulk actions ------------------------------------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Items are never deleted: retracting, with a reason, is how one leaves.
        actions.pop("delete_selected", None)
        if self.has_change_permission(request):
            for transition in self.transitions:
                actions[transition.name] = (
                    self._bulk_action(transition), transition.name, f"{transition.label} selected %(verbose_name_plural)s"
                )
        return actions

    def _bulk_action(self, transition: Transition):
        def action(modeladmin, request, queryset):
            return modeladmin.run_bulk_transition(request, queryset, transition)

        action.__name__ = transition.name
        return action

    def run_bulk_transition(self, request, queryset, transition: Transition):
        if not self.has_change_permission(request):
            raise PermissionDenied
        items = list(queryset)
        if not transition.needs_input:
            self._apply(request, transition, items, {}, posted_revisions(request, items))
            return None
        form_kwargs = {"items": items, "admin_site": self.admin_site, "kind": self.item_kind}
        if "apply" in request.POST:
            form = transition.form_class(request.POST, **form_kwargs)
            if form.is_valid():
                self._apply(request, transition, items, form.cleaned_data, posted_revisions(request, items))
                return None
        else:
            form = transition.form_class(**form_kwargs)
        return self._render_transition(
            request, transition, form, items, posted_revisions(request, items), bulk=True,
        )

    def _apply(self, request, transition, items, data, revisions) -> None:
        """Run the service for each item, each in its own transaction: one
        refusal does not undo the others, and each is reported."""
        now = request_now(request)
        done = []
        for item in items:
            try:
                with transaction.atomic():
                    transition.perform(item, data, by=request.user, now=now, expected_revision=revisions.get(item.pk))
            except TimelineError as refusal:
                self.message_user(
                    request, f"“{item}” was not {transition.done}: {fw_forms.refusal_message(refusal)}",
                    messages.ERROR,
                )
            else:
                done.append(item)
        if done:
            noun = self.opts.verbose_name if len(done) == 1 else self.opts.verbose_name_plural
            self.message_user(
                request, f"{len(done)} {noun} {transition.done}: {', '.join(f'“{i}”' for i in done)}.",
                messages.SUCCESS,
            )

    # -- One item's page ------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name

        own = [
            path(
                f"<path:object_id>/{transition.name}/",
                self.admin_site.admin_view(partial(self.transition_view, transition=transition)),
                name=f"%s_%s_{transition.name}" % info,
            )
            for transition in self.transitions
        ]
        # Before the defaults: their "<path:object_id>/" would swallow these.
        return own + super().get_urls()

    def transition_url(self, item, transition: Transition) -> str:
        url = reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{transition.name}", args=[item.pk]
        )
        return f"{url}?revision={item.revision}"

    def transition_links(self, request, item) -> list[dict]:
        if not self.has_change_permission(request, item):
            return []
        return [
            {"label": t.label, "url": self.transition_url(item, t), "name": t.name}
            for t in self.transitions if t.offered(item)
        ]

    def transition_view(self, request, object_id, transition: Transition):
        item = self.get_object(request, unquote(object_id))
        if item is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        form_kwargs = {"items": [item], "admin_site": self.admin_site, "kind": self.item_kind}
        if request.method == "POST":
            revisions = posted_revisions(request, [item])
            form = transition.form_class(request.POST, **form_kwargs)
            if form.is_valid():
                try:
                    with transaction.atomic():
                        transition.perform(
                            item, form.cleaned_data, by=request.user, now=request_now(request),
                            expected_revision=revisions[item.pk],
                        )
                except TimelineError as refusal:
                    fw_forms.add_refusal(form, refusal)
                    item = self.get_object(request, unquote(object_id))  # show what it is now
                else:
                    self.message_user(request, self.transition_done_message(item, transition), messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
                                args=[item.pk])
                    )
        else:
            raw = request.GET.get("revision", "")
            revisions = {item.pk: int(raw) if raw.isdigit() else item.revision}
            form = transition.form_class(**form_kwargs)
        return self._render_transition(request, transition, form, [item], revisions, bulk=False)

    def transition_done_message(self, item, transition: Transition) -> str:
        message = f"The {self.opts.verbose_name} “{item}” was {transition.done}."
        if transition.moves_when:
            message += f" When: {fw_forms.describe_window(item.when)}."
        return message

    def _render_transition(self, request, transition, form, items, revisions, *, bulk: bool):
        rows = [
            {"item": item, "revision": revisions.get(item.pk) or item.revision} for item in items
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"{transition.label}: {items[0] if len(items) == 1 else f'{len(items)} {self.opts.verbose_name_plural}'}",
            "opts": self.opts,
            "transition": transition,
            "form": form,
            "rows": rows,
            "bulk": bulk,
            "single": items[0] if not bulk else None,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
            "cancel_url": (
                reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist")
                if bulk else
                reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
                        args=[items[0].pk])
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.transition_template, context)


def revision_input(item) -> str:
    """The hidden input a list row carries: the revision the editor saw."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', REVISION_FIELD.format(pk=item.pk), item.revision
    )
