"""Which language a request is answered in, and the switcher that changes it.

A page follows, in this order: the language a signed-in person saved on their account (``User.language``),
the language cookie (a visitor's choice, kept across signing in and out), then the browser's
Accept-Language. The REST API follows the Accept-Language header only: a program's answers must not change
with a choice made in a browser, and a token has no cookie to carry one.

The switcher (``web/_languages.html``, on every page) is a plain form posted to ``language_choose``: it
works without script, saves the choice on the account of whoever is signed in, and always sets the cookie.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_POST

from commune.accounts.models import User
from commune.accounts.services import user_language_set

API_PREFIX = "/api/"


def _supported(code: str) -> str | None:
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_from_header(request: HttpRequest) -> str:
    """The first language of the request's Accept-Language that Commune speaks, else the source language."""
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code != "*" and (found := _supported(code)):
            return found
    return settings.LANGUAGE_CODE


def language_of_request(request: HttpRequest) -> str:
    """The language to answer ``request`` in (see the module's docstring for the order)."""
    if request.path_info.startswith(API_PREFIX):
        return language_from_header(request)
    user = getattr(request, "user", None)
    if (
        isinstance(user, User)
        and user.is_authenticated
        and user.language
        and (found := _supported(user.language))
    ):
        return found
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie and (found := _supported(cookie)):
        return found
    return language_from_header(request)


class LanguageMiddleware:
    """Activate the request's language for the view and its templates. Runs after authentication, so a
    signed-in person's saved choice is known; answers vary with the header and the cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_of_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        answered_in(response, language, api=request.path_info.startswith(API_PREFIX))
        return response


def answered_in(response: HttpResponse, language: str, *, api: bool) -> None:
    """Say which language ``response`` is in and what chose it: the API answers by the header alone; a
    page also by the cookie (and the session's person)."""
    patch_vary_headers(response, ("Accept-Language",) if api else ("Accept-Language", "Cookie"))
    response.headers.setdefault("Content-Language", language)


@require_POST
def language_choose(request: HttpRequest) -> HttpResponse:
    """Change the reader's language and go back to the page they were on.

    ``language`` is one of settings' ``LANGUAGES``, or empty to follow the browser again. A signed-in
    person's choice is saved on their account (it also decides the language of their notifications)."""
    code = request.POST.get("language", "")
    language = _supported(code) if code else ""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    if language is None:
        return response
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        user_language_set(user=user, language=language)
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite="Lax")
    return response
