"""API: a member's own standing and payments; for the officers who keep a unit's roll, its members'
standing, recording payments, importing a payment file (with a dry run), correcting payments and recording
refunds, changes of wage band, hardship exemptions and arrears brought forward."""

# No postponed annotations here: ninja reads the endpoints' parameter types at runtime.
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol, TypeVar

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from commune.accounts.access import request_person
from commune.api.answers import REFUSED
from commune.dues.access import access_dues_unit, access_member_payment, access_unit_member
from commune.dues.models import DuesAdjustment, DuesExemption, DuesPayment, WageBandChange
from commune.dues.reckoning import Standing
from commune.dues.selectors import dues_record, unit_dues
from commune.dues.services import (
    arrears_brought_forward_record,
    dues_exemption_record,
    dues_import,
    dues_payment_correct,
    dues_payment_record,
    dues_refund_record,
    wage_band_change_record,
)
from commune.dues.services.common import officer_actor
from commune.federation.access import access_organisation
from commune.federation.models import Member

router = Router(tags=["dues"])


class _ForMember(Protocol):
    member: str


_MemberIn = TypeVar("_MemberIn", bound=_ForMember)


class DuesMonthOut(Schema):
    month: date | None = Field(description="The month's first day; null for a month brought forward.")
    amount: Decimal
    paid: Decimal
    exempt: bool
    band: str = Field(description="The wage band the month was reckoned for: the member's band that month.")


class DuesStandingOut(Schema):
    member: str
    good_standing: bool
    months_in_arrears: int
    allowed_months: int = Field(description="The months in arrears good standing allows (the constitution).")
    arrears: Decimal
    credit: Decimal
    paid: Decimal
    owed: Decimal
    this_month: Decimal
    months: list[DuesMonthOut]


class DuesPaymentOut(Schema):
    id: int
    amount: Decimal
    paid_on: date
    reference: str
    source: str
    recorded_at: datetime


class DuesAdjustmentOut(Schema):
    id: int
    kind: str = Field(description="`correction` (of a payment recorded wrongly) or `refund`.")
    payment: int | None = Field(description="For a correction: the payment corrected.")
    corrected_amount: Decimal | None = Field(description="For a correction: what the payment really was.")
    change: Decimal = Field(
        description="What it changes the member's total paid by (less than 0 takes away)."
    )
    made_on: date = Field(description="The day the refund was paid, or the correction made.")
    reason: str
    recorded_by: str


class DuesCorrectionIn(Schema):
    member: str = Field(description="The membership number.")
    payment: int = Field(description="The payment's id (`payments[].id` of the member's dues).")
    amount: str = Field(description="What the payment really was: 0 (never made) or more, e.g. 12.50.")
    reason: str = Field(description="Shown to the member and kept on the log.")


class DuesRefundIn(Schema):
    member: str = Field(description="The membership number.")
    amount: str = Field(description="More than 0, at most what the member has paid in all.")
    refunded_on: date = Field(description="The day the money was paid back (not in the future).")
    reason: str = Field(description="Shown to the member and kept on the log.")


class WageBandChangeOut(Schema):
    id: int
    band_before: str
    band: str
    from_month: date = Field(description="The first month on the new band; the months before keep the old.")
    reason: str
    recorded_by: str | None


class WageBandChangeIn(Schema):
    member: str = Field(description="The membership number.")
    band: str = Field(description="The new wage band's code.")
    from_month: date = Field(description="Any day of the first month on the new band (not a month to come).")
    reason: str = Field(description="Shown to the member and kept on the log.")


class DuesExemptionOut(Schema):
    id: int
    first_month: date
    last_month: date
    reason: str
    recorded_by: str


class DuesRecordOut(Schema):
    standing: DuesStandingOut
    payments: list[DuesPaymentOut]
    adjustments: list[DuesAdjustmentOut] = Field(
        description="Corrections of payments and refunds, newest first."
    )
    exemptions: list[DuesExemptionOut]
    band_changes: list[WageBandChangeOut] = Field(description="Changes of wage band, newest first.")
    brought_forward_months: int
    lapse_due_at: datetime | None = Field(description="When the member lapses, if notice has been given.")


class DuesPaymentIn(Schema):
    member: str = Field(description="The membership number.")
    amount: str = Field(description="More than 0, at most two decimals, e.g. 12.50.")
    paid_on: date
    reference: str = ""


class DuesImportIn(Schema):
    csv: str = Field(
        description="The file: a header naming number, amount, paid_on and optionally reference."
    )
    dry_run: bool = True


class DuesProblemOut(Schema):
    line: int
    message: str


class DuesImportOut(Schema):
    imported: bool
    dry_run: bool
    payments: int
    members: int
    total: Decimal
    errors: list[DuesProblemOut]


class DuesExemptionIn(Schema):
    member: str
    first_month: date = Field(description="Any day of the first month exempted.")
    last_month: date = Field(description="Any day of the last month exempted (included).")
    reason: str = Field(description="Shown to the member and kept on the log.")


class DuesBroughtForwardIn(Schema):
    member: str
    months: int
    reason: str


def _standing(number: str, s: Standing) -> DuesStandingOut:
    return DuesStandingOut(
        member=number,
        good_standing=s.good,
        months_in_arrears=s.months_in_arrears,
        allowed_months=s.allowed_months,
        arrears=s.arrears,
        credit=s.credit,
        paid=s.paid,
        owed=s.owed,
        this_month=s.current_amount,
        months=[
            DuesMonthOut(month=m.month, amount=m.amount, paid=m.covered, exempt=m.exempt, band=m.band)
            for m in s.months
        ],
    )


def _payment(p: DuesPayment) -> DuesPaymentOut:
    return DuesPaymentOut(
        id=p.pk,
        amount=p.amount,
        paid_on=p.paid_on,
        reference=p.reference,
        source=p.source,
        recorded_at=p.recorded_at,
    )


def _adjustment(a: DuesAdjustment) -> DuesAdjustmentOut:
    return DuesAdjustmentOut(
        id=a.pk,
        kind=a.kind,
        payment=a.payment_id,
        corrected_amount=a.corrected_amount,
        change=a.change,
        made_on=a.made_on,
        reason=a.reason,
        recorded_by=a.recorded_by.number,
    )


def _band_change(c: WageBandChange) -> WageBandChangeOut:
    return WageBandChangeOut(
        id=c.pk,
        band_before=c.band_before,
        band=c.band,
        from_month=c.from_month,
        reason=c.reason,
        recorded_by=c.recorded_by.number if c.recorded_by else None,
    )


def _exemption(e: DuesExemption) -> DuesExemptionOut:
    return DuesExemptionOut(
        id=e.pk,
        first_month=e.first_month,
        last_month=e.last_month,
        reason=e.reason,
        recorded_by=e.recorded_by.number,
    )


def _record(member_number: str, record: object) -> DuesRecordOut:
    from commune.dues.selectors import DuesRecord

    assert isinstance(record, DuesRecord)
    return DuesRecordOut(
        standing=_standing(member_number, record.standing),
        payments=[_payment(p) for p in record.payments],
        adjustments=[_adjustment(a) for a in record.adjustments],
        exemptions=[_exemption(e) for e in record.exemptions],
        band_changes=[_band_change(c) for c in record.band_changes],
        brought_forward_months=record.brought_forward.months if record.brought_forward else 0,
        lapse_due_at=record.notice_pending.lapse_due_at if record.notice_pending else None,
    )


@router.get(
    "/orgs/{slug}/dues", response=DuesRecordOut, summary="My standing, month by month, and my payments"
)
def mine(request: HttpRequest, slug: str) -> DuesRecordOut:
    _, member = access_organisation(request_person(request), slug)
    return _record(member.number, dues_record(member=member))


@router.get(
    "/orgs/{slug}/dues/units/{code}",
    response={200: list[DuesStandingOut], **REFUSED},
    summary="The standing of every member of a unit whose roll I keep",
)
def unit(request: HttpRequest, slug: str, code: str) -> list[DuesStandingOut]:
    organisation, member = access_organisation(request_person(request), slug)
    where = access_dues_unit(member, organisation, code)
    return [_standing(r.member.number, r.standing) for r in unit_dues(unit=where)]


@router.get(
    "/orgs/{slug}/dues/units/{code}/members/{number}",
    response={200: DuesRecordOut, **REFUSED},
    summary="One member's standing and payments, for an officer of their unit",
)
def unit_member(request: HttpRequest, slug: str, code: str, number: str) -> DuesRecordOut:
    organisation, member = access_organisation(request_person(request), slug)
    where = access_dues_unit(member, organisation, code)
    payer = access_unit_member(where, number)
    return _record(payer.number, dues_record(member=payer))


@router.post(
    "/orgs/{slug}/dues/units/{code}/payments",
    response={201: DuesPaymentOut, **REFUSED},
    summary="Record a payment of dues by a member of a unit whose roll I keep",
)
def payment(request: HttpRequest, slug: str, code: str, payload: DuesPaymentIn) -> Status[DuesPaymentOut]:
    organisation, member = access_organisation(request_person(request), slug)
    where = access_dues_unit(member, organisation, code)
    payer = access_unit_member(where, payload.member)
    recorded = dues_payment_record(
        officer=member,
        member=payer,
        amount=payload.amount,
        paid_on=payload.paid_on,
        reference=payload.reference,
    )
    return Status(201, _payment(recorded))


@router.post(
    "/orgs/{slug}/dues/units/{code}/imports",
    response={200: DuesImportOut, **REFUSED},
    summary="Import a payment file (bank or payroll CSV): every line or none, each problem named by its line "
    "(imported false); a dry run imports nothing",
)
def import_file(request: HttpRequest, slug: str, code: str, payload: DuesImportIn) -> DuesImportOut:
    organisation, member = access_organisation(request_person(request), slug)
    where = access_dues_unit(member, organisation, code)
    report = dues_import(
        unit=where,
        csv_text=payload.csv,
        dry_run=payload.dry_run,
        actor=officer_actor(member, where),
        officer=member,
    )
    return DuesImportOut(
        imported=report.imported,
        dry_run=report.dry_run,
        payments=report.rows,
        members=report.members,
        total=report.total,
        errors=[DuesProblemOut(line=p.line, message=p.message) for p in report.errors],
    )


def _member_record_endpoint(
    path: str,
    name: str,
    payload_type: type[_MemberIn],
    out_type: type[Schema],
    summary: str,
    write: Callable[[Member, Member, _MemberIn], Schema],
) -> None:
    """Register one endpoint by which an officer who keeps a unit's roll writes one record to a member's
    dues record (``write(officer, member, payload)``, which answers the record as written), created."""

    def endpoint(request: HttpRequest, slug: str, code: str, payload: _MemberIn) -> Status[Schema]:
        organisation, member = access_organisation(request_person(request), slug)
        where = access_dues_unit(member, organisation, code)
        payer = access_unit_member(where, payload.member)
        return Status(201, write(member, payer, payload))

    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__annotations__["payload"] = payload_type  # what ninja reads the request's body as
    router.post(
        f"/orgs/{{slug}}/dues/units/{{code}}/{path}",
        response={201: out_type, **REFUSED},
        summary=summary,
        operation_id=f"commune_dues_api_{name}",
    )(endpoint)


_member_record_endpoint(
    "corrections",
    "correction",
    DuesCorrectionIn,
    DuesAdjustmentOut,
    "Correct a payment recorded wrongly, with the reason (the payment stays; the correction is a new record "
    "beside it), for a member of a unit whose roll I keep",
    lambda officer, payer, payload: _adjustment(
        dues_payment_correct(
            officer=officer,
            payment=access_member_payment(payer, payload.payment),
            amount=payload.amount,
            reason=payload.reason,
        )
    ),
)
_member_record_endpoint(
    "refunds",
    "refund",
    DuesRefundIn,
    DuesAdjustmentOut,
    "Record a refund of dues paid back to a member of a unit whose roll I keep, with the reason",
    lambda officer, payer, payload: _adjustment(
        dues_refund_record(
            officer=officer,
            member=payer,
            amount=payload.amount,
            refunded_on=payload.refunded_on,
            reason=payload.reason,
        )
    ),
)
_member_record_endpoint(
    "wage-bands",
    "wage_band",
    WageBandChangeIn,
    WageBandChangeOut,
    "Put a member of a unit whose roll I keep on another wage band from a month on, with the reason (the "
    "months before keep the band they were on)",
    lambda officer, payer, payload: _band_change(
        wage_band_change_record(
            officer=officer,
            member=payer,
            band=payload.band,
            from_month=payload.from_month,
            reason=payload.reason,
        )
    ),
)


@router.post(
    "/orgs/{slug}/dues/units/{code}/exemptions",
    response={201: DuesExemptionOut, **REFUSED},
    summary="Record a hardship exemption, with its reason, for a member of a unit whose roll I keep",
)
def exemption(
    request: HttpRequest, slug: str, code: str, payload: DuesExemptionIn
) -> Status[DuesExemptionOut]:
    organisation, member = access_organisation(request_person(request), slug)
    where = access_dues_unit(member, organisation, code)
    payer = access_unit_member(where, payload.member)
    recorded = dues_exemption_record(
        officer=member,
        member=payer,
        first_month=payload.first_month,
        last_month=payload.last_month,
        reason=payload.reason,
    )
    return Status(201, _exemption(recorded))


@router.post(
    "/orgs/{slug}/dues/units/{code}/brought-forward",
    response={201: DuesRecordOut, **REFUSED},
    summary="Bring forward the months a member owed under the books kept before, with the reason",
)
def brought_forward(
    request: HttpRequest, slug: str, code: str, payload: DuesBroughtForwardIn
) -> Status[DuesRecordOut]:
    organisation, member = access_organisation(request_person(request), slug)
    where = access_dues_unit(member, organisation, code)
    payer = access_unit_member(where, payload.member)
    arrears_brought_forward_record(officer=member, member=payer, months=payload.months, reason=payload.reason)
    return Status(201, _record(payer.number, dues_record(member=payer)))
