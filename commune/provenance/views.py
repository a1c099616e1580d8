"""The page of a decision's provenance: the chain from the decision back to the constituencies, as nested
lists of links that work without any script."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commune.accounts.access import request_person
from commune.federation.models import Member, Organisation
from commune.provenance.access import access_decision
from commune.provenance.selectors import decision_provenance
from commune.web.edge import member_page, page_context


@member_page
def decision_provenance_page(
    request: HttpRequest, organisation: Organisation, member: Member, kind: str, decision_id: int
) -> HttpResponse:
    decision = access_decision(request_person(request), organisation, kind, decision_id)
    provenance = decision_provenance(kind=kind, decision=decision)
    return render(
        request,
        "provenance/decision.html",
        page_context(organisation, member, provenance=provenance, root=provenance.root),
    )
