"""Pages for subscribers who have no account: each is reached through a signed
link (watch.signing), so the link is the credential.

Links in emails are followed by mail scanners, so a GET never changes
anything: it shows a page with a button, and the button POSTs. The one
exception to "POSTs carry a CSRF token" is the one-click unsubscribe of
RFC 8058, which mail clients POST themselves (`List-Unsubscribe=One-Click`)
without ever loading a page. A bad, altered or expired link gets a 400 page
that says so, never a 500.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from core.errors import ServiceError

from . import services
from .models import Endpoint, Subscriber, Subscription
from .selectors import (
    endpoint_by_id, subscriber_by_id, subscription_by_id, subscriptions_emailing, subscriptions_of_subscriber,
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
        return render(request, "watch/confirm.html", {"subscription": subscription, "done": True})


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


class ManageView(SignedLinkView):
    """Everything one subscriber follows, each with its own unsubscribe button."""

    def subscriber(self, token: str) -> Subscriber:
        subscriber = subscriber_by_id(_id(read_token("manage", token)))
        if subscriber is None:
            raise BadLink("There is nothing to manage for this link any more.")
        return subscriber

    def get(self, request, token):
        subscriber = self.subscriber(token)
        subscriptions = list(subscriptions_of_subscriber(subscriber))
        for subscription in subscriptions:  # the private calendar's URL (watch/feeds.py), if it has one
            subscription.feed_url = services.feed_link(subscription)
        return render(request, "watch/manage.html", {
            "subscriber": subscriber,
            "subscriptions": subscriptions,
            "left": request.GET.get("left") == "1",
            "feed": request.GET.get("feed", ""),
        })

    def post(self, request, token):
        subscriber = self.subscriber(token)
        chosen = request.POST.get("subscription", "")
        subscription = None
        if chosen.isdigit():
            subscription = subscription_by_id(int(chosen), subscriber=subscriber)
        if subscription is None:
            raise BadLink("That subscription is not one of yours.")
        feed = request.POST.get("feed")
        if feed in ("rotate", "revoke"):  # the private calendar: a new secret URL, or none
            getattr(services, f"subscription_feed_{feed}")(subscription=subscription, now=timezone.now())
            return redirect(f"{request.path}?feed={feed}")
        services.subscription_unsubscribe(subscription=subscription, now=timezone.now())
        return redirect(f"{request.path}?left=1")
