"""The constitution's amendment history, and proposing an amendment (which only starts a motion on its
way to a referendum of the membership)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commune.accounts.access import request_person
from commune.federation.access import access_body
from commune.federation.constitution import ConstitutionError
from commune.federation.constitution_words import RULE_LABELS
from commune.federation.models import Member, Organisation
from commune.governance.errors import GovernanceError
from commune.governance.forms import AmendmentForm
from commune.governance.selectors.pages import (
    amendments_page,
    bodies_member_sits_in,
    proposal_changes,
)
from commune.governance.services import (
    constitution_amendment_propose,
)
from commune.governance.views.common import _actor, _labelled
from commune.motions.errors import MotionError
from commune.web.edge import member_page, page_context, refusal, refusal_status


@member_page
def amendments_history_page(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """Every version, with what it changed and the referendum that carried it; every proposal on its way."""
    view = amendments_page(organisation=organisation)
    versions = [(v, _labelled(v.changes)) for v in view.versions]
    proposals = [(p, _labelled(proposal_changes(p))) for p in view.proposals]
    return render(
        request,
        "governance/amendments.html",
        page_context(organisation, member, versions=versions, proposals=proposals),
    )


def _amendment_form(member: Member, data: Any = None) -> AmendmentForm:
    bodies = [(b.code, b.name) for b in bodies_member_sits_in(member=member)]
    rules = list(RULE_LABELS.items())
    return AmendmentForm(data, bodies=bodies, rules=rules)


@member_page
@require_http_methods(["GET", "POST"])
def amendment_propose_page(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """Propose a change to one rule, as a constitutional motion in a body one sits in. It changes nothing
    by itself: only a referendum of the whole membership can enact it."""
    form = _amendment_form(member, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            body = access_body(request_person(request), organisation, form.cleaned_data["body"])
            try:
                proposal = constitution_amendment_propose(
                    body=body,
                    member=member,
                    changes=form.changes(),
                    reason=form.cleaned_data["reason"],
                    actor=_actor(member),
                )
            except (GovernanceError, MotionError, ConstitutionError) as exc:
                form.add_error(None, refusal(exc))
                status = refusal_status(exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your amendment is moved in %(body)s. To be enacted it must be adopted there, forwarded "
                        "up, referred by the top council and carried in a referendum of the whole membership."
                    )
                    % {"body": body.name},
                )
                return redirect("motions:detail", slug=organisation.slug, motion_id=proposal.motion_id)
        else:
            status = 400
    return render(
        request, "governance/amend.html", page_context(organisation, member, form=form), status=status
    )
