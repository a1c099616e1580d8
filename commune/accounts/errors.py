"""What accounts refuse."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind


class NotSignedIn(DomainError, PermissionError):
    """Nobody is signed in: the request carries neither a session nor a token."""

    kind = ErrorKind.UNAUTHENTICATED


class TokenRefused(NotSignedIn):
    """A bearer token was sent but it is unknown, revoked or belongs to a deactivated person (found out by
    an endpoint that checks the token in its own first query: ``commune.accounts.access.caller_sql``)."""


class AccountInvalid(DomainError):
    """A request about one's own account cannot be made as asked (too long a statement…)."""

    kind = ErrorKind.INVALID
