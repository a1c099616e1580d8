"""Who may read democracy health, and of which body. Every current member may read it for the whole
organisation and for any body in it: the figures are counts, never who voted how, and a federation that
hides its own health from its members has already lost it. An unknown body answers ``NotFound`` exactly
as a body of another organisation does."""

from __future__ import annotations

from commune.accounts.models import User
from commune.federation.access import access_body
from commune.federation.models import Body, Organisation


def access_health_scope(user: User, organisation: Organisation, code: str | None) -> Body | None:
    """The body whose subtree to read (``None``: the whole organisation)."""
    if not code:
        return None
    return access_body(user, organisation, code)
