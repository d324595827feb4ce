"""Pages for subscribers who have no account: each is reached through a signed
link (watch.signing), so the link is the credential.

Links in emails are followed by mail scanners, so a GET never changes
anything: it shows a page with a button, and the button POSTs. The one
exception to "POSTs carry a CSRF token" is the one-click unsubscribe of
RFC 8058, which mail clients POST themselves (`List-Unsubscribe=One-Click`)
without ever loading a page. A bad, altered or expired link gets a 400 page
that says so, never a 500.

Subscribing needs no account: the form on the home, storyline, actor and item
pages posts to SubscribeView, which writes an unconfirmed subscription and
owes a confirmation mail (watch.services.confirmations) and answers with the
same "check your inbox" page whatever the address already had.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from core.clock import request_now
from core.errors import InvalidInput, ServiceError, TransitionNotAllowed

from . import services, throttles
from .forms import ManageForm, SubscribeForm
from .models import Endpoint, Subscriber, Subscription
from .selectors import (
    deliveries_to_subscriber, endpoint_by_id, follow_target, subscriber_by_id, subscription_by_id,
    subscriptions_emailing, subscriptions_of_subscriber,
)
from .signing import BadToken, read_token


class BadLink(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def bad_link(request, message: str):
    return render(request, "watch/bad_link.html", {"message": message}, status=400)


class SignedLinkView(View):
    """Reads the token before any handler runs; a bad one ends in the 400 page."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except BadToken as exc:
            return bad_link(request, exc.message)
        except BadLink as exc:
            return bad_link(request, exc.message)
        except ServiceError as exc:
            return bad_link(request, exc.message)


def _id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise BadLink("The link is not valid.") from None


class ConfirmView(SignedLinkView):
    """Double opt-in: the link in the confirmation mail."""

    def subscription(self, token: str) -> Subscription:
        value = read_token("confirm", token, max_age=settings.WATCH_CONFIRM_MAX_AGE_SECONDS)
        subscription = subscription_by_id(_id(value))
        if subscription is None:
            raise BadLink("This subscription no longer exists.")
        return subscription

    def get(self, request, token):
        subscription = self.subscription(token)
        return render(request, "watch/confirm.html", {"subscription": subscription, "done": False})

    def post(self, request, token):
        subscription = self.subscription(token)
        services.subscription_confirm(subscription=subscription, now=timezone.now())
        # The person holds a link mailed to this address: the address's manage page is theirs to open.
        return render(request, "watch/confirm.html", {
            "subscription": subscription, "done": True,
            "manage_url": services.manage_link(subscription.subscriber_id),
        })


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(SignedLinkView):
    """One-click unsubscribe (RFC 8058). GET: a page with a button. POST: done,
    whether from that button or from the mail client's own POST."""

    def target(self, token: str) -> tuple[Endpoint, list[int]]:
        endpoint_id, _, ids = read_token("unsubscribe", token).partition(":")
        endpoint = endpoint_by_id(_id(endpoint_id))
        if endpoint is None:
            raise BadLink("This address is no longer subscribed to anything.")
        return endpoint, [_id(pk) for pk in ids.split(",") if pk]

    def get(self, request, token):
        endpoint, ids = self.target(token)
        return render(request, "watch/unsubscribe.html", {
            "endpoint": endpoint, "subscriptions": list(subscriptions_emailing(endpoint, ids=ids)), "done": False,
        })

    def post(self, request, token):
        endpoint, ids = self.target(token)
        subscriptions = list(subscriptions_emailing(endpoint, ids=ids))
        services.subscriptions_stop_email(endpoint=endpoint, subscription_ids=ids, now=timezone.now())
        return render(request, "watch/unsubscribe.html", {
            "endpoint": endpoint, "subscriptions": subscriptions, "done": True,
            "manage_url": services.manage_link(endpoint.subscriber_id),
        })


def too_many(request, wait: int):
    """429 in the site's look, with Retry-After."""
    minutes = max(1, round(wait / 60))
    response = render(request, "watch/too_many.html", {"wait": wait, "minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response


class SubscribeView(View):
    """The subscribe form: GET shows it on a page of its own (for a follow
    named in the query), POST subscribes. Bad input shows the form again with
    a message at each field and writes nothing; a filled-in honeypot, a
    known address and a new one all end on the same page."""

    def follow(self, data) -> dict:
        found = follow_target(data.get("follow_kind", ""), data.get("follow_key", ""))
        if found is None:
            raise Http404("Nothing public by that name to follow.")
        return found

    def page(self, request, form, follow, status=200):
        return render(request, "watch/subscribe.html", {"subscribe_form": form, "follow": follow}, status=status)

    def get(self, request):
        follow = self.follow(request.GET)
        form = SubscribeForm(initial={"follow_kind": follow["kind"], "follow_key": follow["key"]})
        return self.page(request, form, follow)

    def post(self, request):
        wait = throttles.over_limit(request, throttles.per_ip(request))
        if wait:
            return too_many(request, wait)
        form = SubscribeForm(request.POST)
        if form.is_bot:
            return redirect("watch:subscribe-sent")
        follow = follow_target(request.POST.get("follow_kind", ""), request.POST.get("follow_key", ""))
        if not form.is_valid():
            return self.page(request, form, follow, status=400)
        wait = throttles.over_limit(request, throttles.per_address(form.cleaned_data["email"]))
        if wait:
            return too_many(request, wait)
        data = form.cleaned_data
        try:
            services.subscription_create(
                now=request_now(request), email=data["email"], news=data["news"], cadence=data["cadence"],
                digest_hour=data["hour"], tz=data["zone"], lead_times=data["lead_times"], **form.target(),
            )
        except InvalidInput as exc:
            form.add_service_errors(exc)
            return self.page(request, form, follow, status=400)
        return redirect("watch:subscribe-sent")


def subscribe_sent(request):
    """The one answer to every accepted request: it never says whether the
    address was subscribed already."""
    return render(request, "watch/subscribe_sent.html")


class ManageView(SignedLinkView):
    """Everything one subscriber follows: each subscription's news, cadence,
    lead times (and the subscriber's digest hour and zone), pause and resume,
    unsubscribe with an undo for WATCH_UNSUBSCRIBE_UNDO_SECONDS, the private
    calendar, and the last deliveries to the address."""

    ACTIONS = ("save", "pause", "resume", "unsubscribe", "undo")
    DONE = {"saved": "Saved.", "paused": "Paused: nothing is sent until you resume.",
            "resumed": "Resumed: alerts are on again.", "undone": "Undone: the subscription is back.",
            "left": "Done: that subscription has ended."}

    def subscriber(self, token: str) -> Subscriber:
        subscriber = subscriber_by_id(_id(read_token("manage", token)))
        if subscriber is None:
            raise BadLink("There is nothing to manage for this link any more.")
        return subscriber

    def render_page(self, request, subscriber, *, forms=None, problem="", status=200):
        now = request_now(request)
        forms = forms or {}
        live, ended = [], []
        # The live ones, and those ended recently enough to be taken back.
        listed = subscriptions_of_subscriber(subscriber, include_ended=True).filter(
            Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gte=now - services.undo_window()))
        for subscription in listed:
            subscription.subscriber = subscriber
            if subscription.unsubscribed_at is None:
                subscription.form = forms.get(subscription.pk) or ManageForm.of(subscription)
                subscription.feed_url = services.feed_link(subscription)  # the private calendar (watch/feeds.py)
                live.append(subscription)
            elif services.subscription_can_undo(subscription, now=now):
                subscription.undo_until = subscription.unsubscribed_at + services.undo_window()
                ended.append(subscription)
        done = request.GET.get("done") or ("left" if request.GET.get("left") == "1" else "")
        return render(request, "watch/manage.html", {
            "subscriber": subscriber,
            "subscriptions": live,
            "undoable": ended,
            "deliveries": deliveries_to_subscriber(subscriber),
            "done": self.DONE.get(done, ""),
            "left": done == "left",
            "problem": problem,
            "feed": request.GET.get("feed", ""),
        }, status=status)

    def get(self, request, token):
        return self.render_page(request, self.subscriber(token))

    def post(self, request, token):
        subscriber = self.subscriber(token)
        now = request_now(request)
        chosen = request.POST.get("subscription", "")
        subscription = None
        if chosen.isdigit():
            subscription = subscription_by_id(int(chosen), subscriber=subscriber)
        if subscription is None:
            raise BadLink("That subscription is not one of yours.")
        feed = request.POST.get("feed")
        if feed in ("rotate", "revoke"):  # the private calendar: a new secret URL, or none
            getattr(services, f"subscription_feed_{feed}")(subscription=subscription, now=now)
            return redirect(f"{request.path}?feed={feed}")
        action = request.POST.get("action") or "unsubscribe"
        if action not in self.ACTIONS:
            raise BadLink("That is not something this page can do.")
        try:
            if action == "save":
                return self.save(request, subscriber, subscription, now)
            if action == "pause":
                services.subscription_pause(subscription=subscription, now=now)
                done = "paused"
            elif action == "resume":
                services.subscription_resume(subscription=subscription, now=now)
                done = "resumed"
            elif action == "undo":
                services.subscription_undo_unsubscribe(subscription=subscription, now=now)
                done = "undone"
            else:
                services.subscription_unsubscribe(subscription=subscription, now=now)
                done = "left"
        except TransitionNotAllowed as exc:
            return self.render_page(request, subscriber, problem=exc.message, status=409)
        # "?left=1" is what the page said before it could do more; links and tests know it.
        return redirect(f"{request.path}?left=1" if done == "left" else f"{request.path}?done={done}")

    def save(self, request, subscriber, subscription, now):
        subscription.subscriber = subscriber
        form = ManageForm.of(subscription, request.POST)
        if not form.is_valid():
            return self.render_page(request, subscriber, forms={subscription.pk: form}, status=400)
        data = form.cleaned_data
        # The version the page was read at: a page left open while something
        # else changed the subscription is refused, not applied over it.
        subscription.version = data["version"]
        try:
            services.subscription_update(subscription=subscription, now=now, news=data["news"],
                                         lead_times=data["lead_times"], cadence=data["cadence"])
            services.subscriber_set_schedule(subscriber=subscriber, now=now, tz=data["zone"], digest_hour=data["hour"])
        except InvalidInput as exc:
            form.add_service_errors(exc)
            return self.render_page(request, subscriber, forms={subscription.pk: form}, status=400)
        except services.SubscriptionChanged:
            return self.render_page(
                request, subscriber, status=409,
                problem="This subscription changed since you opened the page; here it is as it is now. "
                        "Make your change again.")
        return redirect(f"{request.path}?done=saved#subscription-{subscription.pk}")
