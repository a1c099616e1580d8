"""Recall: what the petition, the ballot and the replacement share — who may take part, the seat
and how the log and notifications name it (see ``recall``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.services import Actor
from commune.elections.models import ElectedSeat, Elector
from commune.federation.models import Delegation, Member, OfficeTerm
from commune.recall.errors import RecallError
from commune.recall.models import RecallPetition, RecallPetitionElector
from commune.translation import deferred

#: Who the log names for acts of the electorate's members in a recall: never the person (docs/recall.md).
ELECTORATE_ACTOR = Actor(None, "a member of the electorate (not named: recall signers are protected)")


# --- Who may take part ----------------------------------------------------------------------------------


def recall_electorate(*, seat: ElectedSeat) -> QuerySet[Member]:
    """The members who may open a petition to recall ``seat``'s holder now: the electors of the election
    that conferred it who are still current members within the body that held it. A petition fixes this
    electorate when it opens (``petition_electorate``); later changes of the roll do not reach it."""
    election = seat.election
    return Member.objects.filter(
        pk__in=Elector.objects.filter(election_id=election.pk).values("member_id"),
        organisation_id=election.organisation_id,
        current_unit__path__startswith=election.body.path,
    )


def petition_electorate(*, petition: RecallPetition) -> QuerySet[Member]:
    """The members who may sign ``petition`` and vote in its recall ballot: its electorate as fixed when
    it opened."""
    return Member.objects.filter(
        pk__in=RecallPetitionElector.objects.filter(petition_id=petition.pk).values("member_id")
    )


def recall_may_take_part(
    *, member: Member, seat: ElectedSeat | None = None, petition: RecallPetition | None = None
) -> bool:
    """Whether ``member`` may take part in ``petition`` (its electorate fixed when it opened), or, with
    no petition, open one against ``seat``'s holder now."""
    if petition is not None:
        return RecallPetitionElector.objects.filter(petition_id=petition.pk, member_id=member.pk).exists()
    if seat is None:
        raise ValueError("name the seat or the petition")
    return recall_electorate(seat=seat).filter(pk=member.pk).exists()


# --- Seats ----------------------------------------------------------------------------------------------


def seat_term(seat: ElectedSeat) -> Delegation | OfficeTerm:
    term: Delegation | OfficeTerm | None = seat.delegation or seat.office_term
    if term is None:
        raise RecallError(
            _("this election conferred no seat on a council and no office, so there is none to recall")
        )
    return term


def seat_label(seat: ElectedSeat) -> str:
    if seat.delegation is not None:
        d = seat.delegation
        return f"seat on {d.council.name} for {d.constituency.name}"
    term = seat_term(seat)
    assert isinstance(term, OfficeTerm)
    return f"office of {term.office.title} of {term.office.body.name}"


def seat_label_read(seat: ElectedSeat) -> str:
    """``seat_label`` in the words of whoever reads it (lazy: for notifications)."""
    if seat.delegation is not None:
        d = seat.delegation
        return deferred(
            gettext_lazy("seat on %(council)s for %(constituency)s"),
            council=d.council.name,
            constituency=d.constituency.name,
        )
    term = seat_term(seat)
    assert isinstance(term, OfficeTerm)
    return deferred(
        gettext_lazy("office of %(office)s of %(body)s"), office=term.office.title, body=term.office.body.name
    )


def seat_with_holder(seat_id: int) -> ElectedSeat:
    """The seat with its election, holder and council or office, read in one query (no lock: the
    petition's or the ballot's row lock is what serialises a recall)."""
    return ElectedSeat.objects.select_related(
        "election__organisation",
        "election__body",
        "member__person",
        "delegation__council",
        "delegation__constituency",
        "office_term__office__body",
    ).get(pk=seat_id)


def people_of(members: QuerySet[Member]) -> list[Any]:
    """The people behind ``members``, to notify. One query."""
    return [m.person for m in members.select_related("person")]


def petition_link(petition: RecallPetition) -> str:
    """The petition's page, where the notified can read the count, sign, vote or see the result."""
    return f"/o/{petition.organisation.slug}/recalls/{petition.pk}/"


def petition_lock(petition_id: int) -> RecallPetition:
    """The petition, locked for the rest of the transaction, with what its log entries name."""
    return (
        RecallPetition.objects.select_for_update(of=("self",))
        .select_related("organisation", "holder__person", "body")
        .get(pk=petition_id)
    )
