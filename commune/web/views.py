"""Pages shared by the whole site: the landing page, or my organisation once signed in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commune.federation.selectors import member_current
from commune.federation.views.pages import home_page


def home(request: HttpRequest) -> HttpResponse:
    """Visitors see what Commune is; members see their organisation; people without a current
    membership are told so."""
    if not request.user.is_authenticated:
        return render(request, "web/landing.html")
    member = member_current(person_id=request.user.pk)
    if member is None:
        return render(request, "web/no_membership.html")
    return home_page(request, member.organisation, member)
