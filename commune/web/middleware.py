"""What every request passes through before any view: input no text may hold is refused here, once.

A NUL character ("\\x00") cannot be stored in PostgreSQL's text, and no one types one: it comes from a
pasted binary file or a probe. Rather than let it reach a query and fail there as a server error, a request
that carries one anywhere (the path, the query string, a form field, a JSON body) is refused naming the field:
the REST API with 422 and its usual ``{"detail", "errors"}``, a page with 400 and the field's name in words.

One exception: a field of a form posted to a page goes on to the page, whose form shows it again with the
error on that field and the rest of what was typed kept (``commune.web.forms``: every form of the web app
refuses a NUL in any field). The admin's pages are Django's own and read some posted values outside any
form, so a NUL posted there is still refused here. Uploaded files are not read: their bytes are data, not
text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

NUL = "\x00"
NUL_MESSAGE = gettext_noop("must not contain a NUL character")
API_PREFIX = "/api/"
ADMIN_PREFIX = "/admin/"

Where = tuple[str, ...]


def _printable(name: str) -> str:
    return name.replace(NUL, "\\x00")


def _in_json(value: Any, where: Where) -> Iterator[Where]:
    if isinstance(value, str):
        if NUL in value:
            yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in str(key):
                yield (*where, _printable(str(key)))
            else:
                yield from _in_json(item, (*where, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _in_json(item, (*where, str(index)))


def may_hold_nul(body: bytes) -> bool:
    """Whether a JSON body can hold a NUL once read: only written as ``\\u0000`` (JSON allows no raw
    control character in a string) or as a raw zero byte (invalid JSON in UTF-8, or a body in UTF-16 or
    UTF-32, which ``json.loads`` also reads). Any other body is not parsed here a second time: the API
    parses it once, for its own checks."""
    return b"\x00" in body or b"\\u0000" in body


def nul_fields(request: HttpRequest) -> list[Where]:
    """Every place in the request that holds a NUL, each as (where, field…): ("query", "action")."""
    found: list[Where] = []
    if NUL in request.path_info:
        try:
            names = [name for name, value in resolve(request.path_info).kwargs.items() if NUL in str(value)]
        except Resolver404:
            names = []
        found.extend(("path", name) for name in names or ["path"])
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in v for v in values):
            found.append(("query", _printable(name)))
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.content_type == "application/json" and may_hold_nul(request.body):
            try:
                body = json.loads(request.body or b"null")
            except ValueError:
                body = None  # not JSON: the API says so itself
            found.extend(("body", *where) for where in _in_json(body, ()))
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for name, values in request.POST.lists():
                if NUL in name or any(NUL in v for v in values):
                    found.append(("body", _printable(name)))
    return found


def _field(where: Where) -> str:
    return ".".join(where[1:]) or where[0]


def _refuse(request: HttpRequest, found: list[Where]) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        message = _(NUL_MESSAGE)
        errors = [{"loc": list(where), "msg": message, "type": "string_nul"} for where in found]
        problems = "; ".join(f"{_field(where)}: {message}" for where in found)
        detail = _("invalid request: %(problems)s") % {"problems": problems}
        return JsonResponse({"detail": detail, "errors": errors}, status=422)
    return render(request, "web/refused_input.html", {"fields": [_field(w) for w in found]}, status=400)


class RefuseNulMiddleware:
    """Refuse any request carrying a NUL character, naming where it is (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = nul_fields(request)
        if not request.path_info.startswith((API_PREFIX, ADMIN_PREFIX)):
            # A page's form refuses it on the field itself (see the module's docstring).
            found = [where for where in found if where[0] != "body"]
        if found:
            return _refuse(request, found)
        return self.get_response(request)


#: Every page may load scripts, styles, images, fonts and data from this site only, and no script or style
#: written into the page itself: an injected ``<script>`` or ``onclick=`` does nothing. No page may be framed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Send ``CONTENT_SECURITY_POLICY`` with every answer (pages, the API and its docs alike)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class TwoFactorRequiredMiddleware:
    """An officer whose constitution requires a second factor, signed in without one, is sent to set it up
    before any page but their account's opens (``commune.accounts.two_factor_views``). Costs nothing for
    everyone else: it reads only flags the session already holds."""

    OPEN = ("/accounts/", "/static/", "/api/", "/admin/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from commune.accounts.two_factor_views import REQUIRED, VERIFIED

        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(REQUIRED)
            and not session.get(VERIFIED)
            and not request.path_info.startswith(self.OPEN)
        ):
            return redirect("accounts:two_factor")
        return self.get_response(request)


def api_token_request(request: HttpRequest) -> bool:
    """A call to the REST API carrying a bearer token: ``commune.api.auth.TokenAuth`` alone decides who
    makes it (a bad token is refused, never passed on to the session), so nothing of the browser's session
    is read for it: no session, CSRF cookie, signed-in user or messages."""
    if not request.path_info.startswith(API_PREFIX):
        return False
    scheme = str(request.META.get("HTTP_AUTHORIZATION", "")).split(" ", 1)[0]
    return scheme.lower() == "bearer"


class _PagesOnly:
    """Mixed into a middleware that serves pages and browser sessions: an ``api_token_request`` passes
    straight on to the next one. A bearer-token call to the API is the busiest request there is (casting
    a vote), and these middlewares only ever find nothing in it."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if api_token_request(request):
            return self.skipped(request)
        return super().__call__(request)  # type: ignore[misc, no-any-return]

    def skipped(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)  # type: ignore[attr-defined, no-any-return]


class PageSessionMiddleware(_PagesOnly, SessionMiddleware):
    """Django's sessions, for everything but ``api_token_request``."""


class PageCsrfViewMiddleware(_PagesOnly, CsrfViewMiddleware):
    """Django's CSRF cookie and check, for everything but ``api_token_request`` (whose endpoints are
    exempt: a bearer token is not something a browser sends by itself)."""


class PageAuthenticationMiddleware(_PagesOnly, AuthenticationMiddleware):
    """The session's signed-in person, for everything but ``api_token_request``, which starts anonymous
    until its token is checked (an endpoint open to anyone then sees nobody signed in)."""

    def skipped(self, request: HttpRequest) -> HttpResponse:
        request.user = AnonymousUser()
        return super().skipped(request)


class PageMessageMiddleware(_PagesOnly, MessageMiddleware):
    """Django's one-time messages, for everything but ``api_token_request``."""
