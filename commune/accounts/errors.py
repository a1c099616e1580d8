"""What accounts refuse."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind


class NotSignedIn(DomainError, PermissionError):
    """Nobody is signed in: the request carries neither a session nor a token."""

    kind = ErrorKind.UNAUTHENTICATED


class AccountInvalid(DomainError):
    """A request about one's own account cannot be made as asked (too long a statement…)."""

    kind = ErrorKind.INVALID
