"""What joining refuses."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind
from commune.federation.errors import NotFound as NotFound


class ApplicationInvalid(DomainError):
    """The application cannot be made or decided as asked (no such unit, a refusal without a reason…)."""

    kind = ErrorKind.INVALID


class NotYours(DomainError):
    """The person may not decide this application."""

    kind = ErrorKind.FORBIDDEN


class ApplicationClosed(DomainError):
    """The application is not at the stage this needs (not confirmed yet, already decided…)."""

    kind = ErrorKind.CONFLICT


class TooManyApplications(DomainError):
    """Too many applications from one address, or for one email address, in too short a time."""

    kind = ErrorKind.TOO_MANY
