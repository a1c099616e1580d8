"""The public register of offices, and officers' pay: proposing it, the wage bands it is capped by, and
settling a proposal."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.federation.models import Body, Member, Organisation
from commune.governance.access import (
    access_office,
    access_office_pay,
    access_wage_bands_proposal,
)
from commune.governance.errors import GovernanceError
from commune.governance.forms import OfficePayForm, WageBandsForm
from commune.governance.selectors import offices_register
from commune.governance.selectors.pages import (
    pay_page,
)
from commune.governance.services import (
    PayCap,
    office_pay_propose,
    office_pay_settle,
    pay_cap,
    wage_bands_body,
    wage_bands_propose,
    wage_bands_settle,
)
from commune.governance.views.common import _actor
from commune.motions.errors import MotionError
from commune.motions.models import MotionStatus
from commune.web.edge import member_page, page_context, refusal, refusal_status


@member_page
def register_page(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """Every office held now and every seat on an executive: holder, body, term, pay, how they came to it."""
    entries = offices_register(organisation=organisation)
    try:
        cap: PayCap | None = pay_cap(organisation=organisation)
    except GovernanceError:  # no member's wage band has a figure yet: there is no cap to state
        cap = None
    return render(
        request,
        "governance/register.html",
        page_context(
            organisation,
            member,
            offices=[e for e in entries if e.kind == "office"],
            executive_seats=[e for e in entries if e.kind == "executive"],
            cap=cap,
        ),
    )


@member_page
@require_http_methods(["GET", "POST"])
def pay_page_view(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """The wage bands and the pay cap they give, the motions on them and on officers' pay, and moving
    either: the wage bands in the body the constitution names, an office's pay in its own body. The
    services refuse whoever may not (an office holder, on the figures that bound their own pay)."""
    read = pay_page(organisation=organisation)
    offices = [(str(o.pk), f"{o.title} of {o.body.name}") for o in read.offices]
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    bands_form = WageBandsForm(posted if action == "bands" else None, prefix="bands")
    pay_form = OfficePayForm(posted if action == "pay" else None, prefix="pay", offices=offices)
    status = 200
    if posted is not None:
        form: forms.Form = bands_form if action == "bands" else pay_form
        if action not in ("bands", "pay"):
            raise Http404(_("no such action"))
        if not form.is_valid():
            status = 400
        else:
            try:
                if action == "bands":
                    motion_id = wage_bands_propose(
                        organisation=organisation,
                        member=member,
                        bands=form.cleaned_data["bands"],
                        members=form.cleaned_data["members"],
                        actor=_actor(member),
                    ).motion_id
                else:
                    office = access_office(
                        request_person(request), organisation, int(form.cleaned_data["office"])
                    )
                    motion_id = office_pay_propose(
                        office=office, member=member, weekly=form.cleaned_data["weekly"], actor=_actor(member)
                    ).motion_id
            except (GovernanceError, MotionError) as exc:
                form.add_error(None, refusal(exc))
                status = refusal_status(exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your motion is moved. It changes nothing until its body adopts it; then anyone may put "
                        "it in force from the pay page."
                    ),
                )
                return redirect("motions:detail", slug=organisation.slug, motion_id=motion_id)
    try:
        cap: PayCap | None = pay_cap(organisation=organisation)
    except GovernanceError:
        cap = None
    return render(
        request,
        "governance/pay.html",
        page_context(
            organisation,
            member,
            read=read,
            cap=cap,
            bands_body=_bands_body_or_none(organisation),
            bands_form=bands_form,
            pay_form=pay_form,
            decided=(MotionStatus.ADOPTED, MotionStatus.REJECTED),
        ),
        status=status,
    )


def _bands_body_or_none(organisation: Organisation) -> Body | None:
    try:
        return wage_bands_body(organisation=organisation)
    except GovernanceError:
        return None


@member_page
@require_POST
def pay_settle_page(
    request: HttpRequest, organisation: Organisation, member: Member, kind: str, proposal_id: int
) -> HttpResponse:
    """Put wage bands or an office's pay in force once its body adopted the motion (anyone may)."""
    person = request_person(request)
    try:
        if kind == "wage-bands":
            proposal = wage_bands_settle(
                proposal=access_wage_bands_proposal(person, organisation, proposal_id), actor=_actor(member)
            )
            said = proposal.get_status_display()
        elif kind == "office-pay":
            pay = office_pay_settle(
                pay=access_office_pay(person, organisation, proposal_id), actor=_actor(member)
            )
            said = pay.get_status_display()
        else:
            raise Http404(_("no such kind of pay motion"))
    except GovernanceError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("Settled: %(status)s.") % {"status": said.lower()})
    return redirect("governance:pay", slug=organisation.slug)
