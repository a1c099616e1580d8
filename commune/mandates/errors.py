"""What mandates refuse, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.motions.errors import MotionConflict, MotionError


class MandateError(MotionError):
    """A mandate request that breaks a rule (the message says which)."""


class BoundByMandate(MotionConflict):
    """A delegate tried to vote against their constituency's binding mandate."""
