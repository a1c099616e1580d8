"""What joining refuses."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind
from commune.federation.errors import NotFound as NotFound


class ApplicationInvalid(DomainError):
    """The application cannot be made or decided as asked (no such unit, a refusal without a reason…)."""

    kind = ErrorKind.INVALID


class NotYours(DomainError):
    """The person may not decide this application or request to move, or act for another member."""

    kind = ErrorKind.FORBIDDEN


class ApplicationClosed(DomainError):
    """The application is not at the stage this needs (not confirmed yet, already decided…)."""

    kind = ErrorKind.CONFLICT


class TooManyApplications(DomainError):
    """Too many applications from one address, or for one email address, in too short a time."""

    kind = ErrorKind.TOO_MANY


class TransferInvalid(DomainError):
    """A request to move or to resign cannot be made as asked (no such unit, already there, no reason…)."""

    kind = ErrorKind.INVALID


class TransferClosed(DomainError):
    """The request to move is not at the stage this needs (already decided, another open, not a member…)."""

    kind = ErrorKind.CONFLICT


class ContactInvalid(DomainError):
    """Contact details that cannot be kept as given (a phone number with letters, an unknown choice…)."""

    kind = ErrorKind.INVALID
