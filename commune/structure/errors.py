"""What a structural change refuses, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind


class StructureError(DomainError, ValueError):
    """A proposal that cannot be made as it stands: a code taken, a unit that is not there, a member who is
    not in the unit (the message says which)."""


class NotEntitled(StructureError):
    """The body may not decide this: its reach does not cover every unit the change touches."""

    kind = ErrorKind.FORBIDDEN


class StructureConflict(StructureError):
    """Not at the stage this needs: the motion is not yet decided, the change was already applied, a
    process the change would cut short is still under way."""

    kind = ErrorKind.CONFLICT
