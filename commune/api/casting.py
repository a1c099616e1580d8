"""Casting, answered before the page middlewares and django-ninja's generic machinery.

A congress of ten thousand casts its votes within seconds, each its own request; what such a request
costs the server is Python, not the database. Two operations are that request: a member's or a seat's
vote (``POST /api/orgs/{slug}/votes/{id}/ballots``) and an election ballot
(``POST /api/orgs/{slug}/elections/{id}/ballots``). A call to either carrying a bearer token is answered
here (``CastingMiddleware``), by the very function its API operation calls (``cast_answer`` of
``commune.motions.api.votes`` and of ``commune.elections.api.ballots``): the same access and services, so
the same checks, queries and live events; the same answers and statuses, which the operation declares
in the OpenAPI schema; every refusal translated by the API's own exception handlers
(``commune.api.root``: a token that is not valid 401, a domain error its kind's status).

What the middlewares and ninja would have done for such a call is done here: the host is checked
(``ALLOWED_HOSTS``, as ``CommonMiddleware`` does), the token read by the operation's own authentication
(``TOKEN_CHECKED_BY_ENDPOINT``: checked in the cast's first query), the body read by the operation's own
schema, the answer given in the language of the Accept-Language header (``commune.web.language``). The
middlewares before this one (security headers, the content security policy, frame options) still apply.

Anything else takes the full path, which answers it as before: another method or path, a browser
session instead of a token, a query string, a body that is not JSON or not valid (ninja's 422 and its list
of errors), a body that could hold a NUL (``RefuseNulMiddleware`` refuses it, naming the field), or a
server that refuses some user agents.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Schema
from ninja.operation import Operation
from pydantic import ValidationError

from commune.accounts.access import BearerToken, request_caller
from commune.accounts.models import User
from commune.api.auth import TOKEN_CHECKED_BY_ENDPOINT
from commune.web.language import answered_in, language_from_header
from commune.web.middleware import may_hold_nul

#: The answer to a cast: the caller (a bearer token not yet checked), the organisation's slug, the id of
#: the vote or election, the body as the operation's schema read it.
Answer = Callable[[HttpRequest, User | BearerToken, str, int, Any], Schema]


@dataclass(frozen=True)
class CastRoute:
    """One cast operation: its path (the slug and the id named ``slug`` and ``id``), the schema of its
    body, the function that answers it, and the API operation whose answers it gives."""

    path: re.Pattern[str]
    body: type[Schema]
    answer: Answer
    operation: Operation


def _operation(view: Callable[..., Any]) -> Operation:
    """The API operation that ``view`` serves."""
    from commune.api.root import api

    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if operation.view_func is view:
                    return operation
    raise LookupError(f"no API operation serves {view.__qualname__}")


def cast_routes() -> tuple[CastRoute, ...]:
    from commune.elections.api import ballots
    from commune.motions.api import votes
    from commune.motions.api.schemas import CastIn

    slug, number = r"(?P<slug>[-a-zA-Z0-9_]+)", r"(?P<id>[0-9]{1,18})"
    return (
        CastRoute(
            re.compile(rf"/api/orgs/{slug}/votes/{number}/ballots"),
            CastIn,
            votes.cast_answer,
            _operation(votes.cast),
        ),
        CastRoute(
            re.compile(rf"/api/orgs/{slug}/elections/{number}/ballots"),
            ballots.CastIn,
            ballots.cast_answer,
            _operation(ballots.cast),
        ),
    )


def _token_read(request: HttpRequest) -> bool:
    """Whether the request carries a bearer token, read as ninja's ``HttpBearer`` reads the header and
    handed to the operation's own authentication (``TOKEN_CHECKED_BY_ENDPOINT``), straight from the
    request's environment (its ``headers`` would copy every one of them first)."""
    scheme, _space, token = str(request.META.get("HTTP_AUTHORIZATION", "")).partition(" ")
    if scheme.lower() != "bearer":
        return False
    return bool(TOKEN_CHECKED_BY_ENDPOINT.authenticate(request, token))


def cast_respond(request: HttpRequest, route: CastRoute, slug: str, number: int) -> HttpResponse | None:
    """The answer to a cast on ``route``, or ``None`` for the full path to give it (see the module's
    docstring)."""
    if request.META.get("QUERY_STRING") or settings.DISALLOWED_USER_AGENTS:
        return None
    if request.content_type != "application/json" or not _token_read(request):
        return None
    request.get_host()  # DisallowedHost (400) for a host not in ALLOWED_HOSTS
    body = request.body
    if may_hold_nul(body):
        return None
    try:
        data = route.body.model_validate(json.loads(body))
    except (ValueError, ValidationError, RecursionError):
        return None
    language = language_from_header(request)
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
    request.user = AnonymousUser()
    api = route.operation.api
    try:
        answer = route.answer(request, request_caller(request), slug, number, data)
    except Exception as exc:  # translated by the API's own handlers, as for the operation
        response = api.on_exception(request, exc)
    else:
        response = api.create_response(request, answer.model_dump(), status=201)
    answered_in(response, language, api=True)
    response.headers["Content-Length"] = str(len(response.content))  # as CommonMiddleware does
    return response


class CastingMiddleware:
    """Answer a cast carrying a bearer token here (see the module's docstring); pass on everything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.routes = cast_routes()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if request.method == "POST" and path.endswith("/ballots"):
            for route in self.routes:
                found = route.path.fullmatch(path)
                if found is not None:
                    response = cast_respond(request, route, found["slug"], int(found["id"]))
                    if response is not None:
                        return response
                    break
        return self.get_response(request)
