"""The desk's buttons for followed feeds: mute a feed, or a kind of proposal
from it. POST forms (CSRF-protected), editors only, each one service call,
then back to the page the editor came from (the Proposed queue)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.clock import request_now
from core.errors import ServiceError
from core.roles import user_is_editor

from . import services
from .models import FollowedFeed


def _editor_only(request) -> None:
    if not user_is_editor(request.user):
        raise PermissionDenied("Only editors may mute a followed feed.")


def _back(request):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("admin:follow_followedfeed_changelist")


@require_POST
def feed_mute(request, pk: int):
    _editor_only(request)
    feed = get_object_or_404(FollowedFeed, pk=pk)
    if request.POST.get("undo"):
        services.feed_unmute(feed=feed, now=request_now(request))
        messages.success(request, f"{feed.outlet.name}'s feed {feed.url} is polled again.")
    else:
        services.feed_mute(feed=feed)
        messages.success(request, f"Muted {feed.outlet.name}'s feed {feed.url}: it is no longer polled.")
    return _back(request)


@require_POST
def feed_mute_kind(request, pk: int):
    _editor_only(request)
    feed = get_object_or_404(FollowedFeed, pk=pk)
    kind = request.POST.get("kind", "")
    try:
        if request.POST.get("undo"):
            services.feed_unmute_kind(feed=feed, kind=kind)
            messages.success(request, f"{kind.capitalize()} proposals from {feed.outlet.name}'s feed are back.")
        else:
            services.feed_mute_kind(feed=feed, kind=kind)
            messages.success(request, f"No more {kind} proposals from {feed.outlet.name}'s feed {feed.url}.")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return _back(request)
