"""Permission-checked fetches. Calls, events and the totals of strike pay are open to every current member
of the organisation; a strike-pay claim only to its claimant and to the members of an executive that may
pay it. Anything of another organisation, missing or not the reader's, raises the same ``NotFound``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.actions.models import ActionCall, CallEndorsement, Event, Shift, StrikePayClaim
from commune.federation.access import NotFound
from commune.federation.models import Organisation
from commune.governance.selectors import executives_holding


def access_call(user: User, organisation: Organisation, call_id: int) -> ActionCall:
    call = (
        ActionCall.objects.select_related(
            "organisation", "body", "reach", "executive", "authority__body", "called_by"
        )
        .filter(pk=call_id, organisation=organisation)
        .first()
    )
    if call is None:
        raise NotFound(_("no such call to action"))
    return call


def access_endorsement(user: User, organisation: Organisation, endorsement_id: int) -> CallEndorsement:
    endorsement = (
        CallEndorsement.objects.select_related("call__organisation", "unit", "motion")
        .filter(pk=endorsement_id, call__organisation=organisation)
        .first()
    )
    if endorsement is None:
        raise NotFound(_("no such endorsement"))
    return endorsement


def access_event(user: User, organisation: Organisation, event_id: int) -> Event:
    event = (
        Event.objects.select_related("organisation", "body", "call", "organised_by__person")
        .filter(pk=event_id, organisation=organisation)
        .first()
    )
    if event is None:
        raise NotFound(_("no such event"))
    return event


def access_shift(user: User, organisation: Organisation, shift_id: int) -> Shift:
    shift = (
        Shift.objects.select_related("event__body")
        .filter(pk=shift_id, event__organisation=organisation)
        .first()
    )
    if shift is None:
        raise NotFound(_("no such shift"))
    return shift


def access_claim(user: User, organisation: Organisation, claim_id: int) -> StrikePayClaim:
    claim = (
        StrikePayClaim.objects.select_related(
            "call__organisation", "call__reach", "member__person", "unit", "executive"
        )
        .filter(pk=claim_id, call__organisation=organisation)
        .first()
    )
    if claim is None or not user.is_authenticated:
        raise NotFound(_("no such claim"))
    if claim.member.person_id == user.pk:
        return claim
    payers = executives_holding(powers=["pay-strike-pay"], person=user, organisation=organisation)
    if any(claim.unit.path.startswith(executive.council.path) for executive in payers):
        return claim
    raise NotFound(_("no such claim"))
