"""What governance refuses, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind


class GovernanceError(DomainError, ValueError):
    """A request that breaks a rule of the constitution or of answerable power (the message says which)."""


class NotEntitled(GovernanceError):
    """The person or body may not do this: not a delegate of the council, not an executive's member,
    not a member of the tendency, or the power is not theirs (or nobody's)."""

    kind = ErrorKind.FORBIDDEN


class GovernanceConflict(GovernanceError):
    """The thing is not at the stage this needs (not yet decided, already dissolved, already signed…)."""

    kind = ErrorKind.CONFLICT
