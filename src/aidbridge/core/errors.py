"""Errors raised by the service layer.

Services raise these and never HTTP responses. Each class declares its HTTP status
here, next to its meaning; ``core/refusals.py`` is the one adapter that turns them into
the API's JSON answers and the pages' answers.
"""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the action. ``field`` names the offending input."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class ValidationFailed(DomainError):
    """Input that cannot be accepted as given (bad quantity, unknown item, ...)."""

    status = 422
    code = "validation_error"


class NotAllowed(DomainError):
    """The actor's role or nation does not allow this action."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it exists."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The object is not in a state that allows the action (e.g. circulating twice)."""

    status = 409
    code = "conflict"
