"""What mandates refuse, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.errors import ErrorKind
from commune.motions.errors import MotionError


class MandateError(MotionError):
    """A mandate request that breaks a rule (the message says which)."""


class BoundByMandate(MandateError):
    """A delegate tried to vote against their constituency's binding mandate: the vote is not theirs to
    cast that way, so it is refused as forbidden, not as the wrong stage."""

    kind = ErrorKind.FORBIDDEN
