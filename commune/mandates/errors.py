"""What mandates refuse, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.motions.errors import MotionConflict, MotionError


class MandateError(MotionError):
    """A mandate request that breaks a rule (the message says which)."""


class BoundByMandate(MotionConflict):
    """A delegate tried to vote against their constituency's binding mandate."""


class RecallError(ValueError):
    """A recall request that breaks a rule of the constitution (the message says which)."""


class RecallNotEntitled(RecallError):
    """The person is not in the electorate that may petition or vote to recall this holder."""


class RecallConflict(RecallError):
    """The petition or ballot is not at the stage this needs (already signed, lapsed, closed…)."""
