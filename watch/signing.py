"""Signed tokens for links in emails, and webhook secrets.

Tokens (unsubscribe, confirm a subscription, manage subscriptions) are
django.core.signing TimestampSigner values. The signer is built on each call,
so it reads SECRET_KEY and SECRET_KEY_FALLBACKS as they are at that moment:
after a key rotation, a link mailed under the old key keeps working for as long
as the old key stays listed in SECRET_KEY_FALLBACKS.

Each purpose has its own salt, so a token made to confirm an address cannot be
replayed to unsubscribe it, even though both sign the same value. The value
names the subscription (or endpoint, or subscriber) it acts on, under the
signature: a token cannot be edited to act on another one.

Every token expires: a caller may ask for a shorter life (the double opt-in
link: WATCH_CONFIRM_MAX_AGE_SECONDS, a week), and otherwise it lives
WATCH_LINK_MAX_AGE_SECONDS (a year): an unsubscribe or manage link keeps
working in an old email for that long, and every new email carries new ones.
"""

from __future__ import annotations

import base64
import secrets

from django.core import signing

_SALT_PREFIX = "watch.signing."

# Standard Webhooks accepts secrets of 24 to 64 bytes; 32 is what its own
# libraries generate.
WEBHOOK_SECRET_BYTES = 32
WEBHOOK_SECRET_PREFIX = "whsec_"


class BadToken(ValueError):
    """A token that cannot be read: tampered with, made for another purpose,
    signed with a key we no longer hold, or older than allowed."""

    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.message = message
        self.expired = expired


def salt_for(purpose: str) -> str:
    """The signing salt of a purpose: what keeps tokens of one purpose from reading as another."""
    if not isinstance(purpose, str) or not purpose:
        raise ValueError("A token purpose must be a non-empty string, e.g. 'unsubscribe'.")
    return _SALT_PREFIX + purpose


def _signer(purpose: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=salt_for(purpose))


def make_token(purpose: str, value: str) -> str:
    """A URL-safe token carrying `value`, valid only for `purpose`."""
    if not isinstance(value, str):
        raise TypeError(f"A token value must be a string, not {type(value).__name__}.")
    return _signer(purpose).sign(value)


def read_token(purpose: str, token: str, *, max_age: int | None = None) -> str:
    """The value a token made by `make_token(purpose, ...)` carries.

    `max_age` (seconds) rejects tokens older than that; by default
    settings.WATCH_LINK_MAX_AGE_SECONDS. Raises BadToken for anything else: a
    token is user input and must never cause a 500.
    """
    from django.conf import settings

    if max_age is None:
        max_age = settings.WATCH_LINK_MAX_AGE_SECONDS
    signer = _signer(purpose)
    if not isinstance(token, str) or not token:
        raise BadToken("The link is incomplete: it carries no token.")
    try:
        return signer.unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        raise BadToken("The link has expired; ask for a new one.", expired=True) from None
    except signing.BadSignature:
        raise BadToken("The link is not valid: it was altered, or was made for something else.") from None


def new_webhook_secret() -> str:
    """A new webhook signing secret in the Standard Webhooks format:
    "whsec_" followed by the standard base64 of 32 random bytes."""
    return WEBHOOK_SECRET_PREFIX + base64.b64encode(secrets.token_bytes(WEBHOOK_SECRET_BYTES)).decode("ascii")
