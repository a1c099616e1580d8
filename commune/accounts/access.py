"""Who is asking."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from commune.accounts.errors import NotSignedIn as NotSignedIn  # imported from here too
from commune.accounts.models import ApiToken, User
from commune.federation.errors import NotFound

#: Set on an API request to its bearer token, not yet checked, by the authentication of an endpoint whose
#: own first query checks it (``request_caller``, ``caller_sql``).
UNCHECKED_TOKEN = "_commune_unchecked_token"


@dataclass(frozen=True)
class BearerToken:
    """A bearer token an API call carried, not yet checked."""

    raw: str


def request_caller(request: HttpRequest) -> User | BearerToken:
    """Who is calling: the person, or on an endpoint that checks the token itself the bearer token still
    to be checked (by a query built with ``caller_sql``, in the same round trip as what it reads)."""
    token = getattr(request, UNCHECKED_TOKEN, None)
    if token is not None:
        return BearerToken(token)
    return request_person(request)


def request_person(request: HttpRequest) -> User:
    """The signed-in person (by session or API token), or ``NotSignedIn``."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise NotSignedIn(_("sign in first"))
    return user


def request_address(request: HttpRequest) -> str:
    """The address a request came from: the connecting one, or behind the TLS proxy
    (``COMMUNE_BEHIND_TLS_PROXY``) the one the proxy added last to ``X-Forwarded-For``, which a client
    cannot forge (anything the client itself sent comes before it)."""
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def access_api_token(user: User, token_id: int) -> ApiToken:
    """One of the person's own tokens that still works. Anyone else's, a revoked one and a missing one all
    raise the same ``NotFound``."""
    token = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound(_("no such token"))
    return token
