"""How API callers prove who they are: a bearer token, or the browser session (with CSRF on writes)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from commune.accounts.access import UNCHECKED_TOKEN
from commune.accounts.models import User
from commune.accounts.services import api_token_authenticate

# Set on the request when a bearer token (not a session) identified the caller.
TOKEN_FLAG = "_commune_api_token"


class InvalidToken(AuthenticationError):
    """A bearer token was sent but it is unknown, revoked or belongs to a deactivated person."""


class TokenAuth(HttpBearer):
    """A bearer token: checked here, in a query of its own, or with ``checked_by_endpoint`` left for the
    endpoint to check in its own first query (``commune.accounts.access.request_caller``), which an
    endpoint so marked must do before anything else. Casting uses that: one round trip fewer."""

    def __init__(self, *, checked_by_endpoint: bool = False) -> None:
        super().__init__()
        self.checked_by_endpoint = checked_by_endpoint

    def authenticate(self, request: HttpRequest, token: str) -> User | str:
        if self.checked_by_endpoint:
            setattr(request, UNCHECKED_TOKEN, token.strip())
            setattr(request, TOKEN_FLAG, True)
            return token
        user = api_token_authenticate(raw=token.strip())
        if user is None:
            # A client that sent a token meant to use it: refuse rather than fall back to a session.
            raise InvalidToken()
        request.user = user
        setattr(request, TOKEN_FLAG, True)
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session. Unsafe methods must carry the CSRF token, as Django's forms do.

    Unlike ninja's own ``SessionAuth``, CSRF is checked only once a session has identified someone, so an
    anonymous call gets a 401 rather than a CSRF error.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> User | None:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise HttpError(
                403,
                _(
                    "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header, "
                    "or authenticate with 'Authorization: Bearer <token>'"
                ),
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return self(request)


#: A bearer token left for the endpoint to check in its own first query.
TOKEN_CHECKED_BY_ENDPOINT = TokenAuth(checked_by_endpoint=True)

#: The authentication of the endpoints that check a bearer token in their own first query.
CHECKED_BY_ENDPOINT = [TOKEN_CHECKED_BY_ENDPOINT, SessionAuth()]


def authenticated_by_token(request: HttpRequest) -> bool:
    return bool(getattr(request, TOKEN_FLAG, False))
