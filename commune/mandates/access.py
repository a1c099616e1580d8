"""Permission-checked fetches for mandates and compliance records. Every current member of an
organisation may read them: delegates answer to their constituents in the open."""

from __future__ import annotations

from commune.accounts.models import User
from commune.elections.models import ElectedSeat
from commune.federation.access import NotFound
from commune.federation.models import Member, Organisation
from commune.mandates.models import Mandate, RecallPetition
from commune.mandates.selectors import recall_petition_detail


def access_mandate(user: User, organisation: Organisation, mandate_id: int) -> Mandate:
    mandate = (
        Mandate.objects.select_related("constituency", "council", "motion", "vote", "proposed_by__person")
        .filter(pk=mandate_id, organisation=organisation)
        .first()
    )
    if mandate is None:
        raise NotFound("no such mandate")
    return mandate


def access_delegate(user: User, organisation: Organisation, number: str) -> Member:
    """A member of the organisation, by membership number, whose votes as a delegate anyone may read."""
    member = Member.objects.select_related("person").filter(organisation=organisation, number=number).first()
    if member is None:
        raise NotFound("no such member")
    return member


def access_recall_petition(user: User, organisation: Organisation, petition_id: int) -> RecallPetition:
    """A recall petition of the organisation. Every current member may read it (counts, not names)."""
    petition = recall_petition_detail(petition_id=petition_id)
    if petition is None or petition.organisation_id != organisation.pk:
        raise NotFound("no such recall petition")
    return petition


def access_recallable_seat(
    user: User,
    organisation: Organisation,
    *,
    holder: str,
    council: str | None = None,
    body: str | None = None,
    office: str | None = None,
) -> ElectedSeat:
    """The elected seat ``holder`` (a membership number) holds now: on ``council`` (a code), or as
    ``office`` of ``body``. Whether the caller may petition against it is the service's to decide."""
    seats = ElectedSeat.objects.filter(
        election__organisation=organisation, member__number=holder
    ).select_related("election__body", "member__person")
    if council is not None:
        seats = seats.filter(delegation__council__code=council.upper(), delegation__ended_at__isnull=True)
    elif body is not None and office is not None:
        seats = seats.filter(
            office_term__office__body__code=body.upper(),
            office_term__office__title__iexact=office,
            office_term__ended_at__isnull=True,
        )
    else:
        raise NotFound("no such seat")
    seat = seats.first()
    if seat is None:
        raise NotFound("no such seat")
    return seat
