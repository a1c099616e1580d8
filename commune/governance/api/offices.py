"""Endpoints: the public register of offices, wage bands and the pay of offices."""

# No postponed annotations here: ninja reads the views' parameter types at runtime.

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from commune.api.answers import REFUSED
from commune.federation.access import can_manage_roll
from commune.federation.models import Body, BodyKind
from commune.governance.access import access_office, access_office_pay
from commune.governance.api.common import _actor, _caller, _Strict, router
from commune.governance.errors import GovernanceError, NotEntitled
from commune.governance.models import OfficePay, WageBand
from commune.governance.selectors import offices_register
from commune.governance.services import office_pay_propose, office_pay_settle, pay_cap, wage_band_set


class RegisterEntryOut(Schema):
    kind: str
    title: str
    body_code: str
    body_name: str
    holder_name: str
    holder_number: str
    term_start: date | None
    term_end: date | None
    weekly_pay: Decimal | None
    currency: str = Field(description="ISO 4217 code of the currency of the pay (the organisation's).")
    how_elected: str
    election_id: int | None
    election_method: str | None = Field(description="The counting method of the election, as its code.")
    motion_id: int | None


@router.get(
    "/orgs/{slug}/offices",
    response=list[RegisterEntryOut],
    summary="The public register of offices",
    operation_id="commune_governance_api_register",
)
def register(request: HttpRequest, slug: str) -> list[Any]:
    _, org, _ = _caller(request, slug)
    return [{**asdict(e), "currency": org.currency} for e in offices_register(organisation=org)]


class WageBandIn(_Strict):
    code: str = Field(max_length=40)
    weekly: Decimal = Field(ge=0, max_digits=10, decimal_places=2)


class WageBandOut(Schema):
    code: str
    weekly: Decimal


class WagesOut(Schema):
    currency: str = Field(description="ISO 4217 code of the currency of every figure here.")
    bands: list[WageBandOut]
    median_weekly: Decimal | None
    pay_cap_multiple: Decimal | None
    pay_cap_weekly: Decimal | None
    members_counted: int


def _wages(org: Any) -> dict[str, Any]:
    bands = [{"code": b.code, "weekly": b.weekly} for b in WageBand.objects.filter(organisation=org)]
    try:
        cap = pay_cap(organisation=org)
    except GovernanceError:
        return {
            "currency": org.currency,
            "bands": bands,
            "median_weekly": None,
            "pay_cap_multiple": None,
            "pay_cap_weekly": None,
            "members_counted": 0,
        }
    return {
        "currency": org.currency,
        "bands": bands,
        "median_weekly": cap.median_weekly,
        "pay_cap_multiple": cap.multiple,
        "pay_cap_weekly": cap.cap_weekly,
        "members_counted": cap.members_counted,
    }


@router.get(
    "/orgs/{slug}/wage-bands",
    response=WagesOut,
    summary="Wage bands, the median wage and the pay cap",
    operation_id="commune_governance_api_wages",
)
def wages(request: HttpRequest, slug: str) -> dict[str, Any]:
    _, org, _ = _caller(request, slug)
    return _wages(org)


@router.post(
    "/orgs/{slug}/wage-bands",
    response={200: WagesOut, **REFUSED},
    summary="Set a wage band's weekly figure (officers who manage a roll)",
    operation_id="commune_governance_api_set_wage_band",
)
def set_wage_band(request: HttpRequest, slug: str, data: WageBandIn) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    units = Body.objects.filter(organisation=org, kind=BodyKind.UNIT, offices__manages_roll=True).distinct()
    if not any(can_manage_roll(user, unit) for unit in units):
        raise NotEntitled("only an elected officer who manages a unit's roll may set wage bands")
    wage_band_set(organisation=org, code=data.code, weekly=data.weekly, actor=_actor(member))
    return _wages(org)


class PayIn(_Strict):
    weekly: Decimal = Field(ge=0, max_digits=10, decimal_places=2)


class PayOut(Schema):
    id: int
    office: int
    office_title: str
    body: str
    weekly: Decimal
    currency: str = Field(description="ISO 4217 code of the currency of the pay and the cap.")
    status: str
    motion: int
    cap_when_set: Decimal | None
    in_force_from: datetime | None


def _pay(p: OfficePay, currency: str) -> dict[str, Any]:
    return {
        "id": p.pk,
        "office": p.office_id,
        "office_title": p.office.title,
        "body": p.office.body.code,
        "weekly": p.weekly,
        "currency": currency,
        "status": p.status,
        "motion": p.motion_id,
        "cap_when_set": p.cap_when_set,
        "in_force_from": p.in_force_from,
    }


@router.post(
    "/orgs/{slug}/offices/{office_id}/pay",
    response={201: PayOut, **REFUSED},
    summary="Move a motion in the office's own body setting its weekly pay (refused above the cap)",
    operation_id="commune_governance_api_propose_pay",
)
def propose_pay(request: HttpRequest, slug: str, office_id: int, data: PayIn) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    pay = office_pay_propose(
        office=access_office(user, org, office_id),
        member=member,
        weekly=data.weekly,
        actor=_actor(member),
    )
    return Status(201, _pay(pay, org.currency))


@router.post(
    "/orgs/{slug}/office-pay/{pay_id}/settle",
    response={200: PayOut, **REFUSED},
    summary="Put the pay in force once the body adopted it",
    operation_id="commune_governance_api_settle_pay",
)
def settle_pay(request: HttpRequest, slug: str, pay_id: int) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    pay = office_pay_settle(pay=access_office_pay(user, org, pay_id), actor=_actor(member))
    return _pay(pay, org.currency)
