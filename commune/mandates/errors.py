"""What mandates refuse, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.errors import ErrorKind
from commune.motions.errors import MotionError


class MandateError(MotionError):
    """A mandate request that breaks a rule (the message says which); ``field`` names the input it concerns,
    if one does, so a form can show the message beside it."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class BoundByMandate(MandateError):
    """A delegate tried to vote against their constituency's binding mandate: the vote is not theirs to
    cast that way, so it is refused as forbidden, not as the wrong stage."""

    kind = ErrorKind.FORBIDDEN
