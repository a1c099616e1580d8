"""What motions, votes and sessions refuse, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind


class MotionError(DomainError, ValueError):
    """A request that breaks a rule of procedure or of the constitution (the message says which)."""


class NotEntitled(MotionError):
    """The person may not do this here: not a member of the body, not on the roll, not on the electorate."""

    kind = ErrorKind.FORBIDDEN


class MotionConflict(MotionError):
    """The motion, vote or session is not at the stage this needs (already voted, closed, not adopted…)."""

    kind = ErrorKind.CONFLICT


class TermsError(MotionError):
    """A statutory ballot's term that does not hold; ``field`` names the term, so a form can show the
    message beside it."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
