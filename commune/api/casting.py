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

Under ``commune serve`` on PostgreSQL, a member's vote or ballot that this module would answer is first
tried on the event loop itself (``LoopCasts``), with no thread, no Django handler and no middleware.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Schema
from ninja.operation import Operation
from pydantic import ValidationError

from commune.accounts.access import BearerToken, request_caller
from commune.accounts.models import User
from commune.api.auth import TOKEN_CHECKED_BY_ENDPOINT
from commune.statements import LoopStatements
from commune.web.language import answered_in, language_from_header
from commune.web.middleware import may_hold_nul

logger = logging.getLogger(__name__)

#: The answer to a cast: the caller (a bearer token not yet checked), the organisation's slug, the id of
#: the vote or election, the body as the operation's schema read it.
Answer = Callable[[HttpRequest, User | BearerToken, str, int, Any], Schema]
#: The same answer given on the event loop with its own connections, for the common case only: ``None``,
#: having written nothing, for the full path to give it (``LoopCasts``).
LoopAnswer = Callable[[LoopStatements, BearerToken, str, int, Any], Awaitable[Schema | None]]


@dataclass(frozen=True)
class CastRoute:
    """One cast operation: its path (the slug and the id named ``slug`` and ``id``), the schema of its
    body, the function that answers it, and the API operation whose answers it gives."""

    path: re.Pattern[str]
    body: type[Schema]
    answer: Answer
    operation: Operation
    on_loop: LoopAnswer | None = None


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
            votes.cast_answer_on_loop,
        ),
        CastRoute(
            re.compile(rf"/api/orgs/{slug}/elections/{number}/ballots"),
            ballots.CastIn,
            ballots.cast_answer,
            _operation(ballots.cast),
            ballots.cast_answer_on_loop,
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


def cast_read(request: HttpRequest, route: CastRoute) -> Schema | None:
    """The body of a cast on ``route`` that is answered here, as the operation's schema reads it, its bearer
    token left on the request for ``request_caller``; ``None`` for the full path to answer it (see the
    module's docstring). ``DisallowedHost`` for a host not in ``ALLOWED_HOSTS``."""
    if request.META.get("QUERY_STRING") or settings.DISALLOWED_USER_AGENTS:
        return None
    if request.content_type != "application/json" or not _token_read(request):
        return None
    request.get_host()  # DisallowedHost (400) for a host not in ALLOWED_HOSTS
    body = request.body
    if may_hold_nul(body):
        return None
    try:
        return route.body.model_validate(json.loads(body))
    except (ValueError, ValidationError, RecursionError):
        return None


def cast_respond(request: HttpRequest, route: CastRoute, slug: str, number: int) -> HttpResponse | None:
    """The answer to a cast on ``route``, or ``None`` for the full path to give it (see the module's
    docstring)."""
    data = cast_read(request, route)
    if data is None:
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


class ScopeRequest(HttpRequest):
    """A cast's request read straight from its ASGI scope and its body in hand, for ``cast_read`` on the
    event loop (``LoopCasts``): what ``WSGIRequest`` would read of the WSGI environment a2wsgi builds for
    the threads (``commune.api.casting_edge``), without building it. Its ``META`` holds the scope's headers
    named and joined as a2wsgi names and joins them (``HTTP_HOST``; ``CONTENT_TYPE``; a header sent twice,
    its values joined by commas), the query string and the server's name and port; the scheme is the
    scope's, the body the one in hand, whole (``LoopCasts`` reads only a body of the length its
    Content-Length says, and only a path with no ``root_path``). Django's own methods (``get_host``,
    ``is_secure``, ``body``) read it as they read any request."""

    def __init__(self, scope: Mapping[str, Any], body: bytes) -> None:
        # As ``WSGIRequest``, without ``HttpRequest.__init__``'s empty GET, POST and FILES: never read here.
        server_name, server_port = scope.get("server") or ("localhost", 80)
        meta: dict[str, Any] = {
            "REQUEST_METHOD": scope["method"],
            "QUERY_STRING": scope["query_string"].decode("ascii"),
            "SERVER_NAME": server_name,
            "SERVER_PORT": str(server_port or 0),
        }
        for raw_name, raw_value in scope["headers"]:
            name = raw_name.decode("latin1")
            if name == "content-type":
                key = "CONTENT_TYPE"
            elif name == "content-length":
                key = "CONTENT_LENGTH"
            else:
                key = f"HTTP_{name}".upper().replace("-", "_")
            value = raw_value.decode("latin1")
            meta[key] = f"{meta[key]},{value}" if key in meta else value
        self.META = meta
        self.path = self.path_info = scope["path"]
        self.method = scope["method"]
        self.resolver_match = None
        self._scheme: str = scope.get("scheme", "http")
        # Django's own steps, as ``WSGIRequest`` and ``body`` take them (``RequestDataTooBig``):
        self._set_content_type_params(meta)  # type: ignore[attr-defined]
        self._check_data_too_big(len(body))  # type: ignore[attr-defined]
        self._body = body

    def _get_scheme(self) -> str:
        return self._scheme


#: An answer as the ASGI edge sends it (``commune.api.casting_edge``): status, headers, body.
Sent = tuple[int, list[tuple[bytes, bytes]], bytes]
#: What a cast's answer headers depend on besides its body: the route, whether the request came over
#: HTTPS (``SecurityMiddleware``'s HSTS, or its redirect) and the language of its Accept-Language.
HeadersKey = tuple[int, bool, str]


class LoopCasts:
    """Members' votes and first ballots cast on the event loop (under ``commune serve``,
    ``commune.api.casting_edge``): a cast this module would answer itself (``cast_read``, its request
    read straight from the ASGI scope as ``ScopeRequest``) runs the statements its answer runs in the
    common case (a vote: ``vote_cast_by_caller``'s one statement; a ballot: ``access_voter``'s query, then
    the first ballot's statement; the same text and values), on the loop's own PostgreSQL connections
    (``LoopStatements``) instead of a thread's, and a cast they record is answered from the loop.

    The answer is the one the full path gives: the operation's own body (its renderer, from the same
    answer schema) and the headers the Django application, its middlewares and this module gave the last
    cast they answered 201 on the same route, over the same scheme, in the same language, remembered per
    process: each cast until then is handed to the threads, as is every cast the statements do not
    record (the first into a vote or an election in a process, a re-vote, a refusal of any kind), whose
    answer the full path gives and explains. ``configured()`` is ``None`` where this does not apply:
    SQLite, no connections for the loop (``LOOP_CONNECTIONS`` 0), or Django keeping no connection open
    (``CONN_MAX_AGE`` 0)."""

    def __init__(self, statements: LoopStatements) -> None:
        self.statements = statements
        self.routes = cast_routes()
        self.headers: dict[HeadersKey, list[tuple[bytes, bytes]]] = {}

    @classmethod
    def configured(cls) -> LoopCasts | None:
        database = connections[DEFAULT_DB_ALIAS]
        size = int(getattr(settings, "LOOP_CONNECTIONS", 0))
        max_age = database.settings_dict["CONN_MAX_AGE"]
        if database.vendor != "postgresql" or size <= 0 or max_age == 0:
            return None
        return cls(LoopStatements(size=size, max_age=max_age))

    def prepare(self, scope: Mapping[str, Any], body: bytes) -> LoopCast | None:
        """The cast a request (its ASGI scope, its body read) would be answered with here, or ``None`` for
        the full path: another route, a path under a ``root_path``, a query string, or a request
        ``cast_read`` does not take (read as ``ScopeRequest``)."""
        if scope.get("root_path") or scope["query_string"]:
            return None
        path = scope["path"]
        for index, route in enumerate(self.routes):
            found = route.path.fullmatch(path)
            if found is not None:
                return self._prepared(index, route, found, scope, body) if route.on_loop else None
        return None

    def _prepared(
        self, index: int, route: CastRoute, found: re.Match[str], scope: Mapping[str, Any], body: bytes
    ) -> LoopCast | None:
        try:
            request = ScopeRequest(scope, body)
            if request.META.get("CONTENT_LENGTH") != str(len(body)):
                return None  # a length stated twice, or not the body's: as the threads read it
            data = cast_read(request, route)
        except SuspiciousOperation:  # a host not allowed, a body over the limit: the threads say so
            return None
        if data is None:
            return None
        caller = request_caller(request)
        assert isinstance(caller, BearerToken)
        key = (index, request.is_secure(), language_from_header(request))
        return LoopCast(self, route, key, request, caller, found["slug"], int(found["id"]), data)


@dataclass
class LoopCast:
    """One cast ``LoopCasts`` may answer (which see)."""

    casts: LoopCasts
    route: CastRoute
    key: HeadersKey
    request: HttpRequest
    caller: BearerToken
    slug: str
    number: int
    data: Schema

    async def answered(self) -> Sent | None:
        """The answer, the cast recorded and committed; ``None``, having written nothing, for the full path
        to answer it. A statement that failed (its connection lost) may have committed: the full path then
        finds the cast recorded (a second vote refused, a ballot replaced), so nothing is lost or counted
        twice."""
        headers = self.casts.headers.get(self.key)
        if headers is None:
            return None
        assert self.route.on_loop is not None
        try:
            answer = await self.route.on_loop(
                self.casts.statements, self.caller, self.slug, self.number, self.data
            )
        except Exception:
            logger.warning("a cast on the event loop failed: the full path answers it", exc_info=True)
            return None
        if answer is None:
            return None
        renderer = self.route.operation.api.renderer
        content = renderer.render(self.request, answer.model_dump(), response_status=201)
        body = content.encode(renderer.charset) if isinstance(content, str) else content
        length = str(len(body)).encode()
        return 201, [(name, length if name == b"content-length" else value) for name, value in headers], body

    def remember(self, answer: Sent) -> None:
        """Remember the headers of the full path's answer to this cast if it recorded it (201)."""
        status, headers, _body = answer
        if status == 201 and (b"content-language", self.key[2].encode()) in headers:
            self.casts.headers[self.key] = headers
