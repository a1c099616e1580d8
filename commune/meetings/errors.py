"""What a meeting refuses, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind


class MeetingError(DomainError, ValueError):
    """A request that breaks the meeting's standing orders (the message says which)."""


class NotChair(MeetingError):
    """Only the chair (or a teller, or someone on the roll) may do this."""

    kind = ErrorKind.FORBIDDEN


class MeetingConflict(MeetingError):
    """The meeting is not at the stage this needs (not started, closed, nobody speaking…)."""

    kind = ErrorKind.CONFLICT
