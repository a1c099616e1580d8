"""The REST API root. Each app contributes a router from its own ``api.py``; OpenAPI at ``/api/docs``.

Every endpoint needs a signed-in person (a bearer token or a browser session) and every error is JSON
``{"detail": "..."}``: 401 when nobody is signed in or the token is bad, 403 for a failed CSRF check,
404 for anything missing *or* not visible to the caller (indistinguishable on purpose), 422 for invalid input.
The domain's refusals (``commune.errors.DomainError``) are translated here and nowhere else in the API: each
kind to its status (``commune.web.edge.HTTP_STATUS``), the message as ``detail``.
"""

from __future__ import annotations

import copy
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, ValidationError

from commune.accounts.errors import TokenRefused
from commune.api.answers import declare_common_answers
from commune.api.auth import InvalidToken, SessionAuth, TokenAuth
from commune.errors import DomainError, ErrorKind
from commune.web.edge import refusal_status


class AccessibleSwagger(Swagger):
    """Swagger UI in a page of our own: the language declared, a main landmark, colours with enough
    contrast (``web/api_docs.html``)."""

    template = "web/api_docs.html"


class CommuneAPI(NinjaAPI):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[str, dict[str, Any]] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        """The schema, with the answers the root itself can give declared on every operation.

        Built once for each root it is asked under and kept: the operations are fixed once the URLs are
        loaded, and building it took about half a second of CPU, which anyone could ask for again and again
        (``/api/openapi.json`` needs no sign-in). Each caller gets a copy of its own to read or change."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        if path_prefix not in self._schemas:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            # A plain dict: ninja's own keeps the API itself, which a copy must not copy.
            self._schemas[path_prefix] = dict(declare_common_answers(schema))
        return copy.deepcopy(self._schemas[path_prefix])


api = CommuneAPI(
    title="Commune API",
    version="1",
    description="Read your organisation: its bodies and seats, who represents you, its constitution and its "
    "provenance log. Authenticate with `Authorization: Bearer <token>` (create tokens at `/api/me/tokens` from "
    "a signed-in browser session, or on your account page) or with the browser session itself (unsafe "
    "methods then need the `X-CSRFToken` header). Lists take `limit` and `offset` and return "
    '`{items, count}`. Errors are `{"detail": "..."}`.',
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    # Swagger UI comes from django-ninja's own static files ("ninja" is an installed app), never a CDN, and
    # its online validator is off: no page loads anything from another host. Deep links are off because
    # Swagger UI draws each one as a link inside the button that opens the operation: two controls in one.
    docs=AccessibleSwagger(settings={"validatorUrl": None, "deepLinking": False}),
)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def _unauthorised(request: HttpRequest, detail: str) -> HttpResponse:
    response = _error(request, 401, detail)
    response["WWW-Authenticate"] = 'Bearer realm="commune"'
    return response


@api.exception_handler(InvalidToken)
@api.exception_handler(TokenRefused)
def _invalid_token(request: HttpRequest, exc: InvalidToken | TokenRefused) -> HttpResponse:
    return _unauthorised(request, _("the API token is not valid: it is unknown or was revoked"))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _unauthorised(
        request, _("authentication required: send 'Authorization: Bearer <token>' or sign in first")
    )


def _describe(error: dict[str, Any]) -> str:
    loc = list(error.get("loc", ()))
    # ("body", "payload", "name") names the field as the client sent it: "name".
    if loc[:1] == ["body"]:
        loc = loc[2:]
    elif loc[:1] in (["query"], ["path"], ["header"], ["cookie"]):
        loc = loc[1:]
    where = ".".join(str(part) for part in loc)
    message = str(error.get("msg", _("invalid")))
    return f"{where}: {message}" if where else message


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = "; ".join(_describe(e) for e in exc.errors) or _("the request could not be read")
    return _error(
        request, 422, _("invalid request: %(problems)s") % {"problems": problems}, errors=exc.errors
    )


@api.exception_handler(DomainError)
def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """Every refusal of the domain, whichever app raised it."""
    if exc.kind == ErrorKind.UNAUTHENTICATED:
        return _unauthorised(request, _("authentication required: %(reason)s") % {"reason": exc})
    return _error(request, refusal_status(exc), str(exc))


def _register_routers() -> None:
    from commune.accounts.api import router as accounts_router
    from commune.actions.api import router as actions_router
    from commune.audit.api import router as audit_router
    from commune.dues.api import router as dues_router
    from commune.elections.api import router as elections_router
    from commune.federation.api import router as federation_router
    from commune.governance.api import router as governance_router
    from commune.health.api import router as health_router
    from commune.mandates.api import router as mandates_router
    from commune.meetings.api import router as meetings_router
    from commune.membership.api import router as membership_router
    from commune.motions.api import router as motions_router
    from commune.notifications.api import router as notifications_router
    from commune.pledges.api import router as pledges_router
    from commune.provenance.api import router as provenance_router
    from commune.recall.api import router as recall_router
    from commune.structure.api import router as structure_router

    api.add_router("/", accounts_router)
    api.add_router("/", federation_router)
    api.add_router("/", audit_router)
    api.add_router("/", elections_router)
    api.add_router("/", motions_router)
    api.add_router("/", meetings_router)
    api.add_router("/", mandates_router)
    api.add_router("/", recall_router)
    api.add_router("/", notifications_router)
    api.add_router("/", governance_router)
    api.add_router("/", provenance_router)
    api.add_router("/", health_router)
    api.add_router("/", membership_router)
    api.add_router("/", pledges_router)
    api.add_router("/", structure_router)
    api.add_router("/", actions_router)
    api.add_router("/", dues_router)


_register_routers()
