"""The desk: the planning view of newsroom staff, at /desk/.

Four sections, each a page with a count in the navigation: the agenda (this
week, next week, or dates given), what needs a verdict, what changed
recently, and the proposals waiting for review. Every action is one of the
admin's lifecycle moves (timeline/admin/presentation.py: the same form and
the same single service call), or the desk's own assignment
(desk.services.assign); each carries the revision the page was drawn from,
so an item someone changed meanwhile is refused with a clear message and
what the editor typed stays on the form.

Plain HTML forms and links: everything works without JavaScript, and the
pages take the same number of queries whatever the size of the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from core.clock import request_now
from core.roles import user_is_editor
from core.zones import zone
from follow import desk as follow_desk
from timeline import derived, lifecycle
from timeline.admin.presentation import PRESENTATIONS
from timeline.exceptions import InvalidInput, StaleRevision, TimelineError
from timeline.forms import add_refusal, refusal_message
from timeline.models import Actor, Event, Item, Storyline
from timeline.pages import states
from timeline.pages.entries import day, due_text

from . import agenda as agenda_rules
from . import selectors
from .services import assign

Kind = Item.Kind
# The moves the desk offers, per kind, where the table allows them.
VERDICT_MOVES = {Kind.MILESTONE: ("happened", "postpone", "cancel"), Kind.EXPECTATION: ("settle", "overturn", "review")}
PROPOSAL_MOVES = ("publish", "retract")
DESK_MOVES = {*VERDICT_MOVES[Kind.MILESTONE], *VERDICT_MOVES[Kind.EXPECTATION], *PROPOSAL_MOVES}
MAX_RANGE_DAYS = 92


def desk_zone_name() -> str:
    return getattr(settings, "FW_DESK_TZ", "") or settings.TIME_ZONE


# -- What the GET parameters ask for ------------------------------------------------


@dataclass
class Scope:
    """The range and filters of a desk page, read from its query string."""

    first: date
    last: date
    label: str
    week: str
    zone_name: str
    storyline: Storyline | None = None
    actor: Actor | None = None
    assignee: object = None  # a user, "none", or None for anyone
    assignee_param: str = ""
    error: str = ""

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=zone(self.zone_name))

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=zone(self.zone_name))

    def filters(self) -> dict:
        return {"storyline": self.storyline, "actor": self.actor, "assignee": self.assignee}


def _date(value: str, name: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name}: give a date such as 2026-01-19.", fields={name: ["Not a date."]}) from None
    if not 1900 <= day.year <= 2999:  # the calendar's ends would overflow a day later
        raise InvalidInput(f"{name}: a date between 1900 and 2999.", fields={name: ["Out of range."]})
    return day


def this_week(now: datetime) -> Scope:
    """Monday to Sunday around `now`, in the desk's zone: the agenda's default."""
    zone_name = desk_zone_name()
    today = now.astimezone(zone(zone_name)).date()
    monday = today - timedelta(days=today.weekday())
    return Scope(first=monday, last=monday + timedelta(days=6), label="This week", week="this", zone_name=zone_name)


def read_scope(request, now: datetime) -> Scope:
    scope = this_week(now)
    monday = scope.first
    week = request.GET.get("week", "")
    if week == "next":
        scope.first, scope.last, scope.label, scope.week = monday + timedelta(days=7), monday + timedelta(days=13), \
            "Next week", "next"
    try:
        if request.GET.get("from") or request.GET.get("to"):
            first = _date(request.GET.get("from", ""), "from")
            last = _date(request.GET.get("to", "") or request.GET["from"], "to")
            if last < first:
                raise InvalidInput("The range ends before it starts.", fields={"to": ["Before “from”."]})
            if (last - first).days >= MAX_RANGE_DAYS:
                raise InvalidInput(f"A range of at most {MAX_RANGE_DAYS} days.", fields={"to": ["Too long."]})
            scope.first, scope.last, scope.week = first, last, ""
            scope.label = f"{day_label(first)} to {day_label(last)}"
        slug = request.GET.get("storyline", "")
        if slug:
            scope.storyline = Storyline.objects.filter(slug=slug).first()
            if scope.storyline is None:
                raise InvalidInput(f"No storyline “{slug}”.", fields={"storyline": ["Unknown."]})
        slug = request.GET.get("actor", "")
        if slug:
            scope.actor = Actor.objects.filter(slug=slug).first()
            if scope.actor is None:
                raise InvalidInput(f"No actor “{slug}”.", fields={"actor": ["Unknown."]})
        who = request.GET.get("assignee", "")
        scope.assignee_param = who
        if who == "me":
            scope.assignee = request.user
        elif who == "none":
            scope.assignee = "none"
        elif who:
            scope.assignee = selectors.staff().filter(username=who).first()
            if scope.assignee is None:
                raise InvalidInput(f"No member of staff “{who}”.", fields={"assignee": ["Unknown."]})
    except InvalidInput as error:
        scope.error = error.message
    return scope


def day_label(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


# -- Shared page context ---------------------------------------------------------------


def _page(request, template: str, context: dict, *, now: datetime, scope: Scope, section: str, status: int = 200):
    week = this_week(now)
    query = {k: v for k, v in request.GET.items() if k not in ("week", "from", "to")}
    return render(request, template, {
        **context,
        "section": section,
        "scope": scope,
        "counts": selectors.counts(now=now, start=week.start, end=week.end, user=request.user),
        "storylines": Storyline.objects.order_by("name").only("slug", "name"),
        "actors": Actor.objects.order_by("name").only("slug", "name"),
        "staff": selectors.staff().only("username"),
        "filter_query": urlencode(query),
        "here": request.get_full_path(),
    }, status=status)


def _forbidden_unless_staff(view):
    return staff_member_required(view, login_url="admin:login")


def _limited(qs):
    rows = list(qs[: selectors.LIMIT + 1])
    return rows[: selectors.LIMIT], len(rows) > selectors.LIMIT


# -- The sections ------------------------------------------------------------------------


@_forbidden_unless_staff
def agenda(request):
    now = request_now(request)
    scope = read_scope(request, now)
    if scope.error:
        return _page(request, "desk/agenda.html", {"agenda": None}, now=now, scope=scope, section="agenda", status=400)
    items, cut = _limited(selectors.agenda_items(start=scope.start, end=scope.end, **scope.filters()))
    built = agenda_rules.build(items, first=scope.first, last=scope.last, desk_zone=zone(scope.zone_name), now=now)
    return _page(request, "desk/agenda.html", {"agenda": built, "cut": cut, "can_act": _can_act(request.user)},
                 now=now, scope=scope, section="agenda")


@dataclass
class Action:
    name: str
    label: str
    url: str
    one_click: bool


@dataclass
class VerdictRow:
    item: Item
    why: str
    state: str
    state_label: str
    actions: list[Action]


def why_listed(item: Item, now: datetime) -> str:
    """Why "needs a verdict" lists the item: the same three facts as timeline.derived, in words."""
    if derived.is_left_for_editor(item):
        return f"Left for an editor: {item.expectation.undecided_reason}"
    if derived.is_system_miss_unreviewed(item):
        exp = item.expectation
        return (f"Missed, decided by the system on {day(exp.decided_at)}, and not yet reviewed. "
                f"{exp.verdict_note}").strip()
    what = "deadline" if agenda_rules.is_deadline(item) else "window"
    return f"Overdue: its {what} ({item.when.display()}) ended with no outcome recorded; {due_text(item, now)}."


def actions_for(item: Item, names, *, here: str) -> list[Action]:
    specific = item.specific()
    out = []
    for name in names:
        if lifecycle.allows(specific, name):
            url = reverse("desk:act", args=[item.public_id, name]) + "?" + urlencode(
                {"revision": item.revision, "next": here})
            out.append(Action(name, PRESENTATIONS[name].label, url, one_click=not PRESENTATIONS[name].needs_input))
    return out


@_forbidden_unless_staff
def verdicts(request):
    now = request_now(request)
    scope = read_scope(request, now)
    status = 400 if scope.error else 200
    rows, cut = ([], False) if scope.error else _limited(selectors.needs_verdict(now=now, **scope.filters()))
    here = request.get_full_path()
    lines = []
    for item in rows:
        state = states.state_of(item, now)
        lines.append(VerdictRow(item=item, why=why_listed(item, now), state=state, state_label=states.label(state),
                                actions=actions_for(item, VERDICT_MOVES.get(item.kind, ()), here=here)))
    return _page(request, "desk/verdicts.html", {"rows": lines, "cut": cut, "can_act": _can_act(request.user)},
                 now=now, scope=scope, section="verdicts", status=status)


@_forbidden_unless_staff
def recent(request):
    now = request_now(request)
    scope = read_scope(request, now)
    changes, cut = _limited(selectors.recent_changes(now=now))
    return _page(request, "desk/recent.html", {"changes": changes, "cut": cut, "days": selectors.RECENT_DAYS},
                 now=now, scope=scope, section="recent")


@dataclass
class ProposalRow:
    item: Item
    citations: list
    actions: list[Action]
    edit_url: str


@_forbidden_unless_staff
def proposed(request):
    now = request_now(request)
    scope = read_scope(request, now)
    here = request.get_full_path()
    items, cut = _limited(selectors.proposals())
    rows = [
        ProposalRow(item=item, citations=list(item.citations.all()),
                    actions=actions_for(item, PROPOSAL_MOVES, here=here),
                    edit_url=reverse(f"admin:timeline_{item.kind}_change", args=[item.pk]))
        for item in items
    ]
    # Followed feeds: the rows grouped by the article they came from, with its feed's mute buttons.
    groups = follow_desk.group_proposals(rows)
    return _page(request, "desk/proposed.html", {"rows": rows, "groups": groups, "cut": cut,
                                                 "can_act": _can_act(request.user),
                                                 "can_mute": user_is_editor(request.user)},
                 now=now, scope=scope, section="proposed")


# -- Acting on one item ----------------------------------------------------------------


def _can_act(user, kind: str | None = None) -> bool:
    kinds = (kind,) if kind else (Kind.MILESTONE, Kind.EXPECTATION)
    return any(user.has_perm(f"timeline.change_{k}") for k in kinds)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _posted_revision(request, item) -> int | None:
    raw = (request.POST.get("revision") or request.GET.get("revision") or "").strip()
    return int(raw) if raw.isdigit() else None


def _plain_widgets(form, item) -> None:
    """The admin's event pickers search through its JavaScript; on the desk
    they are plain lists of the events of the item's storylines."""
    events = Event.objects.in_record().filter(storylines__in=item.storylines.all()).distinct().order_by("-sort_key")
    for field in form.fields.values():
        if isinstance(field.widget, AutocompleteSelect):
            field.queryset = events
            field.widget = forms.Select(choices=field.widget.choices)
            field.widget.choices = field.choices


def _item(public_id) -> Item:
    return get_object_or_404(
        Item.objects.select_related("expectation", "milestone", "assignee").prefetch_related("storylines"),
        public_id=public_id,
    )


@_forbidden_unless_staff
def act(request, public_id, move):
    if move not in DESK_MOVES:
        raise Http404("The desk has no such action.")
    item = _item(public_id)
    if move not in {m.name for m in lifecycle.moves_for(item.kind)}:
        raise Http404("No such action for this kind of item.")
    if not _can_act(request.user, item.kind):
        raise PermissionDenied
    presentation = PRESENTATIONS[move]
    default_next = reverse("desk:proposed" if move in PROPOSAL_MOVES else "desk:verdicts")
    revision = _posted_revision(request, item)
    form_kwargs = {"items": [item.specific()], "admin_site": admin.site, "kind": item.kind}
    status, stale = 200, False
    if request.method == "POST":
        form = presentation.form_class(request.POST, **form_kwargs)
        _plain_widgets(form, item)
        if form.is_valid():
            try:
                with transaction.atomic():
                    moved = presentation.perform(item.specific(), form.cleaned_data, by=request.user,
                                                 now=request_now(request), expected_revision=revision)
            except TimelineError as refusal:
                if not presentation.needs_input and "one_click" in request.POST:
                    messages.error(request, f"“{item.title}” was not {presentation.done}: {refusal_message(refusal)}")
                    return HttpResponseRedirect(_next_url(request, default_next))
                add_refusal(form, refusal)
                stale = isinstance(refusal, StaleRevision)
                item = _item(public_id)  # show the item as it is now
                revision = item.revision if stale else revision
                status = 409
            else:
                messages.success(request, f"“{moved or item}” was {presentation.done}.")
                return HttpResponseRedirect(_next_url(request, default_next))
        else:
            status = 400
    else:
        form = presentation.form_class(**form_kwargs)
        _plain_widgets(form, item)
    now = request_now(request)
    return _page(request, "desk/act.html", {
        "item": item, "form": form, "presentation": presentation, "move": lifecycle.move(move),
        "revision": revision if revision is not None else item.revision, "stale": stale,
        "next": _next_url(request, default_next), "why": why_listed(item, now) if item.needs_verdict(now) else "",
        "admin_url": reverse(f"admin:timeline_{item.kind}_change", args=[item.pk]),
    }, now=now, scope=read_scope(request, now), section="verdicts" if move not in PROPOSAL_MOVES else "proposed",
        status=status)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=selectors.staff(), required=False, empty_label="Nobody",
                                      to_field_name="username", label="Who watches this")
    reason = forms.CharField(required=False, label="Internal note (change log only)",
                             widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))


@_forbidden_unless_staff
def assign_view(request, public_id):
    item = _item(public_id)
    if not _can_act(request.user, item.kind):
        raise PermissionDenied
    revision = _posted_revision(request, item)
    status, stale = 200, False
    default_next = reverse("desk:agenda")
    if request.method == "POST":
        data = request.POST.copy()
        if data.get("assignee") == "me":
            data["assignee"] = request.user.get_username()
        form = AssignForm(data)
        if form.is_valid():
            try:
                assign(item=item, assignee=form.cleaned_data["assignee"], by=request.user,
                       now=request_now(request), expected_revision=revision, reason=form.cleaned_data["reason"])
            except TimelineError as refusal:
                add_refusal(form, refusal)
                stale = isinstance(refusal, StaleRevision)
                item = _item(public_id)
                revision = item.revision if stale else revision
                status = 409
            else:
                who = form.cleaned_data["assignee"]
                messages.success(request, f"“{item.title}” is now watched by {who.get_username()}." if who
                                 else f"“{item.title}” is now watched by nobody.")
                return HttpResponseRedirect(_next_url(request, default_next))
        else:
            status = 400
    else:
        form = AssignForm(initial={"assignee": item.assignee.get_username() if item.assignee_id else None})
    now = request_now(request)
    return _page(request, "desk/assign.html", {
        "item": item, "form": form, "revision": revision if revision is not None else item.revision,
        "stale": stale, "next": _next_url(request, default_next),
    }, now=now, scope=read_scope(request, now), section="agenda", status=status)

