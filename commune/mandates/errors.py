"""What mandates refuse, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind
from commune.motions.errors import MotionError


class MandateError(MotionError):
    """A mandate request that breaks a rule (the message says which)."""


class BoundByMandate(MandateError):
    """A delegate tried to vote against their constituency's binding mandate: the vote is not theirs to
    cast that way, so it is refused as forbidden, not as the wrong stage."""

    kind = ErrorKind.FORBIDDEN


class RecallError(DomainError, ValueError):
    """A recall request that breaks a rule of the constitution (the message says which)."""


class RecallNotEntitled(RecallError):
    """The person is not in the electorate that may petition or vote to recall this holder."""

    kind = ErrorKind.FORBIDDEN


class RecallConflict(RecallError):
    """The petition or ballot is not at the stage this needs (already signed, lapsed, closed…)."""

    kind = ErrorKind.CONFLICT
