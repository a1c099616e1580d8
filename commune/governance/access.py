"""Permission-checked fetches. Everything here is public to every current member of the organisation
(the register of offices, executives and their decisions, proposals, tendencies); anything of another
organisation, or missing, raises the same ``NotFound``. What a person may *do* is checked by the services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.federation.access import NotFound
from commune.federation.models import Office, Organisation
from commune.governance.models import (
    CallIn,
    CallInElector,
    ConstitutionProposal,
    Executive,
    ExecutiveDecision,
    OfficePay,
    Tendency,
    WageBandsProposal,
)


def call_in_electors(*, call_in_id: int, **_: Any) -> QuerySet[Any]:
    """The member ids of the delegates who may sign the call-in, fixed when it opened; one whose seat or
    membership has ended since still signs (``access_organisation``'s ``electorate``)."""
    return CallInElector.objects.filter(call_in_id=call_in_id).values("member_id")


def access_executive(user: User, organisation: Organisation, code: str) -> Executive:
    executive = (
        Executive.objects.select_related("council__organisation", "motion")
        .filter(organisation=organisation, code=code.upper())
        .first()
    )
    if executive is None:
        raise NotFound(_("no such executive"))
    return executive


def access_decision(user: User, organisation: Organisation, decision_id: int) -> ExecutiveDecision:
    decision = (
        ExecutiveDecision.objects.select_related("executive__council")
        .filter(pk=decision_id, executive__organisation=organisation)
        .first()
    )
    if decision is None:
        raise NotFound(_("no such decision"))
    return decision


def access_call_in(user: User, organisation: Organisation, call_in_id: int) -> CallIn:
    call_in = (
        CallIn.objects.select_related("council", "decision__executive", "motion")
        .filter(pk=call_in_id, council__organisation=organisation)
        .first()
    )
    if call_in is None:
        raise NotFound(_("no such call-in"))
    return call_in


def access_proposal(user: User, organisation: Organisation, proposal_id: int) -> ConstitutionProposal:
    proposal = (
        ConstitutionProposal.objects.select_related("base_version", "motion__body", "enacted_as")
        .filter(pk=proposal_id, organisation=organisation)
        .first()
    )
    if proposal is None:
        raise NotFound(_("no such proposal"))
    return proposal


def access_office(user: User, organisation: Organisation, office_id: int) -> Office:
    office = (
        Office.objects.select_related("body__organisation")
        .filter(pk=office_id, body__organisation=organisation)
        .first()
    )
    if office is None:
        raise NotFound(_("no such office"))
    return office


def access_office_pay(user: User, organisation: Organisation, pay_id: int) -> OfficePay:
    pay = (
        OfficePay.objects.select_related("office__body", "motion")
        .filter(pk=pay_id, office__body__organisation=organisation)
        .first()
    )
    if pay is None:
        raise NotFound(_("no such pay decision"))
    return pay


def access_wage_bands_proposal(user: User, organisation: Organisation, proposal_id: int) -> WageBandsProposal:
    proposal = (
        WageBandsProposal.objects.select_related("motion__body")
        .filter(pk=proposal_id, organisation=organisation)
        .first()
    )
    if proposal is None:
        raise NotFound(_("no such wage bands proposal"))
    return proposal


def access_tendency(user: User, organisation: Organisation, slug: str) -> Tendency:
    tendency = Tendency.objects.filter(organisation=organisation, slug=slug).first()
    if tendency is None:
        raise NotFound(_("no such tendency"))
    return tendency
