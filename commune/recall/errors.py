"""What recall refuses, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind


class RecallError(DomainError, ValueError):
    """A recall request that breaks a rule of the constitution (the message says which)."""


class RecallNotEntitled(RecallError):
    """The person is not in the electorate that may petition or vote to recall this holder."""

    kind = ErrorKind.FORBIDDEN


class RecallConflict(RecallError):
    """The petition or ballot is not at the stage this needs (already signed, lapsed, closed…)."""

    kind = ErrorKind.CONFLICT
