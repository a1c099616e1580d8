"""What the federation refuses, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind


class NotFound(DomainError, LookupError):
    """The object does not exist or the person may not see it (deliberately indistinguishable)."""

    kind = ErrorKind.NOT_FOUND


class FederationError(DomainError, ValueError):
    """A federation rule was broken; the message says which."""


class ConstitutionError(DomainError, ValueError):
    """The proposed rules are not valid; the message lists every problem."""


class ApportionmentError(DomainError, ValueError):
    """Seats cannot be apportioned as asked (no constituencies, fewer seats than constituencies…)."""
