"""Pages for joining: the public application form, the applicant's page behind their emailed link, and the
page where an officer who keeps a unit's roll decides its applications; for moving: a member's requests to
move and the receiving officer's decisions on one page; and the page where a member resigns."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commune.accounts.access import request_address
from commune.errors import DomainError
from commune.federation.models import Member, Organisation
from commune.federation.selectors import constitution_in_force
from commune.membership.access import (
    access_application_to_decide,
    access_organisation_public,
    access_transfer,
)
from commune.membership.errors import NotFound
from commune.membership.forms import ApplicationForm, ContactForm, DecisionForm, ResignForm, TransferForm
from commune.membership.selectors import (
    application_appealable,
    application_by_token,
    application_decided_by,
    applications_pending,
    contact_details_of,
    directory_for,
    transfers_of,
    transfers_to_decide,
    units_open,
)
from commune.membership.services import (
    application_admit,
    application_appeal,
    application_confirm,
    application_put_to_assembly,
    application_refuse,
    application_submit,
    assembly_vote,
    contact_details_set,
    member_resign,
    transfer_admit,
    transfer_refuse,
    transfer_request,
    transfer_withdraw,
)
from commune.web.edge import member_page, page_context, refusal, refusal_status


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _public(slug: str) -> Organisation:
    try:
        return access_organisation_public(slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Anyone may apply; the answer is the same for every address (see ``application_submit``)."""
    joining = _public(slug)
    units = list(units_open(organisation=joining))
    form = ApplicationForm(request.POST or None, units=units)
    context = {
        "joining": joining,
        "form": form,
        "admission": constitution_in_force(organisation_id=joining.pk).membership.admission,
    }
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "membership/apply.html", context, status=400 if request.method == "POST" else 200
        )
    data = form.cleaned_data
    try:
        received = application_submit(
            organisation=joining,
            unit_code=data["unit"],
            name=data["name"],
            email=data["email"],
            wage_band=data["wage_band"],
            statement=data["statement"],
            address=request_address(request),
            site=_site(request),
        )
    except DomainError as exc:
        return render(
            request, "membership/apply.html", {**context, "error": refusal(exc)}, status=refusal_status(exc)
        )
    return render(request, "membership/applied.html", {"joining": joining, "received": received})


def status(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The applicant's page: how the application stands, and the button that confirms it."""
    joining = _public(slug)
    application = application_by_token(token=token)
    if application is None or application.organisation_id != joining.pk:
        raise Http404(_("no such application"))
    error = ""
    if request.method == "POST":
        try:
            if "grounds" in request.POST:
                application = application_appeal(token=token, grounds=request.POST["grounds"])
            else:
                application = application_confirm(token=token, site=_site(request))
        except DomainError as exc:
            error = refusal(exc)
    vote = assembly_vote(application.motion) if application.motion is not None else None
    return render(
        request,
        "membership/status.html",
        {
            "joining": joining,
            "application": application,
            "error": error,
            "appealable": application_appealable(application),
            "decided_by": application_decided_by(application),
            "vote": vote,
        },
        status=400 if error else 200,
    )


@member_page
def applications(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """The applications awaiting a decision in the units whose roll the reader keeps."""
    return _applications_page(request, organisation, member)


def _applications_page(
    request: HttpRequest,
    organisation: Organisation,
    member: Member,
    *,
    error: str = "",
    done: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "membership/applications.html",
        page_context(
            organisation,
            member,
            pending=applications_pending(member=member),
            error=error,
            done=done,
        ),
        status=status,
    )


@require_POST
@member_page
def decide(
    request: HttpRequest, organisation: Organisation, member: Member, application_id: int
) -> HttpResponse:
    """Admit, or refuse with a reason, one application."""
    try:
        application = access_application_to_decide(member, organisation, application_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = DecisionForm(request.POST)
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _applications_page(request, organisation, member, error=problems, status=400)
    try:
        if form.cleaned_data["decision"] == "admit":
            decided = application_admit(application=application, officer=member, site=_site(request))
            assert decided.member is not None
            done = _("%(name)s is admitted to %(unit)s as member %(number)s.") % {
                "name": decided.name,
                "unit": decided.unit.name,
                "number": decided.member.number,
            }
        else:
            decided = application_refuse(
                application=application, officer=member, reason=form.cleaned_data["reason"]
            )
            done = _("%(name)s's application is refused; they have been sent your reason.") % {
                "name": decided.name
            }
    except DomainError as exc:
        return _applications_page(
            request, organisation, member, error=refusal(exc), status=refusal_status(exc)
        )
    return _applications_page(request, organisation, member, done=done)


@require_POST
@member_page
def put_to_assembly(
    request: HttpRequest, organisation: Organisation, member: Member, application_id: int
) -> HttpResponse:
    """Put one application to the unit's general assembly, as a motion to admit."""
    try:
        application = access_application_to_decide(member, organisation, application_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    try:
        put = application_put_to_assembly(application=application, officer=member)
    except DomainError as exc:
        return _applications_page(
            request, organisation, member, error=refusal(exc), status=refusal_status(exc)
        )
    done = _("%(name)s's application is before the general assembly of %(unit)s, as a motion to admit.") % {
        "name": put.name,
        "unit": put.unit.name,
    }
    return _applications_page(request, organisation, member, done=done)


def _transfers_page(
    request: HttpRequest,
    organisation: Organisation,
    member: Member,
    *,
    form: TransferForm | None = None,
    error: str = "",
    done: str = "",
    status: int = 200,
) -> HttpResponse:
    units = [u for u in units_open(organisation=organisation) if u.pk != member.current_unit_id]
    return render(
        request,
        "membership/transfers.html",
        page_context(
            organisation,
            member,
            form=form or TransferForm(units=units),
            mine=transfers_of(member=member),
            to_decide=transfers_to_decide(member=member),
            error=error,
            done=done,
        ),
        status=status,
    )


@member_page
def transfers(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """The reader's requests to move, the form to ask, and the requests into units whose roll they keep.
    Asking is a POST to this page."""
    if request.method != "POST":
        return _transfers_page(request, organisation, member)
    units = [u for u in units_open(organisation=organisation) if u.pk != member.current_unit_id]
    form = TransferForm(request.POST, units=units)
    if not form.is_valid():
        return _transfers_page(request, organisation, member, form=form, status=400)
    try:
        asked = transfer_request(
            member=member, to_unit_code=form.cleaned_data["unit"], statement=form.cleaned_data["statement"]
        )
    except DomainError as exc:
        return _transfers_page(
            request, organisation, member, form=form, error=refusal(exc), status=refusal_status(exc)
        )
    done = (
        _("You are now a member of %(unit)s.") % {"unit": asked.to_unit.name}
        if asked.status == "admitted"
        else _("Your request to move to %(unit)s waits for an officer of that unit.")
        % {"unit": asked.to_unit.name}
    )
    return _transfers_page(request, organisation, member, done=done)


@require_POST
@member_page
def transfer_decide(
    request: HttpRequest, organisation: Organisation, member: Member, transfer_id: int
) -> HttpResponse:
    """Admit, refuse with a reason, or (the member's own) withdraw one request to move."""
    try:
        transfer = access_transfer(member, organisation, transfer_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = DecisionForm(request.POST, withdraw=True)
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _transfers_page(request, organisation, member, error=problems, status=400)
    decision, name = form.cleaned_data["decision"], transfer.member.person.name
    try:
        if decision == "admit":
            transfer_admit(transfer=transfer, officer=member)
            done = _("%(name)s is now a member of %(unit)s.") % {"name": name, "unit": transfer.to_unit.name}
        elif decision == "refuse":
            transfer_refuse(transfer=transfer, officer=member, reason=form.cleaned_data["reason"])
            done = _("%(name)s's move is refused; they have been sent your reason.") % {"name": name}
        else:
            transfer_withdraw(transfer=transfer, member=member)
            done = _("Your request to move to %(unit)s is withdrawn.") % {"unit": transfer.to_unit.name}
    except DomainError as exc:
        return _transfers_page(request, organisation, member, error=refusal(exc), status=refusal_status(exc))
    return _transfers_page(request, organisation, member, done=done)


@member_page
def resign(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """The member resigns, after ticking that they mean it."""
    form = ResignForm(request.POST or None)
    context = page_context(organisation, member, form=form)
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "membership/resign.html", context, status=400 if request.method == "POST" else 200
        )
    try:
        member_resign(member=member, statement=form.cleaned_data["statement"])
    except DomainError as exc:
        return render(
            request,
            "membership/resign.html",
            {**context, "error": refusal(exc)},
            status=refusal_status(exc),
        )
    return render(request, "membership/resigned.html", {**context, "member": member})


@member_page
def directory(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """The contact details the reader may see, and the form for their own. Saving is a POST here."""
    mine = contact_details_of(member=member)
    initial = {"phone": mine.phone, "email": mine.email, "visible_to": mine.visible_to} if mine else None
    form = ContactForm(request.POST or None, initial=initial)
    error, done, status = "", "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                contact_details_set(member=member, **form.cleaned_data)
                done = _("Your contact details are saved.")
            except DomainError as exc:
                error, status = refusal(exc), refusal_status(exc)
        else:
            status = 400
    return render(
        request,
        "membership/directory.html",
        page_context(
            organisation, member, form=form, visible=directory_for(reader=member), error=error, done=done
        ),
        status=status,
    )
