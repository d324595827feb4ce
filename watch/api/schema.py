"""Error responses of watch's operations in watch's words: the statuses are
derived for every operation (core.api.schema); these replace the shared
description and examples where those speak of items."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse

from core.api.errors import ErrorCode, error_body
from core.api.schema import error_response


def _example(name: str, status: int, code: str, message: str, *, fields=None, current=None) -> OpenApiExample:
    return OpenApiExample(name, value=error_body(code, message, fields=fields, current=current),
                          response_only=True, status_codes=[str(status)])


BAD_SUBSCRIPTION = ("The input is not valid: messages per field (an unknown storyline, actor or item, a webhook URL "
                    "the address guard refuses, a lead time out of range, an unknown time zone, ...).", [
    _example("An unknown storyline", 400, ErrorCode.INVALID_INPUT,
             "The subscription cannot be made as asked.", fields={"storyline": ["No storyline 'gaza'."]}),
    _example("A webhook URL that is not allowed", 400, ErrorCode.INVALID_INPUT,
             "The subscription cannot be made as asked.",
             fields={"webhook_url": ["Webhooks may not be sent to 10.0.0.7: it resolves to 10.0.0.7, which is a "
                                     "private address; webhooks may only go to public addresses."]}),
    _example("A lead time out of range", 400, ErrorCode.INVALID_INPUT,
             "The subscription cannot be made as asked.",
             fields={"lead_times": ["lead_times lies between 1 minute and 90 days; got '120d'."]}),
])
NOT_ADMIN = ("Authenticated, but only administrators may do this.", [
    _example("Not an admin", 403, ErrorCode.PERMISSION_DENIED, "Only administrators may do this."),
])
SOMEONE_ELSE = ("Only administrators may subscribe another account or an email address.", [
    _example("Subscribing someone else", 403, ErrorCode.PERMISSION_DENIED,
             "Only administrators may subscribe someone else.",
             fields={"user": ["Leave this out to subscribe yourself."]}),
])
NOT_YOURS = ("No such subscription, or one that is not yours (other people's answer 404, not 403).", [
    _example("Unknown or someone else's", 404, ErrorCode.NOT_FOUND, "Not found."),
])
NO_DELIVERY = ("No such delivery, or one that is not yours (other people's answer 404, not 403).", [
    _example("Unknown or someone else's", 404, ErrorCode.NOT_FOUND, "Not found."),
])
ENDED = ("The subscription was cancelled (unsubscribed): subscribe again instead.", [
    _example("Unsubscribed", 409, ErrorCode.TRANSITION_NOT_ALLOWED,
             "This subscription was cancelled; subscribe again instead.",
             current={"active": False, "unsubscribed_at": "2026-11-25T12:00:00Z"}),
])
NO_WEBHOOK = ("The subscription has no webhook (so no secret), or was cancelled.", [
    _example("No webhook", 409, ErrorCode.TRANSITION_NOT_ALLOWED,
             "This subscription has no webhook, so it has no secret to rotate.", current={"channels": ["email"]}),
    ENDED[1][0],
])
NOT_RESENDABLE = ("Only a dead or failed delivery can be resent; `current` names its state.", [
    _example("Already sent", 409, ErrorCode.TRANSITION_NOT_ALLOWED,
             "Only a dead or failed delivery can be resent; msg_5f0c0d7e9a3b4c2d8e1f6a7b9c0d1e2f is sent.",
             current={"state": "sent"}),
])


def described(**overrides: tuple[str, list[OpenApiExample]]) -> dict[int, OpenApiResponse]:
    """Error responses in watch's words, per status given as e.g. `e403=NOT_ADMIN`."""
    return {int(key.removeprefix("e")): error_response(int(key.removeprefix("e")), description, examples)
            for key, (description, examples) in overrides.items()}
