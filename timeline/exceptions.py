"""The record's errors: the shared service errors (core.errors), under the
names timeline code has always used, and the one error only the record raises.

`TimelineError` stays as the name of the base class because the admin, the
API's error handler, the forms and the commands of the record catch it.
"""

from core.errors import InvalidInput, ServiceError, StaleRevision, TransitionNotAllowed

TimelineError = ServiceError

__all__ = ["InvalidInput", "ServiceError", "StaleRevision", "TimelineError", "TransitionNotAllowed", "WhenParseError"]


class WhenParseError(InvalidInput):
    """A When phrase the parser cannot read. It names the phrase; it never guesses."""

    def __init__(self, phrase: str, detail: str = ""):
        message = f"Cannot read the date phrase {phrase!r}"
        if detail:
            message += f": {detail}"
        super().__init__(message, fields={"when": [message]})
        self.phrase = phrase
