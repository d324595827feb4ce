"""The errors services raise, for the record and for alerts alike.

Each maps to one HTTP status in the API and to a form error in the admin;
none of them leaves a half-written change behind, since they are raised
inside the service's transaction. They live here, not in either app, so
that watch can refuse input the way the record does without importing it.
"""


class ServiceError(Exception):
    """Base class. `http_status` is what the API answers; `fields` names the
    inputs at fault, each with its messages, so a form or a 400 can point at them."""

    http_status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(ServiceError):
    """Input the service cannot accept: a bad window, an unknown zone, a duplicate slug."""

    http_status = 400


class TransitionNotAllowed(ServiceError):
    """The lifecycle forbids this move from the current state (HTTP 409)."""

    http_status = 409

    def __init__(self, message: str, *, current_status: str, editorial_state: str = ""):
        super().__init__(message)
        self.current_status = current_status
        self.editorial_state = editorial_state


class StaleRevision(ServiceError):
    """Someone else changed the row since the caller read it (HTTP 412)."""

    http_status = 412

    def __init__(self, *, expected: int, current: int | None):
        super().__init__(
            f"The item changed since you read it (you had revision {expected}, it is now {current})."
        )
        self.expected = expected
        self.current = current
