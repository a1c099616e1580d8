"""What accounts refuse."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind


class NotSignedIn(DomainError, PermissionError):
    """Nobody is signed in: the request carries neither a session nor a token."""

    kind = ErrorKind.UNAUTHENTICATED
