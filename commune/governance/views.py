"""Pages of answerable power: the public register of offices; tendencies, founded, joined, left and
dissolved only by their own members; executives with their charters, powers and decisions, called in and
reversed by their councils; the constitution's amendment history, and proposing an amendment (which only
starts a motion on its way to a referendum of the membership).

Every current member may read all of it. What a member may do is decided by the services; their refusals
come back as form errors or messages, with the status the API would give.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.federation.access import access_body
from commune.federation.constitution import ConstitutionError
from commune.federation.constitution_words import RULE_LABELS, rule_label, rule_value_words
from commune.federation.models import Body, Member, Organisation
from commune.governance.access import (
    access_call_in,
    access_decision,
    access_executive,
    access_office,
    access_office_pay,
    access_tendency,
    access_wage_bands_proposal,
    call_in_electors,
)
from commune.governance.errors import GovernanceError
from commune.governance.forms import AmendmentForm, CallInForm, OfficePayForm, TendencyForm, WageBandsForm
from commune.governance.selectors import offices_register, tendencies_of_organisation
from commune.governance.selectors.pages import (
    amendments_page,
    bodies_member_sits_in,
    executive_page,
    executives_listing,
    pay_page,
    proposal_changes,
    tendency_of_organisation,
    tendency_page,
)
from commune.governance.services import (
    PayCap,
    call_in_open,
    call_in_settle,
    call_in_sign,
    constitution_amendment_propose,
    office_pay_propose,
    office_pay_settle,
    pay_cap,
    tendency_admit,
    tendency_dissolution_vote,
    tendency_found,
    tendency_join,
    tendency_leave,
    tendency_refound,
    wage_bands_body,
    wage_bands_propose,
    wage_bands_settle,
)
from commune.motions.errors import MotionError
from commune.motions.models import MotionStatus
from commune.web.edge import elector_page, member_page, page_context, refusal, refusal_status


def _actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def _labelled(changes: list[tuple[str, Any, Any]]) -> list[tuple[str, str, str]]:
    """Each changed rule by its name, with its values before and after in words."""
    return [
        (rule_label(key), rule_value_words(key, before), rule_value_words(key, after))
        for key, before, after in changes
    ]


# The register of offices ---------------------------------------------------------------------------------


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


# Tendencies ----------------------------------------------------------------------------------------------


@member_page
@require_http_methods(["GET", "POST"])
def tendencies_page(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """The organisation's tendencies, and founding a new one."""
    form = TendencyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                tendency = tendency_found(
                    organisation=organisation, member=member, actor=_actor(member), **form.cleaned_data
                )
            except GovernanceError as exc:
                form.add_error(None, refusal(exc))
                status = refusal_status(exc)
            else:
                messages.success(
                    request,
                    _("You founded %(tendency)s; you are its first member.") % {"tendency": tendency.name},
                )
                return redirect("governance:tendency", slug=organisation.slug, tendency=tendency.slug)
        else:
            status = 400
    return render(
        request,
        "governance/tendencies.html",
        page_context(
            organisation, member, tendencies=tendencies_of_organisation(organisation=organisation), form=form
        ),
        status=status,
    )


@member_page
def tendency_detail_page(
    request: HttpRequest, organisation: Organisation, member: Member, tendency: str
) -> HttpResponse:
    """A tendency's platform and members, and joining, leaving or voting to dissolve it."""
    found = tendency_of_organisation(organisation=organisation, slug=tendency)
    if found is None:
        raise Http404(_("no such tendency"))
    return render(
        request,
        "governance/tendency.html",
        page_context(organisation, member, view=tendency_page(tendency=found, member=member)),
    )


TENDENCY_ACTIONS = {
    "join": (
        tendency_join,
        gettext_lazy("You applied to join %(name)s: you are a member once its members admit you."),
    ),
    "leave": (tendency_leave, gettext_lazy("You left %(name)s.")),
    "dissolve": (tendency_dissolution_vote, gettext_lazy("Your vote to dissolve %(name)s is recorded.")),
    "refound": (tendency_refound, gettext_lazy("You refounded %(name)s.")),
}


@member_page
@require_POST
def tendency_act_page(
    request: HttpRequest, organisation: Organisation, member: Member, tendency: str, action: str
) -> HttpResponse:
    """Join, leave, or (a member of it) vote to dissolve a tendency."""
    if action not in TENDENCY_ACTIONS:
        raise Http404(_("no such action"))
    found = access_tendency(request_person(request), organisation, tendency)
    service, done = TENDENCY_ACTIONS[action]
    try:
        after = service(tendency=found, member=member, actor=_actor(member))
    except GovernanceError as exc:
        messages.error(request, _("Not done: %(refusal)s") % {"refusal": refusal(exc)})
        return render(
            request,
            "governance/tendency.html",
            page_context(organisation, member, view=tendency_page(tendency=found, member=member)),
            status=refusal_status(exc),
        )
    dissolved = getattr(after, "dissolved_at", None) is not None
    messages.success(
        request,
        str(done) % {"name": found.name}
        + (" " + _("A majority of its members voted; it is dissolved.") if dissolved else ""),
    )
    return redirect("governance:tendency", slug=organisation.slug, tendency=found.slug)


# Executives ----------------------------------------------------------------------------------------------


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


# The constitution's amendments ---------------------------------------------------------------------------


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


@member_page
@require_POST
def tendency_admit_page(
    request: HttpRequest, organisation: Organisation, member: Member, tendency: str, number: str
) -> HttpResponse:
    """A member of the tendency (or a founder, as its rules say) admits someone who applied."""
    found = access_tendency(request_person(request), organisation, tendency)
    applicant = Member.objects.filter(organisation=organisation, number=number).first()
    if applicant is None:
        raise Http404(_("no such member"))
    try:
        tendency_admit(tendency=found, applicant=applicant, member=member, actor=_actor(member))
    except GovernanceError as exc:
        messages.error(request, _("Not done: %(refusal)s") % {"refusal": refusal(exc)})
        return render(
            request,
            "governance/tendency.html",
            page_context(organisation, member, view=tendency_page(tendency=found, member=member)),
            status=refusal_status(exc),
        )
    messages.success(
        request,
        _("%(name)s is now a member of %(tendency)s.")
        % {"name": applicant.person.name, "tendency": found.name},
    )
    return redirect("governance:tendency", slug=organisation.slug, tendency=found.slug)
