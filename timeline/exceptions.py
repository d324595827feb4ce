"""Errors the services raise. Each maps to one HTTP status in the API and to a
form error in the admin; none of them leaves a half-written change behind,
since they are raised inside the service's transaction."""


class TimelineError(Exception):
    """Base class. `http_status` is what the API answers."""

    http_status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(TimelineError):
    """Input the service cannot accept: a bad window, an unknown zone, a duplicate slug."""

    http_status = 400


class WhenParseError(InvalidInput):
    """A When phrase the parser cannot read. It names the phrase; it never guesses."""

    def __init__(self, phrase: str, detail: str = ""):
        message = f"Cannot read the date phrase {phrase!r}"
        if detail:
            message += f": {detail}"
        super().__init__(message, fields={"when": [message]})
        self.phrase = phrase


class TransitionNotAllowed(TimelineError):
    """The lifecycle forbids this move from the current state (HTTP 409)."""

    http_status = 409

    def __init__(self, message: str, *, current_status: str, editorial_state: str = ""):
        super().__init__(message)
        self.current_status = current_status
        self.editorial_state = editorial_state


class StaleRevision(TimelineError):
    """Someone else changed the item since the caller read it (HTTP 412)."""

    http_status = 412

    def __init__(self, *, expected: int, current: int | None):
        super().__init__(
            f"The item changed since you read it (you had revision {expected}, it is now {current})."
        )
        self.expected = expected
        self.current = current
