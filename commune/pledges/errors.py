"""What pledge campaigns refuse, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind


class PledgeError(DomainError, ValueError):
    """A campaign or pledge request that breaks a rule (the message says which)."""


class PledgeInvalid(PledgeError):
    """The campaign asked for cannot be launched as described (a threshold out of range, a past deadline)."""

    kind = ErrorKind.INVALID


class PledgeNotEntitled(PledgeError):
    """The person may not do this: launch for a body they do not act for, or pledge outside the campaign."""

    kind = ErrorKind.FORBIDDEN


class PledgeConflict(PledgeError):
    """The campaign or pledge is not at the stage this needs (already pledged, condition met, closed…)."""

    kind = ErrorKind.CONFLICT
