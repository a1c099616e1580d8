"""What collective action refuses, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind


class ActionError(DomainError, ValueError):
    """A request that breaks a rule of collective action (the message says which)."""


class NotAuthorised(ActionError):
    """The person or body may not do this: no power, no seat, no reach over the units, or their own claim."""

    kind = ErrorKind.FORBIDDEN


class ActionConflict(ActionError):
    """Not at the stage this needs: the shift is full, the claim already decided, the motion not yet voted."""

    kind = ErrorKind.CONFLICT
