"""Permission-checked fetches for recall. Every current member of an organisation may read a petition:
its counts are public, its signers' names are not."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.elections.models import ElectedSeat
from commune.federation.access import NotFound
from commune.federation.models import Organisation
from commune.recall.models import RecallPetition, RecallPetitionElector
from commune.recall.selectors import recall_petition_detail


def recall_petition_electors(*, petition_id: int, **_: Any) -> QuerySet[Any]:
    """The member ids of the petition's electorate, fixed when it opened: they alone sign it and vote in
    its recall ballot, and one whose membership has ended since still does (``access_organisation``'s
    ``electorate``)."""
    return RecallPetitionElector.objects.filter(petition_id=petition_id).values("member_id")


def access_recall_petition(user: User, organisation: Organisation, petition_id: int) -> RecallPetition:
    """A recall petition of the organisation. Every current member may read it (counts, not names)."""
    petition = recall_petition_detail(petition_id=petition_id)
    if petition is None or petition.organisation_id != organisation.pk:
        raise NotFound(_("no such recall petition"))
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
        raise NotFound(_("no such seat"))
    seat = seats.first()
    if seat is None:
        raise NotFound(_("no such seat"))
    return seat
