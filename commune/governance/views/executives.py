"""Executives with their charters, powers and decisions, called in and reversed by their councils."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commune.accounts.access import request_person
from commune.federation.models import Member, Organisation
from commune.governance.access import (
    access_call_in,
    access_decision,
    access_executive,
    call_in_electors,
)
from commune.governance.errors import GovernanceError
from commune.governance.forms import CallInForm
from commune.governance.selectors.pages import (
    executive_page,
    executives_listing,
)
from commune.governance.services import (
    call_in_open,
    call_in_settle,
    call_in_sign,
)
from commune.governance.views.common import _actor
from commune.web.edge import elector_page, member_page, page_context, refusal, refusal_status


@member_page
def executives_page(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """Every executive, commission and officers' body, under the council that created it."""
    return render(
        request,
        "governance/executives.html",
        page_context(organisation, member, executives=list(executives_listing(organisation=organisation))),
    )


def _executive_response(
    request: HttpRequest, organisation: Organisation, member: Member, code: str, **extra: Any
) -> HttpResponse:
    executive = access_executive(request_person(request), organisation, code)
    status = extra.pop("status", 200)
    return render(
        request,
        "governance/executive.html",
        page_context(
            organisation,
            member,
            view=executive_page(executive=executive, member=member),
            call_in_form=extra.pop("call_in_form", None) or CallInForm(),
            **extra,
        ),
        status=status,
    )


@member_page
def executive_detail_page(
    request: HttpRequest, organisation: Organisation, member: Member, code: str
) -> HttpResponse:
    """Its charter and powers, who sits on it, and every decision with the power it used and any call-in."""
    return _executive_response(request, organisation, member, code)


def _to_executive(organisation: Organisation, code: str) -> HttpResponse:
    return redirect("governance:executive", slug=organisation.slug, code=code)


@member_page
@require_POST
def call_in_open_page(
    request: HttpRequest, organisation: Organisation, member: Member, decision_id: int
) -> HttpResponse:
    """A delegate of the executive's council calls one of its decisions in."""
    decision = access_decision(request_person(request), organisation, decision_id)
    form = CallInForm(request.POST)
    code = decision.executive.code
    if not form.is_valid():
        return _executive_response(
            request, organisation, member, code, call_in_form=form, failed=decision.pk, status=400
        )
    try:
        opened = call_in_open(decision=decision, member=member, actor=_actor(member), **form.cleaned_data)
    except GovernanceError as exc:
        form.add_error(None, refusal(exc))
        return _executive_response(
            request,
            organisation,
            member,
            code,
            call_in_form=form,
            failed=decision.pk,
            status=refusal_status(exc),
        )
    messages.success(
        request,
        _("You called in “%(decision)s”: %(threshold)s delegates' signatures put it to %(council)s.")
        % {
            "decision": decision.title,
            "threshold": opened.threshold,
            "council": decision.executive.council.name,
        },
    )
    return _to_executive(organisation, code)


@elector_page(call_in_electors)
@require_POST
def call_in_sign_page(
    request: HttpRequest, organisation: Organisation, member: Member, call_in_id: int
) -> HttpResponse:
    """A delegate of the council adds their signature to a call-in."""
    call_in = access_call_in(request_person(request), organisation, call_in_id)
    try:
        signed = call_in_sign(call_in=call_in, member=member, actor=_actor(member))
    except GovernanceError as exc:
        messages.error(request, _("Your signature was not added: %(refusal)s") % {"refusal": refusal(exc)})
    else:
        messages.success(
            request,
            _("You signed the call-in. It is now a motion before the council.")
            if signed.motion_id
            else _("You signed the call-in."),
        )
    return _to_executive(organisation, call_in.decision.executive.code)


@member_page
@require_POST
def call_in_settle_page(
    request: HttpRequest, organisation: Organisation, member: Member, call_in_id: int
) -> HttpResponse:
    """Carry out the council's vote on a call-in: reverse the decision, or let it stand."""
    call_in = access_call_in(request_person(request), organisation, call_in_id)
    try:
        settled = call_in_settle(call_in=call_in, actor=_actor(member))
    except GovernanceError as exc:
        messages.error(request, _("Nothing changed: %(refusal)s") % {"refusal": refusal(exc)})
    else:
        messages.success(
            request,
            _("The council's vote is applied: %(status)s.")
            % {"status": settled.get_status_display().lower()},
        )
    return _to_executive(organisation, call_in.decision.executive.code)
