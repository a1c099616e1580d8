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
from commune.governance.access import access_office, access_office_pay, access_wage_bands_proposal
from commune.governance.api.common import _actor, _caller, _Strict, router
from commune.governance.errors import GovernanceError
from commune.governance.models import OfficePay, WageBand, WageBandsProposal
from commune.governance.selectors import offices_register
from commune.governance.services import (
    office_pay_propose,
    office_pay_settle,
    pay_cap,
    wage_bands_propose,
    wage_bands_settle,
)


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


class WageBandsIn(_Strict):
    bands: dict[str, Decimal] = Field(
        default_factory=dict, description="Band code → its weekly figure, in the organisation's currency."
    )
    members: dict[str, str] = Field(default_factory=dict, description="Member number → the band they are on.")


class WageBandsProposalOut(Schema):
    id: int
    body: str = Field(description="The code of the body whose vote decides it (the constitution's).")
    bands: dict[str, Decimal]
    members: dict[str, str]
    currency: str
    motion: int
    status: str
    in_force_from: datetime | None


def _proposal(p: WageBandsProposal, currency: str) -> dict[str, Any]:
    return {
        "id": p.pk,
        "body": p.motion.body.code,
        "bands": {code: Decimal(weekly) for code, weekly in p.bands.items()},
        "members": p.members,
        "currency": currency,
        "motion": p.motion_id,
        "status": p.status,
        "in_force_from": p.in_force_from,
    }


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
    response={201: WageBandsProposalOut, **REFUSED},
    summary="Move a motion, in the body the constitution names, setting wage bands (the pay cap's basis); "
    "refused to office holders",
    operation_id="commune_governance_api_propose_wage_bands",
)
def propose_wage_bands(request: HttpRequest, slug: str, data: WageBandsIn) -> Status[dict[str, Any]]:
    _, org, member = _caller(request, slug)
    proposal = wage_bands_propose(
        organisation=org, member=member, bands=data.bands, members=data.members, actor=_actor(member)
    )
    return Status(201, _proposal(proposal, org.currency))


@router.post(
    "/orgs/{slug}/wage-bands/{proposal_id}/settle",
    response={200: WageBandsProposalOut, **REFUSED},
    summary="Put wage bands in force once the body the constitution names adopted them",
    operation_id="commune_governance_api_settle_wage_bands",
)
def settle_wage_bands(request: HttpRequest, slug: str, proposal_id: int) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    proposal = wage_bands_settle(
        proposal=access_wage_bands_proposal(user, org, proposal_id), actor=_actor(member)
    )
    return _proposal(proposal, org.currency)


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
