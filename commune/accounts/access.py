"""Who is asking."""

from __future__ import annotations

from django.http import HttpRequest

from commune.accounts.models import User


class NotSignedIn(PermissionError):
    pass


def request_person(request: HttpRequest) -> User:
    """The signed-in person (by session or API token), or ``NotSignedIn``."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise NotSignedIn("sign in first")
    return user
