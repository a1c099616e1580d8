"""The REST API root. Each app contributes a router from its own ``api.py``; OpenAPI at ``/api/docs``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from commune.accounts.models import User
from commune.accounts.services import api_token_authenticate
from commune.federation.access import NotFound


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Commune API",
    version="1",
    description="Read and act on your organisation: bodies, seats, representatives, constitution, provenance log. "
    "Authenticate with `Authorization: Bearer <token>` (create tokens on your account page) or a browser session.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "authentication required: send 'Authorization: Bearer <token>'"}, status=401
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": "invalid request", "errors": exc.errors}, status=422)


def _register_routers() -> None:
    from commune.accounts.api import router as accounts_router
    from commune.audit.api import router as audit_router
    from commune.federation.api import router as federation_router

    api.add_router("/", accounts_router)
    api.add_router("/", federation_router)
    api.add_router("/", audit_router)


_register_routers()
