"""Pages for joining: the public application form, the applicant's page behind their emailed link, and the
page where an officer who keeps a unit's roll decides its applications."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from commune.accounts.access import request_address
from commune.errors import DomainError
from commune.federation.models import Member, Organisation
from commune.federation.selectors import constitution_in_force
from commune.membership.access import access_application_to_decide, access_organisation_public
from commune.membership.errors import NotFound
from commune.membership.forms import ApplicationForm, DecisionForm
from commune.membership.selectors import application_by_token, applications_pending, units_open
from commune.membership.services import (
    application_admit,
    application_confirm,
    application_refuse,
    application_submit,
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
        raise Http404("no such application")
    error = ""
    if request.method == "POST":
        try:
            application = application_confirm(token=token, site=_site(request))
        except DomainError as exc:
            error = refusal(exc)
    return render(
        request,
        "membership/status.html",
        {"joining": joining, "application": application, "error": error},
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
            done = f"{decided.name} is admitted to {decided.unit.name} as member {decided.member.number}."
        else:
            decided = application_refuse(
                application=application, officer=member, reason=form.cleaned_data["reason"]
            )
            done = f"{decided.name}'s application is refused; they have been sent your reason."
    except DomainError as exc:
        return _applications_page(
            request, organisation, member, error=refusal(exc), status=refusal_status(exc)
        )
    return _applications_page(request, organisation, member, done=done)
