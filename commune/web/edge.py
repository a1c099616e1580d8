"""The edge between HTTP and the domain.

Organisation pages are for signed-in current members only (and, on the pages of a process whose
electorate was fixed when it opened, ``elector_page``, for its electors whose membership has ended since). ``member_page`` resolves the organisation from
the URL through ``commune.federation.access`` and turns the domain's ``NotFound`` (missing *or* forbidden,
deliberately alike) into a 404, so nobody learns from a page whether an organisation or body exists.

A page that asks a service to act shows its refusal as a sentence (``refusal``) with the status of its kind
(``refusal_status``), the same status the REST API answers for it (``commune.api.root``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from commune.accounts.access import request_person
from commune.errors import DomainError, ErrorKind
from commune.federation.access import NotFound, access_organisation
from commune.federation.models import Member, Organisation

MemberView = Callable[..., HttpResponse]

#: The HTTP status of each kind of refusal, for the pages and the REST API alike.
HTTP_STATUS: Mapping[ErrorKind, int] = {
    ErrorKind.INVALID: 400,
    ErrorKind.UNAUTHENTICATED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.TOO_MANY: 429,
}


def refusal_status(exc: DomainError) -> int:
    """The HTTP status that answers a refusal: 403 for someone not entitled, 409 for the wrong stage, …"""
    return HTTP_STATUS[exc.kind]


def refusal(exc: DomainError) -> str:
    """The domain's message as a sentence for the page."""
    text = str(exc)
    return f"{text[:1].upper()}{text[1:]}{'' if text.endswith('.') else '.'}"


def member_page(view: MemberView) -> Callable[..., HttpResponse]:
    """Wrap ``view(request, organisation, member, **kwargs)`` as a view of ``(request, slug, **kwargs)``.

    Anonymous visitors are sent to sign in; anyone who is not a current member gets a 404.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        try:
            organisation, member = access_organisation(request_person(request), slug)
            return view(request, organisation, member, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc)) from exc

    return login_required(wrapped)


def elector_page(
    electorate: Callable[..., QuerySet[Any]],
) -> Callable[[MemberView], Callable[..., HttpResponse]]:
    """As ``member_page``, for the pages of a process whose electorate was fixed when it opened (a vote, a
    petition, a call-in): ``electorate(**kwargs)`` gives the member ids of the process the URL names, and
    an elector of it whose membership has ended since is admitted as well. Whether they may act is the
    process's own roll to decide, as it is for everyone."""

    def decorate(view: MemberView) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
            try:
                organisation, member = access_organisation(
                    request_person(request), slug, electorate=electorate(**kwargs)
                )
                return view(request, organisation, member, **kwargs)
            except NotFound as exc:
                raise Http404(str(exc)) from exc

        return login_required(wrapped)

    return decorate


def page_context(organisation: Organisation, member: Member, **extra: Any) -> dict[str, Any]:
    """What every organisation page's layout needs: the organisation for the navigation, and the reader."""
    return {"organisation": organisation, "member": member, **extra}
