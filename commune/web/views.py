"""Pages shared by the whole site."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commune.federation.selectors import member_current, representation_chain


def home(request: HttpRequest) -> HttpResponse:
    """My organisation: my unit and who represents me, all the way up."""
    member = None
    chain = []
    if request.user.is_authenticated:
        member = member_current(person_id=request.user.pk)
        if member is not None and member.current_unit is not None:
            chain = representation_chain(unit=member.current_unit)
    return render(request, "web/home.html", {"member": member, "chain": chain})
