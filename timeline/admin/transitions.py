"""Lifecycle moves from the admin: the buttons on an item's page and the
bulk actions of its list, one per move of the lifecycle table
(timeline/lifecycle.py) for the item's kind; how each looks and which
service it calls is in presentation.py.

Each move is one service call. The admin offers it twice:

- as a bulk action on the list. One that needs no input (confirm, publish,
  review) runs at once; the others show an intermediate page with their form
  (the standard Django pattern: the action returns a TemplateResponse, and
  the form posts back to the list with the action and the selection). Items
  the move is not allowed for are reported as skipped and left alone;
- as a button on the item's page, shown when the table allows the move,
  leading to /<pk>/<move>/, the same form for one item.

The revision each item had on the page the editor acted from travels along
as a hidden `revision_<pk>` (the list renders one per row, the forms carry
it on), and goes to the service as `expected_revision`: an item someone else
changed meanwhile is refused with a clear message instead of being
overwritten. Refusals (TimelineError) become error messages or form errors.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from .. import forms as fw_forms
from ..exceptions import TimelineError
from .base import request_now
from .presentation import Transition, transitions_for

# The hidden input that carries the revision an editor saw, per item.
REVISION_FIELD = "revision_{pk}"


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


def outcome_lines(outcomes) -> list[str]:
    """What the verdict rules did to each expectation, for the editor who
    moved the milestone: settled and how, or left for an editor and why."""
    lines = []
    for outcome in outcomes:
        title = outcome.expectation.title
        if outcome.settled:
            lines.append(f"“{title}”: {outcome.status_after.replace('_', ' ')} — {outcome.reason}")
        else:
            lines.append(f"“{title}” left for an editor: {outcome.reason}")
    return lines


def outcomes_html(outcomes):
    if not outcomes:
        return ""
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in outcome_lines(outcomes))))


class TransitionsMixin:
    """Bulk actions and per-item pages for the moves of `item_kind`."""

    item_kind: str = ""
    transition_template = "admin/timeline/transition.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once, when the admin is registered: a move without a
        # presentation fails there, not on an editor's click.
        self.transitions: tuple[Transition, ...] = transitions_for(self.item_kind)

    def transition(self, name: str) -> Transition:
        return next(t for t in self.transitions if t.name == name)

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
        items = self._movable(request, transition, list(queryset))
        if not items:
            return None
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

    def _movable(self, request, transition, items) -> list:
        """The items the lifecycle lets make the move; each other one is
        reported as skipped, and no service is asked about it."""
        movable = []
        for item in items:
            why = transition.skipped_because(item)
            if why is None:
                movable.append(item)
            else:
                self.message_user(request, f"“{item}” was not {transition.done}: {why}.", messages.ERROR)
        return movable

    def _apply(self, request, transition, items, data, revisions) -> None:
        """Run the service for each item, each in its own transaction: one
        refusal does not undo the others, and each is reported."""
        now = request_now(request)
        done = []
        for item in items:
            try:
                with transaction.atomic():
                    moved = transition.perform(
                        item, data, by=request.user, now=now, expected_revision=revisions.get(item.pk),
                    )
            except TimelineError as refusal:
                self.message_user(
                    request, f"“{item}” was not {transition.done}: {fw_forms.refusal_message(refusal)}",
                    messages.ERROR,
                )
            else:
                done.append(moved if moved is not None else item)
        if done:
            noun = self.opts.verbose_name if len(done) == 1 else self.opts.verbose_name_plural
            outcomes = format_html_join(
                "", "<br>What it settled of the expectations about “{}”:{}",
                ((item, outcomes_html(item.outcomes)) for item in done if getattr(item, "outcomes", None)),
            )
            self.message_user(
                request,
                format_html("{} {} {}: {}.{}", len(done), noun, transition.done,
                            ", ".join(f"“{item}”" for item in done), outcomes),
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
                        moved = transition.perform(
                            item, form.cleaned_data, by=request.user, now=request_now(request),
                            expected_revision=revisions[item.pk],
                        )
                except TimelineError as refusal:
                    fw_forms.add_refusal(form, refusal)
                    item = self.get_object(request, unquote(object_id))  # show what it is now
                else:
                    self.message_user(request, self.transition_done_message(moved or item, transition),
                                      messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
                                args=[item.pk])
                    )
        else:
            raw = request.GET.get("revision", "")
            revisions = {item.pk: int(raw) if raw.isdigit() else item.revision}
            form = transition.form_class(**form_kwargs)
        return self._render_transition(request, transition, form, [item], revisions, bulk=False)

    def transition_done_message(self, item, transition: Transition):
        when = f" When: {fw_forms.describe_window(item.when)}." if transition.moves_when else ""
        outcomes = getattr(item, "outcomes", None)
        return format_html(
            "The {} “{}” was {}.{}{}", self.opts.verbose_name, item, transition.done, when,
            format_html(" What it settled of the expectations about it:{}", outcomes_html(outcomes)) if outcomes else "",
        )

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
