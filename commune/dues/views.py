"""Dues pages: a member's own standing and history; a unit's dues for the officers who keep its roll,
where they record payments and import payment files; and one member's dues, where they correct payments and
record refunds, changes of wage band, hardship exemptions and arrears brought forward."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commune.dues.access import access_dues_unit, access_member_payment, access_unit_member
from commune.dues.errors import NotFound
from commune.dues.forms import (
    BroughtForwardForm,
    CorrectionForm,
    ExemptionForm,
    ImportForm,
    PaymentForm,
    RefundForm,
    WageBandForm,
)
from commune.dues.selectors import dues_record, dues_units_of, payments_uncorrected, unit_dues, unit_imports
from commune.dues.services import (
    DuesImportReport,
    arrears_brought_forward_record,
    dues_exemption_record,
    dues_import,
    dues_payment_correct,
    dues_payment_record,
    dues_refund_record,
    wage_band_change_record,
)
from commune.dues.services.common import officer_actor
from commune.errors import DomainError
from commune.federation.models import Body, Member, Organisation
from commune.federation.selectors import constitution_in_force
from commune.web.edge import member_page, page_context, refusal, refusal_status


def _unit(member: Member, organisation: Organisation, code: str) -> Body:
    try:
        return access_dues_unit(member, organisation, code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _form_problems(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@member_page
def mine(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """The member's own standing, what they owe month by month, and every payment and exemption."""
    return render(
        request,
        "dues/mine.html",
        page_context(
            organisation,
            member,
            record=dues_record(member=member),
            units=dues_units_of(member=member),
            rules=constitution_in_force(organisation_id=organisation.pk).dues,
        ),
    )


def _unit_page(
    request: HttpRequest,
    organisation: Organisation,
    member: Member,
    unit: Body,
    *,
    report: DuesImportReport | None = None,
    error: str = "",
    done: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "dues/unit.html",
        page_context(
            organisation,
            member,
            unit=unit,
            rows=unit_dues(unit=unit),
            imports=unit_imports(unit=unit),
            payment_form=PaymentForm(),
            import_form=ImportForm(initial={"dry_run": not (report and report.ok and report.dry_run)}),
            report=report,
            error=error,
            done=done,
        ),
        status=status,
    )


@member_page
def unit(request: HttpRequest, organisation: Organisation, member: Member, code: str) -> HttpResponse:
    """A unit's members with their standing, furthest behind first; and the forms to record payments."""
    return _unit_page(request, organisation, member, _unit(member, organisation, code))


@require_POST
@member_page
def payment(request: HttpRequest, organisation: Organisation, member: Member, code: str) -> HttpResponse:
    where = _unit(member, organisation, code)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return _unit_page(request, organisation, member, where, error=_form_problems(form), status=400)
    data = form.cleaned_data
    try:
        payer = access_unit_member(where, data["number"])
        recorded = dues_payment_record(
            officer=member,
            member=payer,
            amount=data["amount"],
            paid_on=data["paid_on"],
            reference=data["reference"],
        )
    except DomainError as exc:
        return _unit_page(
            request, organisation, member, where, error=refusal(exc), status=refusal_status(exc)
        )
    return _unit_page(
        request,
        organisation,
        member,
        where,
        done=_("Payment of %(amount)s from member %(number)s recorded.")
        % {"amount": formats.number_format(recorded.amount, 2), "number": payer.number},
    )


@require_POST
@member_page
def upload(request: HttpRequest, organisation: Organisation, member: Member, code: str) -> HttpResponse:
    """Import a payment file, by default as a dry run: every problem is listed by line, and nothing is
    imported unless every line is good."""
    where = _unit(member, organisation, code)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _unit_page(request, organisation, member, where, error=_form_problems(form), status=400)
    try:
        report = dues_import(
            unit=where,
            csv_text=form.cleaned_data["payments"],
            dry_run=form.cleaned_data["dry_run"],
            actor=officer_actor(member, where),
            officer=member,
        )
    except DomainError as exc:
        return _unit_page(
            request, organisation, member, where, error=refusal(exc), status=refusal_status(exc)
        )
    return _unit_page(request, organisation, member, where, report=report, status=200 if report.ok else 400)


def _payment_choices(payer: Member) -> list[tuple[int, str]]:
    """The member's payments not yet corrected, newest first, as a correction form offers them."""
    return [
        (
            p.pk,
            f"{formats.date_format(p.paid_on, 'DATE_FORMAT')}: {formats.number_format(p.amount, 2)}"
            + (f" ({p.reference})" if p.reference else ""),
        )
        for p in payments_uncorrected(member=payer)
    ]


@require_http_methods(["GET", "POST"])
@member_page
def member(
    request: HttpRequest, organisation: Organisation, member: Member, code: str, number: str
) -> HttpResponse:
    """One member's dues, for the officers of their unit, with the forms to correct a payment, record a
    refund, a hardship exemption and arrears brought forward."""
    where = _unit(member, organisation, code)
    try:
        payer = access_unit_member(where, number)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    error, done, status = "", "", 200
    forms_shown: dict[str, Any] = {
        "exemption_form": ExemptionForm(),
        "brought_form": BroughtForwardForm(),
        "correction_form": CorrectionForm(payments=_payment_choices(payer)),
        "refund_form": RefundForm(),
        "band_form": WageBandForm(),
    }
    if request.method == "POST":
        act = request.POST.get("act")
        key, form = {
            "brought-forward": ("brought_form", BroughtForwardForm(request.POST)),
            "correction": (
                "correction_form",
                CorrectionForm(request.POST, payments=_payment_choices(payer)),
            ),
            "refund": ("refund_form", RefundForm(request.POST)),
            "wage-band": ("band_form", WageBandForm(request.POST)),
        }.get(act or "", ("exemption_form", ExemptionForm(request.POST)))
        forms_shown[key] = form
        try:
            if not form.is_valid():
                error, status = _form_problems(form), 400
            else:
                done = _member_act(act or "", member, payer, form.cleaned_data)
                forms_shown = {
                    "exemption_form": ExemptionForm(),
                    "brought_form": BroughtForwardForm(),
                    "correction_form": CorrectionForm(payments=_payment_choices(payer)),
                    "refund_form": RefundForm(),
                    "band_form": WageBandForm(),
                }
        except DomainError as exc:
            error, status = refusal(exc), refusal_status(exc)
    return render(
        request,
        "dues/member.html",
        page_context(
            organisation,
            member,
            unit=where,
            record=dues_record(member=payer),
            error=error,
            done=done,
            **forms_shown,
        ),
        status=status,
    )


def _member_act(act: str, officer: Member, payer: Member, data: dict[str, Any]) -> str:
    """Record what the officer's form asks, and say so."""
    if act == "brought-forward":
        arrears_brought_forward_record(
            officer=officer, member=payer, months=data["months"], reason=data["reason"]
        )
        return _("The arrears brought forward are recorded.")
    if act == "correction":
        dues_payment_correct(
            officer=officer,
            payment=access_member_payment(payer, data["payment"]),
            amount=data["amount"],
            reason=data["reason"],
        )
        return _("The payment is corrected; the member is told.")
    if act == "refund":
        dues_refund_record(
            officer=officer,
            member=payer,
            amount=data["amount"],
            refunded_on=data["refunded_on"],
            reason=data["reason"],
        )
        return _("The refund is recorded; the member is told.")
    if act == "wage-band":
        wage_band_change_record(
            officer=officer,
            member=payer,
            band=data["band"],
            from_month=data["from_month"],
            reason=data["reason"],
        )
        return _("The wage band is changed; the member is told.")
    dues_exemption_record(
        officer=officer,
        member=payer,
        first_month=data["first_month"],
        last_month=data["last_month"],
        reason=data["reason"],
    )
    return _("The exemption is recorded; the member is told.")
