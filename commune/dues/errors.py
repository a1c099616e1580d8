"""What dues refuse."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind
from commune.federation.errors import NotFound as NotFound


class DuesInvalid(DomainError):
    """The payment, exemption or file cannot be recorded as given (an amount, a date, a reason missing…)."""

    kind = ErrorKind.INVALID


class NotYourUnit(DomainError):
    """Only an officer of the member's own unit who keeps its roll records their dues."""

    kind = ErrorKind.FORBIDDEN


class DuesConflict(DomainError):
    """Not at the stage this needs (a file already imported, a notice that has not run its course…)."""

    kind = ErrorKind.CONFLICT
