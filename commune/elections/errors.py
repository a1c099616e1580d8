"""What the elections and the ballot box refuse, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind


class ElectionError(DomainError, ValueError):
    """A request an election cannot take: bad input or a rule of the constitution (the message says which)."""


class NotEligible(ElectionError):
    """The person may not do this in this election (not an elector, not a member of the constituency…)."""

    kind = ErrorKind.FORBIDDEN


class ElectionConflict(ElectionError):
    """The election is not at the stage this needs (voting closed, already voted, nominations closed…)."""

    kind = ErrorKind.CONFLICT
