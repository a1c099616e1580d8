"""The edge between HTTP and the domain for the HTML pages.

Organisation pages are for signed-in current members only. ``member_page`` resolves the organisation from
the URL through ``commune.federation.access`` and turns the domain's ``NotFound`` (missing *or* forbidden,
deliberately alike) into a 404, so nobody learns from a page whether an organisation or body exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from commune.accounts.access import request_person
from commune.federation.access import NotFound, access_organisation
from commune.federation.models import Member, Organisation

MemberView = Callable[..., HttpResponse]


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


def page_context(organisation: Organisation, member: Member, **extra: Any) -> dict[str, Any]:
    """What every organisation page's layout needs: the organisation for the navigation, and the reader."""
    return {"organisation": organisation, "member": member, **extra}
